// Every screen but the first (Models) is loaded when it is first opened, so start-up parses
// only the first screen's code (issue 10, start-up budget: the Playground alone brings
// highlight.js, marked and DOMPurify). Each loader runs once; later visits reuse its promise,
// which has already settled, so switching back draws the screen within the same frame.

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}

export const lazyScreens = {
  connections: once(() => import("./features/connections/ConnectionsScreen.svelte")),
  keys: once(() => import("./features/keys/KeysScreen.svelte")),
  playground: once(() => import("./features/playground/PlaygroundScreen.svelte")),
  tasks: once(() => import("./features/tasks/TasksScreen.svelte")),
  settings: once(() => import("./features/settings/SettingsScreen.svelte")),
  media: once(() => import("./features/media/MediaScreen.svelte")),
  music: once(() => import("./features/music/MusicScreen.svelte")),
  // Brings Chart.js and jsdiff.
  choice: once(() => import("./features/choice/ChoiceScreen.svelte")),
};
