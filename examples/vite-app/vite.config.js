import { defineConfig } from 'vite';

// No WASM plugin: the package finds its .wasm with
// `new URL('./browser_use_viewer_bg.wasm', import.meta.url)`, which Vite
// emits as an asset on `vite build`. In `vite dev`, dependency pre-bundling
// would move the module away from its .wasm, so it is excluded.
export default defineConfig({
  optimizeDeps: { exclude: ['browser-use-viewer'] },
  // `fs.allow`: only because this example links the package from the
  // repository's pkg/ (outside this folder); an installed package needs none.
  server: { host: '127.0.0.1', fs: { allow: ['.', '../../pkg'] } },
  preview: { host: '127.0.0.1' },
});
