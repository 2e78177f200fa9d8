import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import uikitLocalAssets from './local-assets';

export default defineConfig({
  plugins: [uikitLocalAssets(), vue()],
  // The UIKit's styles still use Sass @import; quiet Dart Sass's notice about it, once per file.
  css: { preprocessorOptions: { scss: { api: 'modern', silenceDeprecations: ['import'] } } },
  build: {
    // The UIKit, its engine and the SDK make one large chunk (about 3 MB, 0.9 MB gzipped).
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      onwarn(warning, warn) {
        // The UIKit's Vue adapters (adapter-vue*.ts) probe for Vue 2 and its composition API beside
        // Vue 3; the probes that find nothing are how they pick Vue 3, not faults.
        const probe = warning.code === 'NAMESPACE_CONFLICT' || warning.code === 'MISSING_EXPORT';
        if (probe && /@tencentcloud\/[^/]+\/adapter-vue/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
});
