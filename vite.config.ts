import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The UI is loaded from app://leadbell/ in Electron and from the admin port in headless mode:
// relative asset URLs work in both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
});
