// The command palette's actions. Features register a source (a function listing their actions
// now: the connections that exist, whether a run is going), so the palette always offers what
// can be done at the moment it opens, and no single file knows every action.
import fuzzysort from "fuzzysort";

export interface PaletteAction {
  /** Unique and stable, e.g. `go:models`; also the option's DOM id suffix. */
  id: string;
  /** What the list shows and the filter matches. */
  title: string;
  /** The kind of action, shown beside it and matched too ("Go to", "Connection", …). */
  group: string;
  /** Extra words the filter matches (synonyms), never shown. */
  keywords?: string;
  /** A shortcut or state shown at the right, e.g. `Alt+3` or `current`. */
  hint?: string;
  run: () => unknown;
}

export type PaletteSource = () => PaletteAction[];

export class PaletteRegistry {
  #sources = $state<{ name: string; source: PaletteSource }[]>([]);

  /** Adds a feature's actions; returns the function that removes them again. */
  register(name: string, source: PaletteSource): () => void {
    if (this.#sources.some((s) => s.name === name)) throw new Error(`palette source \`${name}\` is registered twice`);
    const entry = { name, source };
    this.#sources = [...this.#sources, entry];
    return () => {
      this.#sources = this.#sources.filter((s) => s.name !== name);
    };
  }

  /** Every action the features offer now, in registration order. */
  actions(): PaletteAction[] {
    return this.#sources.flatMap((s) => s.source());
  }
}

/**
 * The actions matching `query`, best first: fuzzy (letters in order, gaps allowed; each word of
 * the query on its own) over the title and group, then the actions whose keywords start with
 * every word of the query (synonyms match exactly, so they do not drown the list in near
 * misses). An empty query keeps every action in its registered order.
 */
export function filterActions(actions: PaletteAction[], query: string): PaletteAction[] {
  const q = query.trim();
  if (!q) return actions;
  const fuzzy = fuzzysort.go(q, actions, { key: (a: PaletteAction) => `${a.title} ${a.group}` }).map((r) => r.obj);
  const words = q.toLowerCase().split(/\s+/);
  const synonyms = actions.filter((a) => {
    if (fuzzy.includes(a)) return false;
    const own = `${a.title} ${a.group} ${a.keywords ?? ""}`.toLowerCase().split(/[\s:()]+/);
    return words.every((w) => own.some((o) => o.startsWith(w)));
  });
  return [...fuzzy, ...synonyms];
}
