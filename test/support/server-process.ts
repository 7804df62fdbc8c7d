import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A `rapport start` child process on its own port. */
export type Server = { name: string; port: number; child: ChildProcess; output: string[]; exited: boolean };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function startServer(
  name: string,
  port: number,
  dataDir: string,
  url: string,
  roles: string,
  env: Record<string, string> = {},
): Server {
  const child = spawn(process.execPath, ['bin/rapport', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      RAPPORT_DATA_DIR: dataDir,
      RAPPORT_SECRET_KEY: 'cross-process-stream-test-key',
      RAPPORT_ROLES: roles,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: Server = { name, port, child, output: [], exited: false };
  const keep = (chunk: Buffer) => {
    server.output.push(chunk.toString());
    if (server.output.length > 200) server.output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    server.exited = true;
    server.output.push(`[exited with ${signal ?? code}]`);
  });
  return server;
}

export const outputOf = (server: Server) =>
  `--- ${server.name} output ---\n${server.output.join('').slice(-4000)}`;

export async function waitForHealth(server: Server, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exited) throw new Error(`${server.name} exited before it became healthy\n${outputOf(server)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`${server.name} was not healthy within ${timeoutMs} ms\n${outputOf(server)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function stopServer(server: Server): Promise<void> {
  if (server.exited) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Ends the process as a crash would (SIGKILL): no drain, no cleanup, sockets cut. */
export async function killServer(server: Server): Promise<void> {
  if (server.exited) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGKILL');
  await exited;
}
