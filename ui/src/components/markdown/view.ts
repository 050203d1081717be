// Keeps a container's DOM in step with a growing markdown text, one top-level block at a time.
// Blocks whose source did not change keep their DOM nodes (so a selection or a pressed copy
// button survives the stream); only the blocks from the first changed one onwards are rendered,
// sanitised and inserted again. Together with IncrementalLexer, the work per frame is bounded by
// the size of the last block or two, whatever the length of the answer.
import { IncrementalLexer } from "./lexer";
import { isVisible, marked, renderBlock } from "./render";

interface Block {
  raw: string;
  nodes: ChildNode[];
}

export interface RenderStats {
  /** Blocks rendered (parsed, highlighted, sanitised) by the last update. */
  rendered: number;
  /** Blocks on screen after the last update. */
  blocks: number;
  /** Milliseconds the last update took. */
  ms: number;
}

export class MarkdownView {
  readonly #lexer = new IncrementalLexer(marked);
  #blocks: Block[] = [];
  #pending: string | null = null;
  #frame = 0;
  #root: HTMLElement | null = null;
  stats: RenderStats = { rendered: 0, blocks: 0, ms: 0 };

  /**
   * Show `text` in `root`. The first call renders at once (no flash of an empty answer); later
   * calls are coalesced to one render per animation frame, however fast tokens arrive.
   */
  set(root: HTMLElement, text: string): void {
    if (this.#root !== root) {
      this.#root = root;
      this.#blocks = [];
      root.replaceChildren();
      this.#render(text);
      return;
    }
    this.#pending = text;
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.flush());
  }

  /** Render what is pending now (the frame callback; tests call it too). */
  flush(): void {
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    const text = this.#pending;
    this.#pending = null;
    if (text !== null) this.#render(text);
  }

  destroy(): void {
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#pending = null;
    this.#root = null;
  }

  #render(text: string): void {
    const root = this.#root;
    if (!root) return;
    const started = performance.now();
    const { tokens, reset } = this.#lexer.update(text);
    const visible = tokens.filter(isVisible);

    let keep = 0;
    if (!reset) {
      while (keep < visible.length && keep < this.#blocks.length && this.#blocks[keep]?.raw === visible[keep]?.raw) keep += 1;
    }
    for (const block of this.#blocks.slice(keep)) for (const node of block.nodes) node.remove();
    this.#blocks.length = keep;

    const fresh = root.ownerDocument.createDocumentFragment();
    for (const token of visible.slice(keep)) {
      const fragment = renderBlock(token);
      this.#blocks.push({ raw: token.raw, nodes: [...fragment.childNodes] });
      fresh.append(fragment);
    }
    root.append(fresh);
    this.stats = { rendered: visible.length - keep, blocks: visible.length, ms: performance.now() - started };
  }
}
