// The columns of a compare run as the window sees them. N answers stream at once (up to 8), so
// each `text` event only appends to a plain buffer; an animation frame copies the buffers of
// the columns that changed into their reactive `text`, at most COLUMNS_PER_FRAME of them, the
// longest-waiting first. Each column's text is its own state, so a frame re-renders only the
// columns it copied, and Markdown itself updates only the blocks that changed: the work per
// frame is bounded whatever N is, and each column still moves every few frames.
import type { ChatFamily, CompareColumn, CompareEvent, CompareTarget } from "../../ipc";

export type ColumnPhase = "waiting" | "running" | CompareColumn["status"];

export class LiveColumn {
  text = $state("");
  phase = $state<ColumnPhase>("waiting");
  fallbackNote = $state<string | null>(null);
  /** The backend's final word on this column (stats, usage, cost, error, kept). */
  result = $state<CompareColumn | null>(null);
  family = $state<ChatFamily>("openai_chat");
  model = $state("");
  /** Not reactive: written per event, copied into `text` per frame. */
  buffer = "";

  constructor(target: CompareTarget) {
    this.family = target.family;
    this.model = target.model;
  }

  static finished(column: CompareColumn): LiveColumn {
    const live = new LiveColumn(column.target);
    live.settle(column);
    return live;
  }

  settle(column: CompareColumn): void {
    this.result = column;
    this.buffer = column.text;
    this.text = column.text;
    this.phase = column.status;
    this.fallbackNote = column.fallbackNote;
  }
}

export type Frame = (cb: () => void) => void;

/**
 * Columns whose text a frame updates. One column's Markdown update costs about 2 ms to render and
 * 1-2 ms of layout (window bench), so eight in one frame overran it (e2e, 8 columns: p95 33 ms
 * between frames against 17 ms with one); three keep a frame inside 16.7 ms, and at 8 columns
 * each still moves about every third frame (20 times a second).
 */
export const COLUMNS_PER_FRAME = 3;

export function defaultFrame(cb: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
}

/** Folds a run's events into its columns, flushing text once per frame. */
export class LiveRun {
  readonly columns: LiveColumn[];
  private dirty = new Set<LiveColumn>();
  private scheduled = false;

  constructor(
    targets: CompareTarget[],
    private readonly frame: Frame = defaultFrame,
  ) {
    this.columns = targets.map((t) => new LiveColumn(t));
  }

  take(event: CompareEvent): void {
    const col = this.columns[event.column];
    if (!col) return;
    switch (event.kind) {
      case "started":
        col.family = event.family;
        col.model = event.model;
        if (col.phase === "waiting") col.phase = "running";
        return;
      case "text":
        if (col.result) return;
        col.buffer += event.text;
        if (col.phase === "waiting") col.phase = "running";
        this.dirty.add(col);
        this.schedule();
        return;
      case "fallback":
        col.fallbackNote = event.note;
        return;
      case "finished":
        // The backend's text is the whole answer: a frame drawn later must not replace it.
        this.dirty.delete(col);
        col.settle(event.result);
        return;
    }
  }

  /** Ends the run with the saved comparison: every column takes its stored result. */
  finish(columns: CompareColumn[]): void {
    this.dirty.clear();
    columns.forEach((c, i) => this.columns[i]?.settle(c));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.frame(() => {
      this.scheduled = false;
      // A Set iterates in insertion order and a copied column re-enters at the end, so the
      // columns take turns.
      let n = 0;
      for (const col of this.dirty) {
        if (n++ === COLUMNS_PER_FRAME) break;
        col.text = col.buffer;
        this.dirty.delete(col);
      }
      if (this.dirty.size > 0) this.schedule();
    });
  }
}
