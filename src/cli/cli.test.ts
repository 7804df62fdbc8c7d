import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDirs: string[] = [];

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rapport-cli-'));
  dataDirs.push(dir);
  return dir;
}

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real executable as a user would, on its own embedded database. */
function rapport(args: string[], dataDir = freshDataDir()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/rapport', ...args], {
      cwd: root,
      env: {
        ...process.env,
        RAPPORT_DATA_DIR: dataDir,
        DATABASE_URL: '',
        RAPPORT_ADMIN_EMAIL: '',
        RAPPORT_ADMIN_PASSWORD: '',
        LOG_LEVEL: 'silent',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one line a failing command prints. */
const failure = (run: Run) => run.stderr.trim();

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('rapport executable', () => {
  it('answers help, and refuses unknown commands and bad input with one clear line', async () => {
    const [help, unknown, badEmail, seedWithoutDemo] = await Promise.all([
      rapport(['--help']),
      rapport(['frobnicate']),
      rapport(['user', 'create', '--email', 'bad']),
      rapport(['seed']),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('seed');
    expect(unknown.code).not.toBe(0);
    expect(failure(unknown)).toMatch(/^rapport: Unknown command "frobnicate"[^\n]*$/);
    expect(badEmail.code).toBe(1);
    expect(failure(badEmail)).toBe('rapport: --email must be an email address');
    expect(seedWithoutDemo.code).toBe(1);
    expect(failure(seedWithoutDemo)).toMatch(/^rapport: [^\n]*--demo[^\n]*$/);
  }, 60_000);

  it('migrates, seeds a demo on a fresh install, creates users once, and will not seed twice', async () => {
    const dir = freshDataDir();
    expect((await rapport(['migrate'], dir)).code).toBe(0);

    const seeded = await rapport(['seed', '--demo'], dir);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/created the workspace "default" and the admin admin@example\.com/);
    expect(seeded.stdout).toMatch(/3 agents, 2 teams, 60 customers, 300 tickets/);
    expect(seeded.stdout).toContain('maya@demo.rapport.test');

    const again = await rapport(['seed', '--demo'], dir);
    expect(again.code).toBe(1);
    expect(failure(again)).toMatch(
      /^rapport: The workspace "default" already has 300 tickets; add --force[^\n]*$/,
    );

    const user = ['user', 'create', '--email', 'a@b.test', '--name', 'A', '--role', 'agent'];
    const created = await rapport(user, dir);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created agent a@b.test');
    const duplicate = await rapport(user, dir);
    expect(duplicate.code).toBe(1);
    expect(failure(duplicate)).toBe('rapport: A user with the email a@b.test already exists');
  }, 600_000);

  it('refuses to open the data dir while another process holds it', async () => {
    const dir = freshDataDir();
    const holder: ChildProcess = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(dir, 'rapport.pid'), String(holder.pid));
      const run = await rapport(['migrate'], dir);
      expect(run.code).toBe(1);
      expect(failure(run)).toMatch(
        new RegExp(`^rapport: The Rapport server \\(pid ${holder.pid}\\) holds the data dir [^\\n]+$`),
      );
    } finally {
      holder.kill();
    }
  }, 60_000);
});
