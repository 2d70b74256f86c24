import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './renderer/vite.config';

// One build for the three Electron targets. Folders are named for the runtime (main/, preload/,
// renderer/) rather than electron-vite's src/ default, so the entries are spelled out.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS: Electron loads ESM preloads only without the sandbox.
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig(resolve(__dirname, 'renderer')),
});
