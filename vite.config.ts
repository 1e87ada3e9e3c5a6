import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * base './': every URL in the build is relative, so dist/ works from any static host and sub-path (set
 * BASE=/some/path/ at build time to make the service worker's scope explicit; './' works too).
 */
const base = process.env.BASE ?? './';
/** shown in the page's footer, so a user (and a test) can tell which version is running */
const buildId = process.env.BUILD_ID ?? new Date().toISOString().slice(0, 16).replace('T', ' ');

export default defineConfig({
  base,
  plugins: [
    svelte(),
    VitePWA({
      // The page asks before switching to a new version ("Reload to update"); it registers the worker itself.
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      // (public/ files are precached by the glob below: listing them here too would precache them twice)
      includeAssets: [],
      manifest: {
        id: './',
        name: 'Loglens — log analyzer in your browser',
        short_name: 'Loglens',
        description:
          'Analyze log files on your own device: volume and errors over time, noisy services, spikes, anomalies, sequences and templates. Nothing leaves this device.',
        lang: 'en',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#1f6feb',
        background_color: '#f6f7f9',
        categories: ['developer', 'utilities', 'productivity'],
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // "Open with Loglens" from the file manager, for the installed app (Chromium); launchQueue hands the files over.
        file_handlers: [
          {
            action: './',
            accept: {
              'text/plain': ['.log', '.txt', '.out'],
              'application/gzip': ['.gz'],
              'application/x-ndjson': ['.jsonl'],
              'application/json': ['.json'],
            },
          },
        ],
        launch_handler: { client_mode: 'focus-existing' },
      },
      workbox: {
        // every asset the app needs, the engine worker's chunks included; no source maps
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/privacy\.html$/],
      },
    }),
  ],
  define: { __BUILD_ID__: JSON.stringify(buildId) },
  worker: { format: 'es' },
  // DDSketch's protobuf (de)serialization, never used, needs protobufjs, which is not installed: a stub
  resolve: {
    alias: {
      'protobufjs/minimal': fileURLToPath(new URL('./src/stubs/protobufjs-minimal.js', import.meta.url)),
    },
  },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4173, strictPort: true },
});
