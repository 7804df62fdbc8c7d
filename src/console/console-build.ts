import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
export const consoleDist = path.join(webDir, 'dist');

export function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than the console's sources (a fresh clone, a pull). */
export function consoleNeedsBuild(): boolean {
  const index = path.join(consoleDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  // The console also bundles the reply coach's engine from src/intel (shared with the server).
  const sources = [
    path.join(webDir, 'src'),
    path.join(webDir, 'index.html'),
    path.join(webDir, '../src/intel'),
  ];
  return sources.some((source) =>
    statSync(source).isDirectory() ? newestSource(source) > built : statSync(source).mtimeMs > built,
  );
}

/** Builds the console with Vite when needed, so `npm install && npm start` is all a user runs. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (!consoleNeedsBuild()) return;
  log('Building the agent console (first start or changed sources)…');
  const { build } = await import('vite');
  // Always a production build: the React plugin picks its JSX runtime from NODE_ENV, which a test
  // runner sets to "test".
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
