// Incremental lexing for streamed markdown. A streamed answer only ever grows at its end, and in
// markdown only the last blocks of a document can change when text is appended (a paragraph
// continues, a list gains an item, a fence stays open). So instead of re-lexing the whole answer
// every frame, we keep the top-level tokens lexed so far and re-lex from the start of the
// second-to-last block onwards: the work per frame is bounded by the size of those blocks, not
// by the length of the answer. Anything that is not a pure append (a new answer, an edit) and
// any change to reference-link definitions (which can change how *earlier* blocks render) falls
// back to a full lex, which is always correct.
import type { Links, Marked, Token, Tokens } from "marked";

export interface LexResult {
  /** Top-level block tokens of the whole text, in order. */
  tokens: readonly Token[];
  /** True when blocks lexed earlier may now render differently (link definitions changed). */
  reset: boolean;
}

/** Marked normalises line endings before lexing; we do the same so offsets line up. */
export function normalise(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n|\r/g, "\n") : text;
}

function sameLinks(a: Links, b: Links): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => {
    const x = a[k];
    const y = b[k];
    return x !== undefined && y !== undefined && x.href === y.href && x.title === y.title;
  });
}

export class IncrementalLexer {
  #src = "";
  #tokens: Token[] = [];
  /** Offset in #src where each token starts. */
  #starts: number[] = [];
  #links: Links = Object.create(null) as Links;
  /** False if marked's raw strings ever fail to tile the source: then we only full-lex. */
  #tiles = true;
  /** How many lexes were partial / full (read by the tests and the measurement). */
  partialLexes = 0;
  fullLexes = 0;
  /** Characters lexed by the last update (0 when the text did not change). */
  lastLexed = 0;

  constructor(private readonly marked: Marked) {}

  update(input: string): LexResult {
    const text = normalise(input);
    this.lastLexed = 0;
    if (text === this.#src) {
      return { tokens: this.#tokens, reset: false };
    }
    if (!this.#tiles || this.#src === "" || !text.startsWith(this.#src)) return this.#full(text);

    // Re-lex from the second-to-last non-space block: the last one may be extended, and the one
    // before it can merge with what follows (a list item after a blank line, indented code).
    let cut = this.#tokens.length;
    let seen = 0;
    while (cut > 0 && seen < 2) {
      cut -= 1;
      if (this.#tokens[cut]?.type !== "space") seen += 1;
    }
    if (seen < 2) return this.#full(text);

    const offset = this.#starts[cut] ?? 0;
    const lexer = new this.marked.Lexer(this.marked.defaults);
    // Definitions before the cut still apply to the re-lexed tail.
    const seed = lexer.tokens.links;
    for (let i = 0; i < cut; i++) {
      const t = this.#tokens[i];
      if (t?.type === "def") {
        const def = t as Tokens.Def;
        if (!(def.tag in seed)) seed[def.tag] = { href: def.href, title: def.title };
      }
    }
    const tail = lexer.lex(text.slice(offset));
    this.lastLexed += text.length - offset;
    // A definition that is new or changed can alter blocks before the cut: lex everything.
    if (!sameLinks(tail.links, this.#links)) return this.#full(text);

    this.#tokens.length = cut;
    this.#starts.length = cut;
    let at = offset;
    for (const t of tail) {
      this.#tokens.push(t);
      this.#starts.push(at);
      at += t.raw.length;
    }
    if (at !== text.length) return this.#full(text);
    this.#src = text;
    this.partialLexes += 1;
    return { tokens: this.#tokens, reset: false };
  }

  #full(text: string): LexResult {
    const lexer = new this.marked.Lexer(this.marked.defaults);
    const tokens = lexer.lex(text);
    this.lastLexed += text.length;
    const reset = !sameLinks(tokens.links, this.#links);
    this.#tokens = [...tokens];
    this.#starts = [];
    let at = 0;
    for (const t of this.#tokens) {
      this.#starts.push(at);
      at += t.raw.length;
    }
    this.#tiles = at === text.length;
    this.#links = tokens.links;
    this.#src = text;
    this.fullLexes += 1;
    return { tokens: this.#tokens, reset };
  }
}
