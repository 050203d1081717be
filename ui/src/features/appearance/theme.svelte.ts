// The colour theme: the person's choice (system / light / dark, stored in SQLite by the Rust
// side) and what it resolves to now. `<html data-theme>` is what the CSS switches on; the Rust
// side sets it before the first paint (src-tauri/src/window.rs), this store keeps it current:
// on a choice, and live when the OS flips light/dark while the choice is `system`.
import * as ipc from "../../ipc";
import type { IpcError, Theme } from "../../ipc";

export type Resolved = "light" | "dark";

const CHOICES: readonly Theme[] = ["system", "light", "dark"];
const DARK_QUERY = "(prefers-color-scheme: dark)";

function isTheme(value: string | undefined): value is Theme {
  return CHOICES.includes(value as Theme);
}

export const THEME_LABELS: Record<Theme, string> = {
  system: "Follow the system",
  light: "Light",
  dark: "Dark",
};

export class ThemeStore {
  choice = $state<Theme>("system");
  osDark = $state(false);
  error = $state<IpcError | null>(null);
  resolved = $derived<Resolved>(this.choice === "dark" || (this.choice === "system" && this.osDark) ? "dark" : "light");

  readonly #root: HTMLElement;
  readonly #media: MediaQueryList | null;
  readonly #injected: boolean;
  /** Bumped by every `set`, so a slow first `load` cannot undo a choice made meanwhile. */
  #changes = 0;

  constructor(root: HTMLElement = document.documentElement) {
    this.#root = root;
    this.#media = typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
    this.osDark = this.#media?.matches ?? false;
    // What the Rust side injected before the page ran, when it did (not in tests or a browser).
    const injected = root.dataset.themeChoice;
    this.#injected = isTheme(injected);
    if (isTheme(injected)) this.choice = injected;
    this.apply();
  }

  /** Follows the OS setting; asks the backend for the choice unless it was injected. Returns a stop function. */
  start(): () => void {
    const onChange = (e: MediaQueryListEvent) => {
      this.osDark = e.matches;
      this.apply();
    };
    this.#media?.addEventListener("change", onChange);
    if (!this.#injected) void this.load();
    return () => this.#media?.removeEventListener("change", onChange);
  }

  async load(): Promise<void> {
    const changes = this.#changes;
    try {
      const stored = await ipc.themeGet();
      if (changes !== this.#changes) return;
      this.choice = stored;
      this.error = null;
    } catch (e) {
      // The look keeps following the OS; nothing else depends on it.
      this.error = e as IpcError;
    }
    this.apply();
  }

  /** Applies at once, then stores; a failed store puts the previous choice back. */
  async set(choice: Theme): Promise<void> {
    const previous = this.choice;
    this.#changes += 1;
    this.choice = choice;
    this.apply();
    try {
      await ipc.themeSet(choice);
      this.error = null;
    } catch (e) {
      this.error = e as IpcError;
      this.choice = previous;
      this.apply();
    }
  }

  /** Light if it looks dark now, dark otherwise: a fixed choice, so the OS no longer decides. */
  toggle(): Promise<void> {
    return this.set(this.resolved === "dark" ? "light" : "dark");
  }

  private apply(): void {
    this.#root.dataset.themeChoice = this.choice;
    this.#root.dataset.theme = this.resolved;
  }
}
