// Svelte 5 understands TypeScript in <script lang="ts"> itself; vitePreprocess is kept so
// svelte-check and the Vite plugin read the same config.
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess({ script: false }),
};
