import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource } from '../console/console-build.ts';

export const widgetDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../widget');
export const widgetFile = path.join(widgetDir, 'dist', 'widget.js');

/** True when widget/dist/widget.js is missing or older than the widget's sources. */
export function widgetNeedsBuild(): boolean {
  if (!existsSync(widgetFile)) return true;
  return newestSource(path.join(widgetDir, 'src')) > statSync(widgetFile).mtimeMs;
}

/** Builds the chat widget with Vite when needed, as the console is built: at start and before tests. */
export async function ensureWidgetBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (!widgetNeedsBuild()) return;
  log('Building the chat widget…');
  const { build } = await import('vite');
  await build({ configFile: path.join(widgetDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}
