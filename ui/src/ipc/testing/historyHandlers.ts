// The fake's chat history: what Rust's history.rs does over SQLite, on two arrays of the fake
// (`conversations`, most recently active first, and `turns`). playgroundHandlers.ts stores
// every run here through `append`; the history commands read and manage it.
//
// Differences a test can see: search is a case-insensitive (and accent-blind) substring match
// of every typed word instead of FTS5's bm25, and the snippet is a window of the matched field.
import { ErrorCodes, type Conversation, type Page, type PageRequest, type SearchHit, type SnippetPart, type Turn } from "../index";
import { fail, NOW } from "./records";
import type { FakeBackend, Handlers, HistoryCommand } from "./types";

/** A turn to store: everything but what the store assigns (Rust's `NewTurn`). */
export type NewTurn = Omit<Turn, "id" | "conversationId" | "seq" | "createdAt">;

export const MAX_PAGE_LIMIT = 200;
export const EXPORT_FORMAT = "anyint-desk-conversation";
export const EXPORT_PATH = "/home/tester/Downloads/anyint-conversation.json";
const TITLE_CHARS = 60;
/** Characters of context either side of a search hit. */
const SNIPPET_CONTEXT = 40;

export interface History {
  handlers: Pick<Handlers, HistoryCommand>;
  /** Appends a turn to `conversationId`, or to a new conversation; null when that one is gone. */
  append(conversationId: string | null, turn: NewTurn): Turn | null;
}

/** Rust's `title_of`: the prompt on one line, cut at 60 characters with `…`. */
export function titleOf(prompt: string): string {
  const line = prompt.split(/\s+/).filter(Boolean).join(" ");
  if (!line) return "Untitled";
  const chars = [...line];
  if (chars.length <= TITLE_CHARS) return line;
  return `${chars.slice(0, TITLE_CHARS).join("").trimEnd()}…`;
}

export function history(fake: FakeBackend): History {
  // A clock that ticks a second per write, so "newer" is always visible in the timestamps.
  let ticks = 0;
  const now = () => new Date(Date.parse(NOW) + ++ticks * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const next: Record<string, number> = {};
  const freshId = (prefix: string, taken: (id: string) => boolean) => {
    let id: string;
    do id = `${prefix}-${(next[prefix] = (next[prefix] ?? 0) + 1).toString(16).padStart(16, "0")}`;
    while (taken(id));
    return id;
  };
  const newConversationId = () => freshId("conv", (id) => fake.conversations.some((c) => c.id === id));
  const newTurnId = () => freshId("turn", (id) => fake.turns.some((t) => t.id === id));

  const conversationOf = (id: string): Conversation =>
    fake.conversations.find((c) => c.id === id) ?? fail(ErrorCodes.NotFound, `no conversation ${id} in the history`);
  const turnsOf = (conversationId: string): Turn[] =>
    fake.turns.filter((t) => t.conversationId === conversationId).sort((a, b) => a.seq - b.seq);
  const recount = (c: Conversation) => {
    c.turnCount = turnsOf(c.id).length;
  };
  /** Moves a conversation to the top of the list, as a write bumps its activity. */
  const touch = (c: Conversation) => {
    fake.conversations = [c, ...fake.conversations.filter((x) => x !== c)];
  };
  const page = <T>(items: T[], { offset, limit }: PageRequest): Page<T> => ({
    items: items.slice(offset, offset + Math.min(limit, MAX_PAGE_LIMIT)),
    total: items.length,
  });

  const append = (conversationId: string | null, turn: NewTurn): Turn | null => {
    const at = now();
    let c: Conversation;
    if (conversationId === null) {
      c = {
        id: newConversationId(),
        title: titleOf(turn.prompt),
        family: turn.family,
        model: turn.model,
        createdAt: at,
        updatedAt: at,
        turnCount: 0,
        forkedFrom: null,
      };
    } else {
      const found = fake.conversations.find((x) => x.id === conversationId);
      if (!found) return null;
      c = found;
      Object.assign(c, { family: turn.family, model: turn.model, updatedAt: at });
    }
    const stored: Turn = { id: newTurnId(), conversationId: c.id, seq: turnsOf(c.id).length, ...structuredClone(turn), createdAt: at };
    fake.turns.push(stored);
    recount(c);
    touch(c);
    return stored;
  };

  const handlers: Pick<Handlers, HistoryCommand> = {
    history_conversations: ({ page: p }) => page(fake.conversations, p),

    history_turns: ({ conversationId, page: p }) => {
      conversationOf(conversationId);
      return page(turnsOf(conversationId), p);
    },

    history_turn: ({ turnId }) =>
      fake.turns.find((t) => t.id === turnId) ?? fail(ErrorCodes.NotFound, `no turn \`${turnId}\` in the history`),

    history_search: ({ query, limit }) => {
      // As Rust's fts_query: words without a letter or digit are dropped; none left, no hits.
      const terms = query.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t));
      if (terms.length === 0) return [];
      const hits: { hit: SearchHit; inPrompt: boolean }[] = [];
      for (const t of fake.turns) {
        const has = (text: string, term: string) => matches(text, term).length > 0;
        // Every word must occur, in the prompt or in the answer (as FTS5 matches across columns).
        if (!terms.every((term) => has(t.prompt, term) || has(t.answer, term))) continue;
        const c = fake.conversations.find((x) => x.id === t.conversationId);
        if (!c) continue;
        const inPrompt = terms.filter((term) => has(t.prompt, term)).length;
        const inAnswer = terms.filter((term) => has(t.answer, term)).length;
        hits.push({
          inPrompt: inPrompt === terms.length,
          hit: {
            conversationId: t.conversationId,
            turnId: t.id,
            seq: t.seq,
            title: c.title,
            snippet: snippetOf(inPrompt >= inAnswer ? t.prompt : t.answer, terms),
            createdAt: t.createdAt,
          },
        });
      }
      // A prompt match ranks above an answer match; then newest first.
      hits.sort((a, b) => Number(b.inPrompt) - Number(a.inPrompt) || b.hit.createdAt.localeCompare(a.hit.createdAt));
      return hits.slice(0, Math.min(limit, MAX_PAGE_LIMIT)).map((h) => h.hit);
    },

    history_fork: ({ conversationId, turnId }) => {
      const source = fake.conversations.find((c) => c.id === conversationId);
      const at = fake.turns.find((t) => t.id === turnId && t.conversationId === conversationId);
      if (!source || !at) fail(ErrorCodes.NotFound, `conversation ${conversationId} has no turn ${turnId}`);
      const time = now();
      const fork: Conversation = {
        id: newConversationId(),
        title: source.title,
        family: at.family,
        model: at.model,
        createdAt: time,
        updatedAt: time,
        turnCount: 0,
        forkedFrom: { conversationId, turnId },
      };
      // Copies keep their content and times; only the ids are new.
      for (const t of turnsOf(conversationId).filter((t) => t.seq <= at.seq)) {
        fake.turns.push({ ...structuredClone(t), id: newTurnId(), conversationId: fork.id });
      }
      recount(fork);
      touch(fork);
      return fork;
    },

    history_delete_conversation: ({ conversationId }) => {
      const c = conversationOf(conversationId);
      fake.turns = fake.turns.filter((t) => t.conversationId !== c.id);
      fake.conversations = fake.conversations.filter((x) => x !== c);
      return null;
    },

    // The later turns move up one place, so `seq` stays gap-free.
    history_delete_turn: ({ turnId }) => {
      const gone = fake.turns.find((t) => t.id === turnId) ?? fail(ErrorCodes.NotFound, `no turn ${turnId} in the history`);
      fake.turns = fake.turns.filter((t) => t !== gone);
      for (const t of fake.turns) if (t.conversationId === gone.conversationId && t.seq > gone.seq) t.seq -= 1;
      const c = fake.conversations.find((x) => x.id === gone.conversationId);
      if (c) recount(c);
      return null;
    },

    history_export: ({ conversationId }) => {
      const conversation = conversationOf(conversationId);
      fake.lastExport = JSON.stringify({ format: EXPORT_FORMAT, version: 1, conversation, turns: turnsOf(conversationId) }, null, 2);
      return EXPORT_PATH;
    },
  };

  return { handlers, append };
}

// ---- search

/** One character as search compares it: lower case, accents dropped ("Á" → "a"). */
function fold(ch: string): string {
  return ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Where `term` occurs in `text` (case- and accent-blind), as [start, end) of `text`. */
function matches(text: string, term: string): [number, number][] {
  // The folded text, and for each of its code units the original character it came from.
  let folded = "";
  const from: [number, number][] = [];
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    const f = fold(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) from.push([i, i + ch.length]);
    i += ch.length;
  }
  const needle = [...term].map(fold).join("");
  const out: [number, number][] = [];
  if (!needle) return out;
  for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) {
    const start = from[at]?.[0] ?? 0;
    const end = from[at + needle.length - 1]?.[1] ?? text.length;
    out.push([start, end]);
  }
  return out;
}

/** The text around the first hit, the matched words marked, `…` where it was cut. */
function snippetOf(text: string, terms: string[]): SnippetPart[] {
  const spans = terms
    .flatMap((term) => matches(text, term))
    .sort((a, b) => a[0] - b[0])
    .filter((s, i, all) => i === 0 || s[0] >= (all[i - 1]?.[1] ?? 0));
  const first = spans[0]?.[0] ?? 0;
  const from = Math.max(0, first - SNIPPET_CONTEXT);
  const to = Math.min(text.length, (spans[0]?.[1] ?? 0) + SNIPPET_CONTEXT * 2);
  const parts: SnippetPart[] = [];
  const push = (t: string, hit: boolean) => {
    if (t) parts.push({ text: t, hit });
  };
  let at = from;
  push(from > 0 ? "…" : "", false);
  for (const [s, e] of spans) {
    if (s < from || e > to) continue;
    push(text.slice(at, s), false);
    push(text.slice(s, e), true);
    at = e;
  }
  push(text.slice(at, to) + (to < text.length ? "…" : ""), false);
  // Neighbouring plain runs ("…" and the text after it) read as one.
  return parts.reduce<SnippetPart[]>((out, p) => {
    const last = out[out.length - 1];
    if (last && !last.hit && !p.hit) last.text += p.text;
    else out.push({ ...p });
    return out;
  }, []);
}
