import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a bench module exports by default: it runs and resolves to its figures. */
export type Bench = () => Promise<Record<string, unknown>>;

const benchDir = path.dirname(fileURLToPath(import.meta.url));

/** Every bench/NAME.ts except the runner, tests and type declarations; helpers live in bench/support/. */
function availableBenches(): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .filter((name) => name !== 'run')
    .sort();
}

function machineFacts() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    total_memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

async function main(name: string | undefined): Promise<number> {
  const benches = availableBenches();
  const list = benches.length ? benches.join(', ') : '(none)';
  if (!name) {
    console.error(`Usage: npm run bench -- NAME\nAvailable benches: ${list}`);
    return 1;
  }
  if (!benches.includes(name)) {
    console.error(`Unknown bench "${name}". Available benches: ${list}`);
    return 1;
  }
  const module = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as {
    default?: unknown;
  };
  if (typeof module.default !== 'function') {
    console.error(`bench/${name}.ts has no default export function`);
    return 1;
  }
  const figures = await (module.default as Bench)();
  const result = { bench: name, ...figures, machine: machineFacts() };
  const json = JSON.stringify(result, null, 2);
  const resultsDir = path.join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, `${name}.json`), `${json}\n`);
  console.log(json);
  return 0;
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
