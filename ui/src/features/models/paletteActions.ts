// The Models feature's palette action: ask the gateway again (F5 does the same).
import type { PaletteSource } from "../palette/registry.svelte";
import type { ModelsStore } from "./models.svelte";

export function modelsActions(store: ModelsStore): PaletteSource {
  return () => [
    {
      id: "models:refresh",
      title: "Refresh models",
      group: "Models",
      keywords: "reload fetch list gateway",
      hint: "F5",
      run: () => store.load(true),
    },
  ];
}
