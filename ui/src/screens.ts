// The screens of the rail. Only built screens get an id; the rest are listed as "coming soon"
// so later features (Keys first, see issue 4) slot in without reshuffling the layout.
export type ScreenId = "connections" | "models";

export interface NavItem {
  id: ScreenId;
  label: string;
  /** Shown next to the item and wired in App's keyboard handler (event.code). */
  shortcut: string;
  code: string;
}

export const SCREENS: NavItem[] = [
  { id: "connections", label: "Connections", shortcut: "Alt+1", code: "Digit1" },
  { id: "models", label: "Models", shortcut: "Alt+2", code: "Digit2" },
];

export const UPCOMING = ["Keys", "Playground", "Media", "Music", "Tasks", "Settings"];
