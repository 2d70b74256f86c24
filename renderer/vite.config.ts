import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

// The renderer's build, shared by electron-vite (Electron) and `npm run start:web` (browser host).
// The folder is passed in because each tool bundles its config file elsewhere before running it:
// vite rewrites `import.meta.dirname`, electron-vite only `__dirname` (it once broke the Electron build).
export function rendererConfig(rendererDir: string): UserConfig {
  return {
    root: rendererDir,
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(rendererDir, '../out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(rendererDir, 'index.html') } },
    },
  };
}

export default defineConfig(rendererConfig(import.meta.dirname));
