// Test-only: puts the first screen's data where the window's script would (src-tauri/src/window.rs).
import type { FirstScreen } from "../bindings/FirstScreen";
import { GLOBAL } from "../firstScreen";

export function handFirstScreen(data: FirstScreen): void {
  (window as unknown as Record<string, FirstScreen>)[GLOBAL] = data;
}
