import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The chat widget: one self-contained script (`/widget.js`), no framework, no chunks. */
export default defineConfig({
  root,
  publicDir: false,
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    lib: {
      entry: path.join(root, 'src/main.ts'),
      formats: ['iife'],
      name: 'RapportChatWidget',
      fileName: () => 'widget.js',
    },
  },
});
