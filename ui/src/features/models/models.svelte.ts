// State of the Models screen, kept outside the component so the search text and the last good
// list survive switching screens, and so keyboard shortcuts in App can trigger a refresh.
import * as ipc from "../../ipc";
import type { IpcError, ModelsView } from "../../ipc";
import { filterModels } from "./filter";

export class ModelsStore {
  view = $state<ModelsView | null>(null);
  error = $state<IpcError | null>(null);
  loading = $state(false);
  /** Becomes true once the first load has finished, success or failure (drives data-ready). */
  settled = $state(false);
  query = $state("");

  shown = $derived(this.view ? filterModels(this.view.models, this.query) : []);
  total = $derived(this.view?.models.length ?? 0);

  // Each load gets a number; an answer that arrives after a newer request started is dropped,
  // so a slow refresh of the old connection cannot overwrite the new connection's list.
  #seq = 0;

  async load(refresh: boolean): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const view = await ipc.modelsList(refresh);
      if (seq !== this.#seq) return;
      this.view = view;
      this.error = null;
    } catch (e) {
      if (seq !== this.#seq) return;
      // Keep the previous list on purpose: a failed refresh should not take away what the user
      // was looking at; the banner above the table says the list may be stale.
      this.error = e as IpcError;
    } finally {
      if (seq === this.#seq) {
        this.loading = false;
        this.settled = true;
      }
    }
  }

  /** Shows a list the backend handed over without a command (the first screen's, ipc/firstScreen). */
  seed(view: ModelsView): void {
    this.#seq++;
    this.view = view;
    this.error = null;
    this.loading = false;
    this.settled = true;
  }

  /** Forget the list when the active connection changes: it belonged to another gateway. */
  reset(): void {
    this.#seq++;
    this.view = null;
    this.error = null;
    this.loading = false;
  }
}
