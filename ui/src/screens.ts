// The screens of the rail. Only built screens get an id; the rest are listed as "coming soon"
// so later features slot in without reshuffling the layout. Alt+N follows the rail's order.
export type ScreenId = "connections" | "keys" | "models" | "playground" | "tasks" | "media" | "music" | "settings" | "compare";

export interface NavItem {
  id: ScreenId;
  label: string;
  /** Shown next to the item and wired in App's keyboard handler (event.code). */
  shortcut: string;
  code: string;
}

export const SCREENS: NavItem[] = [
  { id: "connections", label: "Connections", shortcut: "Alt+1", code: "Digit1" },
  { id: "keys", label: "Keys", shortcut: "Alt+2", code: "Digit2" },
  { id: "models", label: "Models", shortcut: "Alt+3", code: "Digit3" },
  { id: "playground", label: "Playground", shortcut: "Alt+4", code: "Digit4" },
  { id: "tasks", label: "Tasks", shortcut: "Alt+5", code: "Digit5" },
  { id: "media", label: "Media", shortcut: "Alt+6", code: "Digit6" },
  { id: "music", label: "Music", shortcut: "Alt+7", code: "Digit7" },
  { id: "settings", label: "Settings", shortcut: "Alt+8", code: "Digit8" },
  // TEMPORARY (helper V): Compare + Advisor until they are tabs of the Choice screen.
  { id: "compare", label: "Compare", shortcut: "Alt+9", code: "Digit9" },
];

export const UPCOMING: string[] = [];
