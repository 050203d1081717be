import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri loads the built files from ui/dist (release) or the dev server on 5173 (dev);
// both numbers are fixed because tauri.conf.json points at them.
export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs so the bundle works from Tauri's custom protocol as well as from a server.
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "127.0.0.1",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Linux runs the app in WebKitGTK, whose JS engine is roughly Safari 15.
    target: "safari15",
    sourcemap: false,
  },
  // Vitest must resolve Svelte's browser build, not the server one, to mount components.
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["./src/test-setup.ts"],
    restoreMocks: true,
  },
});
