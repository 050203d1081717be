// The Playground's palette actions: a new chat, and Stop while a run is going (Esc there).
import type { PaletteSource } from "../palette/registry.svelte";
import type { PlaygroundStore } from "./playground.svelte";

/** `show` brings the Playground screen up, so the new chat is where the person looks. */
export function playgroundActions(store: PlaygroundStore, show: () => void): PaletteSource {
  return () => [
    ...(store.running
      ? []
      : [
          {
            id: "playground:new",
            title: "New chat",
            group: "Playground",
            keywords: "conversation start fresh",
            run: () => {
              store.newConversation();
              show();
            },
          },
        ]),
    ...(store.running
      ? [{ id: "playground:stop", title: "Stop the run", group: "Playground", keywords: "cancel abort", hint: "Esc", run: () => store.stop() }]
      : []),
  ];
}
