import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ChildServer = {
  pid: number;
  port: number;
  /** The last few kilobytes the process wrote, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after a grace period; resolves to the exit code. */
  stop(): Promise<number | null>;
};

const KEEP_OUTPUT = 8 * 1024;

/**
 * Starts `node ...args` and resolves once its output matches `ready`, whose first group is the port.
 * Rejects with the process's output if it exits or stays silent past the timeout.
 */
export function startChildServer(options: {
  args: string[];
  env: NodeJS.ProcessEnv;
  ready: RegExp;
  cwd?: string;
  timeoutMs?: number;
}): Promise<ChildServer> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : 0);
      resolve(exitCode);
    });
  });

  return new Promise<ChildServer>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill('SIGKILL');
      reject(new Error(`${options.args.join(' ')} did not start in time:\n${output}`));
    }, options.timeoutMs ?? 90_000);

    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
      const match = ready ? null : options.ready.exec(output);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      resolve({
        pid: child.pid!,
        port: Number(match[1]),
        output: () => output,
        async stop() {
          if (exitCode !== undefined) return exitCode;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          const code = await exited;
          clearTimeout(killer);
          return code;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${options.args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
}
