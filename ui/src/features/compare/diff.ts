// The word-level difference between two answers (jsdiff). Each part says what it is in words,
// not only by colour: the view marks added and removed runs with <ins>/<del> and a hidden label.
import { diffLines, diffWords } from "diff";

export type DiffKind = "same" | "added" | "removed";

export interface DiffPart {
  kind: DiffKind;
  text: string;
}

export interface WordDiff {
  parts: DiffPart[];
  /** Words only in the right answer / only in the left one. */
  added: number;
  removed: number;
  /** True when the answers were too far apart for a word diff in time and lines were compared. */
  byLine: boolean;
}

/** Bounds the word diff: two long, unrelated answers would otherwise block the window. */
const WORD_DIFF_TIMEOUT_MS = 500;

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function wordDiff(left: string, right: string): WordDiff {
  const byWord = diffWords(left, right, { timeout: WORD_DIFF_TIMEOUT_MS });
  const changes = byWord ?? diffLines(left, right);
  const parts: DiffPart[] = changes.map((c) => ({ kind: c.added ? "added" : c.removed ? "removed" : "same", text: c.value }));
  return {
    parts,
    added: parts.filter((p) => p.kind === "added").reduce((n, p) => n + words(p.text), 0),
    removed: parts.filter((p) => p.kind === "removed").reduce((n, p) => n + words(p.text), 0),
    byLine: byWord === undefined,
  };
}
