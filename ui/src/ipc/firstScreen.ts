// The first screen's data, handed to the page by the window before its scripts run
// (src-tauri/src/window.rs): what `connections_list` and `models_list(false)` would answer, so
// the first frame already shows the Models screen with its data, with no round of commands
// before it.
import type { FirstScreen } from "./bindings/FirstScreen";

/** The global the window sets (FIRST_SCREEN_GLOBAL in window.rs). */
export const GLOBAL = "__ANYINT_FIRST_SCREEN__";

/**
 * Takes the data once: the global is removed, so a second App in the same page asks the
 * backend. Only on the window's first load: the window's script runs again on a reload, with
 * what was true when the app started, which may be stale by then.
 */
export function takeFirstScreen(): FirstScreen | null {
  const holder = window as unknown as Record<string, FirstScreen | undefined>;
  const data = holder[GLOBAL];
  delete holder[GLOBAL];
  if (!data || typeof data !== "object" || !Array.isArray(data.connections)) return null;
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  if (navigation && navigation.type !== "navigate") return null;
  return data;
}
