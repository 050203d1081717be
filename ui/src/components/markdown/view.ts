// Keeps a container's DOM in step with a growing markdown text, one top-level block at a time.
// Blocks whose source did not change keep their DOM nodes (so a selection or a pressed copy
// button survives the stream); only the blocks from the first changed one onwards are rendered,
// sanitised and inserted again. Together with IncrementalLexer, the work per frame is bounded by
// the size of the last block or two, whatever the length of the answer.
//
// The last block itself can be long: many answers are one paragraph without a blank line, or
// one long code fence, and re-rendering it every frame costs as much as the answer. So while an
// answer streams, a long last paragraph or open fence becomes a "live block" (see LiveTail):
// its text is split into frozen chunks, each rendered (inline-parsed or highlighted) and
// sanitised once and kept, and a short live tail re-rendered each frame, all inside the one
// <p> or <code> element. Appends are checked line by line for anything that could end or change
// the block (a blank line, a fence, a list, a setext underline, a closing fence...); then the
// normal path takes over. When the stream ends, the live block is rendered once more the normal
// way, so the final DOM equals a one-shot render of the whole text.
import type { Token, Tokens } from "marked";
import { IncrementalLexer, normalise } from "./lexer";
import { codeClass, highlightCode, isVisible, marked, renderBlock, sanitise, sanitiserOk } from "./render";

interface Block {
  raw: string;
  nodes: ChildNode[];
  /** The live block: its DOM never stands for a token, so the normal path always redraws it. */
  live?: boolean;
}

export interface RenderStats {
  /** Blocks rendered (parsed, highlighted, sanitised) by the last update. */
  rendered: number;
  /** Blocks on screen after the last update. */
  blocks: number;
  /** Characters lexed, inline-parsed or highlighted by the last update. */
  parsed: number;
  /** DOM nodes created and inserted by the last update (elements and text nodes). */
  nodes: number;
  /** Frozen chunks of the live block, if there is one (0 otherwise). */
  chunks: number;
  /** Milliseconds the last update took. */
  ms: number;
}

export interface ViewOptions {
  /**
   * Smallest frozen chunk of a live block, in characters. A block becomes live at twice this
   * size, and a chunk is frozen whenever the live tail reaches twice this size again.
   */
  chunk?: number;
}

/** A long last block shown as frozen chunks plus a live tail (see the header). */
interface LiveTail {
  kind: "paragraph" | "code";
  /** The text shown by the last update. */
  src: string;
  /** Offset in the text where the block's content (what is rendered) starts. */
  start: number;
  /** Content before this offset is in frozen chunks. */
  frozen: number;
  /** Start of the last line, and whether it is known to keep the block going. */
  lineStart: number;
  lineOk: boolean;
  /** The element holding the chunks (<p>, or <code> inside the code box). */
  host: Element;
  /** The live tail's nodes inside host. */
  live: ChildNode[];
  chunks: number;
  /** Fenced code: the language and the opening fence. */
  lang?: string;
  fence?: string;
}

/**
 * Marks a live block's element. Its chunks are laid out as blocks (see Markdown.svelte), so an
 * append re-lays out the live tail only: WebKit lays out one inline run of a paragraph as a
 * whole, and a 200 KB paragraph growing every frame cost 100+ ms a frame. The price: while the
 * stream lasts, a paragraph's line breaks after each frozen chunk (about every 2 KB); the
 * final render, once the stream ends, is the exact one.
 */
export const LIVE_CLASS = "md-live";

/** Characters that can start a line that ends or changes a paragraph (or may, once it grows). */
const MARKERS = "#>-*+=_~`<|:0123456789";
/** Inline syntax left unmatched (as literal text) in a chunk: it could pair with later text. */
const OPEN_INLINE = /[*_~`[\]<>\\]/;
const INTRAWORD_UNDERSCORE = /(?<=[\p{L}\p{N}])_+(?=[\p{L}\p{N}])/gu;

/** Could this line (its start) interrupt a paragraph or turn it into something else? */
function suspicious(head: string): boolean {
  const indent = /^[ \t]*/.exec(head)?.[0] ?? "";
  if (indent.includes("\t")) return true;
  if (indent.length >= 4) return false;
  const c = head.charAt(indent.length);
  return c !== "" && MARKERS.includes(c);
}

function countNodes(node: Node): number {
  let n = 0;
  for (let child = node.firstChild; child; child = child.nextSibling) n += 1 + countNodes(child);
  return n;
}

function inlineTokens(src: string): Token[] {
  return marked.Lexer.lexInline(src, marked.defaults);
}

/** True if no inline syntax in `tokens` was left unmatched (so later text cannot pair with it). */
function closed(tokens: readonly Token[]): boolean {
  for (const t of tokens) {
    if (t.type === "text" && OPEN_INLINE.test(t.raw.replace(INTRAWORD_UNDERSCORE, ""))) return false;
    const children = (t as { tokens?: Token[] }).tokens;
    if (children && !closed(children)) return false;
  }
  return true;
}

/**
 * While an answer streams, it is redrawn at most this often: every other frame at 60 Hz. Each
 * redraw costs a render and a layout, and without compositing (no GPU) a repaint that WebKit
 * hands to the UI process in a fresh shared-memory bitmap: a perf profile of the web process at
 * 2,000 tokens/s had a third of its samples in the kernel (page faults, shmem). Halving the
 * redraws took the web process from ~68% to ~45% of a core in the window bench (README). Text
 * that arrives faster than anyone reads loses nothing by showing 30 times a second; the rest of
 * the window still draws every frame, and the last render, when the stream ends, is not held
 * back.
 */
export const STREAM_REDRAW_MS = 30;

export class MarkdownView {
  readonly #lexer = new IncrementalLexer(marked);
  readonly #chunk: number;
  #blocks: Block[] = [];
  #pending: string | null = null;
  #streaming = false;
  #frame = 0;
  /** The frame time of the last render from a frame callback. */
  #drawnAt = -Infinity;
  #root: HTMLElement | null = null;
  #tail: LiveTail | null = null;
  stats: RenderStats = { rendered: 0, blocks: 0, parsed: 0, nodes: 0, chunks: 0, ms: 0 };
  /** Work of the current update, copied to stats at its end. */
  #parsed = 0;
  #nodes = 0;

  constructor(options: ViewOptions = {}) {
    this.#chunk = Math.max(8, options.chunk ?? 2048);
  }

  /**
   * Show `text` in `root`. The first call renders at once (no flash of an empty answer); later
   * calls are coalesced to one render per animation frame, however fast tokens arrive.
   * `streaming` says more text is coming: a long last block is then rendered in chunks, and
   * rendered exactly once the call with `streaming` false comes.
   */
  set(root: HTMLElement, text: string, streaming = false): void {
    this.#streaming = streaming;
    if (this.#root !== root) {
      this.#root = root;
      this.#blocks = [];
      this.#tail = null;
      root.replaceChildren();
      this.#render(text);
      return;
    }
    this.#pending = text;
    if (this.#frame === 0) this.#frame = requestAnimationFrame((at) => this.#onFrame(at));
  }

  /** A frame callback: render, unless a stream's last render was under STREAM_REDRAW_MS ago. */
  #onFrame(at: number): void {
    this.#frame = 0;
    if (this.#streaming && at - this.#drawnAt < STREAM_REDRAW_MS) {
      this.#frame = requestAnimationFrame((next) => this.#onFrame(next));
      return;
    }
    this.#drawnAt = at;
    this.flush();
  }

  /** Render what is pending now (the frame callback; tests call it too). */
  flush(): void {
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    const text = this.#pending;
    this.#pending = null;
    if (text === null) return;
    this.#render(text);
    // The window benchmark sets this to split a frame's cost: our render, then the layout it
    // causes (forced here, so it is timed; the browser would do it before painting anyway).
    const profile = (globalThis as { __mdProfile?: number[][] }).__mdProfile;
    if (profile && this.#root) {
      const started = performance.now();
      void this.#root.offsetHeight;
      profile.push([this.stats.ms, performance.now() - started]);
    }
  }

  destroy(): void {
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#pending = null;
    this.#root = null;
    this.#tail = null;
  }

  #render(input: string): void {
    const root = this.#root;
    if (!root) return;
    const started = performance.now();
    const text = normalise(input);
    this.#parsed = 0;
    this.#nodes = 0;
    if (this.#streaming && this.#tail && this.#continue(this.#tail, text)) {
      this.#done(started, 0, this.#blocks.length);
      return;
    }
    this.#tail = null;
    const { tokens, reset } = this.#lexer.update(text);
    this.#parsed += this.#lexer.lastLexed;
    const visible = tokens.filter(isVisible);

    let keep = 0;
    if (!reset) {
      while (keep < visible.length && keep < this.#blocks.length && !this.#blocks[keep]?.live && this.#blocks[keep]?.raw === visible[keep]?.raw) keep += 1;
    }
    for (const block of this.#blocks.slice(keep)) for (const node of block.nodes) node.remove();
    this.#blocks.length = keep;

    const fresh = root.ownerDocument.createDocumentFragment();
    const last = tokens[tokens.length - 1];
    for (const token of visible.slice(keep)) {
      const live = this.#streaming && token === last ? this.#enter(token, text) : null;
      if (live) {
        this.#blocks.push({ raw: "", nodes: live, live: true });
        fresh.append(...live);
        continue;
      }
      const fragment = renderBlock(token);
      this.#parsed += token.raw.length;
      this.#nodes += countNodes(fragment);
      this.#blocks.push({ raw: token.raw, nodes: [...fragment.childNodes] });
      fresh.append(fragment);
    }
    root.append(fresh);
    this.#done(started, visible.length - keep, visible.length);
  }

  #done(started: number, rendered: number, blocks: number): void {
    this.stats = { rendered, blocks, parsed: this.#parsed, nodes: this.#nodes, chunks: this.#tail?.chunks ?? 0, ms: performance.now() - started };
  }

  /** Where the block's content ends: marked drops one trailing newline from it. */
  static #end(text: string): number {
    return text.endsWith("\n") ? text.length - 1 : text.length;
  }

  /**
   * Make `token` (the last block of `text`) a live block if it is a long paragraph or open
   * fence: returns its top-level nodes, or null to render it the normal way.
   */
  #enter(token: Token, text: string): ChildNode[] | null {
    if (!sanitiserOk || token.raw.length < 2 * this.#chunk || !text.endsWith(token.raw)) return null;
    const blockStart = text.length - token.raw.length;
    const end = MarkdownView.#end(text);
    const doc = this.#root?.ownerDocument ?? document;
    let tail: LiveTail;
    let nodes: ChildNode[];
    if (token.type === "paragraph") {
      if ((token as Tokens.Paragraph).text !== text.slice(blockStart, end)) return null;
      const p = doc.createElement("p");
      p.className = LIVE_CLASS;
      nodes = [p, doc.createTextNode("\n")];
      tail = { kind: "paragraph", src: text, start: blockStart, frozen: blockStart, lineStart: blockStart, lineOk: true, host: p, live: [], chunks: 0 };
    } else if (token.type === "code") {
      const code = token as Tokens.Code;
      const fence = /^(`{3,}|~{3,})/.exec(token.raw)?.[1];
      const newline = token.raw.indexOf("\n");
      if (fence === undefined || newline < 0) return null;
      const start = blockStart + newline + 1;
      // Equal only while the fence is open: a closed one's text stops before its closing line.
      if (start > end || code.text !== text.slice(start, end)) return null;
      const fragment = sanitise(`<pre><code class="${codeClass(code.lang)}"></code></pre>\n`);
      const host = fragment.querySelector("code");
      if (!host) return null;
      host.classList.add(LIVE_CLASS);
      this.#nodes += countNodes(fragment);
      nodes = [...fragment.childNodes];
      tail = { kind: "code", src: text, start, frozen: start, lineStart: start, lineOk: false, host, live: [], chunks: 0, lang: code.lang, fence };
    } else {
      return null;
    }
    // The lexer has just checked every line: only the last one may still change its meaning.
    const lineStart = Math.max(tail.start, text.lastIndexOf("\n") + 1);
    if (lineStart > tail.start || tail.kind === "code") {
      tail.lineStart = lineStart;
      const head = text.slice(lineStart, lineStart + 64);
      tail.lineOk = tail.kind === "paragraph" ? /\S/.test(head) && (!suspicious(head) || /^[ \t]*\S+[ \t]+\S/.test(head)) : this.#codeLineOk(tail, text, text.length) === true;
    }
    this.#tail = tail;
    this.#advance(tail, text);
    return nodes;
  }

  /** Show `text` by updating the live block only; false if the normal path must take over. */
  #continue(tail: LiveTail, text: string): boolean {
    if (text.length < tail.src.length || !text.startsWith(tail.src)) return false;
    let pos = tail.src.length;
    for (;;) {
      const nl = text.indexOf("\n", pos);
      const lineEnd = nl < 0 ? text.length : nl;
      if (!tail.lineOk) {
        if (tail.kind === "paragraph") {
          const head = text.slice(tail.lineStart, Math.min(lineEnd, tail.lineStart + 64));
          if (/\S/.test(head)) {
            if (suspicious(head)) return false;
            tail.lineOk = true;
          } else if (nl >= 0) {
            return false; // a blank line ends the paragraph
          }
        } else {
          const ok = this.#codeLineOk(tail, text, lineEnd);
          if (ok === null) return false; // a closing fence
          tail.lineOk = ok;
        }
      }
      if (nl < 0) break;
      tail.lineStart = nl + 1;
      tail.lineOk = false;
      pos = nl + 1;
    }
    tail.src = text;
    this.#advance(tail, text);
    return true;
  }

  /** For the code line at tail.lineStart: null if it closes the fence, true if it never can. */
  #codeLineOk(tail: LiveTail, text: string, lineEnd: number): boolean | null {
    const line = text.slice(tail.lineStart, Math.min(lineEnd, tail.lineStart + 256));
    const fence = tail.fence ?? "```";
    const mark = fence.charAt(0) === "`" ? "`" : "~";
    if (new RegExp(`^ {0,3}${mark === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`).test(line)) return null;
    if (lineEnd - tail.lineStart > 256) return true;
    return !new RegExp(`^ {0,3}${mark}*[ \\t]*$`).test(line);
  }

  /** Freeze what can be frozen, then render the live tail again. */
  #advance(tail: LiveTail, text: string): void {
    const end = MarkdownView.#end(text);
    const chunk = this.#chunk;
    while (end - tail.frozen >= 2 * chunk) {
      if (!this.#freeze(tail, text, end, end - tail.frozen >= 8 * chunk)) break;
    }
    for (const node of tail.live) node.remove();
    const span = MarkdownView.#wrap(this.#fragment(tail, text.slice(tail.frozen, end)));
    tail.live = [span];
    tail.host.append(span);
  }

  /** Freeze one chunk of the live tail; false if no good cut exists yet (and `force` is off). */
  #freeze(tail: LiveTail, text: string, end: number, force: boolean): boolean {
    const min = tail.frozen + this.#chunk;
    let cut = -1;
    if (tail.kind === "code") {
      // After a line break, so a chunk is whole lines.
      const nl = text.lastIndexOf("\n", end - 1);
      if (nl >= min - 1) cut = nl + 1;
      else if (force) {
        cut = end - this.#chunk;
        const c = text.charCodeAt(cut);
        if (c >= 0xdc00 && c <= 0xdfff) cut -= 1; // not inside a surrogate pair
      }
    } else {
      // Before a space or line break that follows a word, the latest one.
      for (let at = end - 1; at >= min; at--) {
        const c = text.charAt(at);
        if ((c === " " || c === "\n") && !/[\s\\]/.test(text.charAt(at - 1))) {
          cut = at;
          break;
        }
        if (end - at > 4 * this.#chunk) break;
      }
    }
    if (cut <= tail.frozen) return false;
    const src = text.slice(tail.frozen, cut);
    let fragment: DocumentFragment;
    if (tail.kind === "paragraph") {
      const tokens = inlineTokens(src);
      this.#parsed += src.length;
      if (!force && !closed(tokens)) return false;
      fragment = sanitise(marked.Parser.parseInline(tokens, marked.defaults));
      this.#nodes += countNodes(fragment);
    } else {
      fragment = this.#fragment(tail, src);
    }
    tail.host.insertBefore(MarkdownView.#wrap(fragment), tail.live[0] ?? null);
    tail.frozen = cut;
    tail.chunks += 1;
    return true;
  }

  /**
   * One chunk in one plain <span> (our own markup, no attributes): the block's element then has
   * a child per chunk, not per text run, so replacing the tail stays cheap however long it gets.
   * The spans are blocks inside the live element (LIVE_CLASS), so layout is per chunk too.
   */
  static #wrap(fragment: DocumentFragment): HTMLSpanElement {
    const span = fragment.ownerDocument.createElement("span");
    span.append(fragment);
    return span;
  }

  /** Part of the live block's content, rendered and sanitised. */
  #fragment(tail: LiveTail, src: string): DocumentFragment {
    this.#parsed += src.length;
    const html = tail.kind === "paragraph" ? marked.Parser.parseInline(inlineTokens(src), marked.defaults) : highlightCode(src, tail.lang);
    const fragment = sanitise(html);
    this.#nodes += countNodes(fragment);
    return fragment;
  }
}
