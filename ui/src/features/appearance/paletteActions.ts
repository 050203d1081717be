// The theme's palette actions: toggle light/dark, or pick a choice (including following the OS).
import type { Theme } from "../../ipc";
import type { PaletteSource } from "../palette/registry.svelte";
import { THEME_LABELS, type ThemeStore } from "./theme.svelte";

export function themeActions(store: ThemeStore): PaletteSource {
  return () => [
    {
      id: "theme:toggle",
      title: store.resolved === "dark" ? "Toggle theme (to light)" : "Toggle theme (to dark)",
      group: "Theme",
      keywords: "dark light mode colour color appearance",
      run: () => store.toggle(),
    },
    ...(Object.keys(THEME_LABELS) as Theme[]).map((choice) => ({
      id: `theme:${choice}`,
      title: `Theme: ${THEME_LABELS[choice]}`,
      group: "Theme",
      keywords: "dark light mode colour color appearance os",
      hint: store.choice === choice ? "current" : undefined,
      run: () => store.set(choice),
    })),
  ];
}
