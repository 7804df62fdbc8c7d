import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runBench(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('bench runner', () => {
  it('refuses an unknown bench, naming the ones that exist', () => {
    const result = runBench('nope');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Unknown bench "nope"');
    expect(result.stderr).toMatch(/Available benches: .*\bingest\b/);
    expect(result.stdout).toBe('');
  });

  it('refuses a name that is not a bench file, such as its own helpers', () => {
    for (const name of ['run', 'support/baseline-server', '../src/server']) {
      const result = runBench(name);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`Unknown bench "${name}"`);
    }
  });
});
