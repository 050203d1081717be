// State of the Tasks screen, kept outside the components so the filter and the open task
// survive switching screens, and so App can feed it the task center's transitions.
//
// The table is paged from the core: `slots` has one entry per matching task (`total`), but only
// the pages a drawn row asked for (`see`) are fetched, PAGE rows at a time. So 10,000 tasks are
// 10,000 small placeholders here, never 10,000 rows fetched at once. A transition refetches the
// first page (for the new total) and every page a drawn row needs again; the rows already shown
// stay on screen, slightly stale, until their page answers, so nothing flickers.
import * as ipc from "../../ipc";
import type { IpcError, TaskFilter, TaskRow, TaskState, TaskTransition } from "../../ipc";
import { ACTIVE_STATES } from "./format";

/** Rows per list call (the core caps a page at 500). */
export const PAGE = 200;
/** Transitions arriving closer together than this refresh the table once. */
export const REFRESH_DELAY_MS = 250;

/** One position of the table: its row once its page has been fetched. */
export interface Slot {
  index: number;
  row: TaskRow | null;
}

/** The state filter: everything, the tasks still in flight, or one state. */
export type StateChoice = "all" | "active" | TaskState;

export class TasksStore {
  stateChoice = $state<StateChoice>("all");
  family = $state("");
  text = $state("");

  /** `$state.raw`: replaced whole when a page lands, never deep-proxied (10,000 entries). */
  slots = $state.raw<Slot[]>([]);
  total = $state(0);
  error = $state<IpcError | null>(null);
  /** True once the first page of the current filter answered (or failed). */
  loaded = $state(false);
  /** Tasks not finished yet, across every filter (the status bar's number). */
  running = $state(0);
  /** Bumped on every refresh: drawn rows ask for their page again when it changes. */
  generation = $state(0);
  /** The task whose page is open, or null for the table. */
  openId = $state<string | null>(null);
  /** Bumped on every transition of the open task, so its page reloads. */
  openVersion = $state(0);

  #pages = new Map<number, Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #watching = false;

  filter(offset: number, limit: number): TaskFilter {
    const states: TaskState[] =
      this.stateChoice === "all" ? [] : this.stateChoice === "active" ? [...ACTIVE_STATES] : [this.stateChoice];
    const text = this.text.trim();
    return { states, family: this.family || null, route: null, text: text || null, offset, limit };
  }

  /** Starts listening to the task center (once per window). */
  async watch(): Promise<void> {
    if (this.#watching) return;
    this.#watching = true;
    try {
      this.running = await ipc.watchTasks((t) => this.onTransition(t));
    } catch (e) {
      this.#watching = false;
      this.error = ipc.toIpcError(e);
    }
  }

  onTransition(t: TaskTransition): void {
    if (t.taskId === this.openId) this.openVersion++;
    // Coalesce bursts (a hundred tasks finishing together) into one refresh.
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
      void this.countRunning();
    }, REFRESH_DELAY_MS);
  }

  async countRunning(): Promise<void> {
    try {
      this.running = await ipc.tasksRunning();
    } catch {
      // The count is a hint in the status bar; the next transition tries again.
    }
  }

  setStateChoice(choice: StateChoice): void {
    this.stateChoice = choice;
    void this.reload();
  }

  setFamily(family: string): void {
    this.family = family;
    void this.reload();
  }

  setText(text: string): void {
    this.text = text;
    void this.reload();
  }

  /** A new filter: forget every row and start from the first page. */
  async reload(): Promise<void> {
    this.slots = [];
    this.total = 0;
    this.loaded = false;
    await this.refresh();
  }

  /** Refetches the first page (for the total); drawn rows ask again for theirs. */
  async refresh(): Promise<void> {
    this.#pages = new Map();
    this.generation++;
    await this.#page(0);
  }

  /** A drawn row at `index` needs its page. */
  see(index: number): void {
    const page = Math.floor(index / PAGE);
    if (!this.#pages.has(page)) void this.#page(page);
  }

  open(taskId: string): void {
    this.openId = taskId;
  }

  close(): void {
    this.openId = null;
  }

  #page(page: number): Promise<void> {
    const pages = this.#pages;
    const existing = pages.get(page);
    if (existing) return existing;
    const load = this.#fetch(page, pages);
    pages.set(page, load);
    return load;
  }

  async #fetch(page: number, pages: Map<number, Promise<void>>): Promise<void> {
    const offset = page * PAGE;
    try {
      const answer = await ipc.tasksList(this.filter(offset, PAGE));
      // A newer refresh or filter started meanwhile: its own fetches will fill the table.
      if (pages !== this.#pages) return;
      this.error = null;
      this.total = answer.total;
      const slots: Slot[] = new Array<Slot>(answer.total);
      const old = this.slots;
      for (let i = 0; i < answer.total; i++) {
        const row = i >= offset && i < offset + answer.rows.length ? answer.rows[i - offset] : old[i]?.row;
        slots[i] = { index: i, row: row ?? null };
      }
      this.slots = slots;
    } catch (e) {
      if (pages !== this.#pages) return;
      // Let the page be asked for again (the next refresh, or a row drawn again).
      pages.delete(page);
      this.error = ipc.toIpcError(e);
    } finally {
      if (pages === this.#pages && page === 0) this.loaded = true;
    }
  }
}
