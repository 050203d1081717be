// JSON helpers shared by the four request editors: type guards, the "take what the form can
// show, keep the rest" reader, and JSON.parse with an error position.
//
// The position comes from our own scan, not from the engine's message: WebKitGTK (the Linux
// webview) says "JSON Parse error: Expected '}'" with no offset at all, and V8/JSC word their
// messages differently, so parsing those would break on one platform or another.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const isStr = (v: unknown): v is string => typeof v === "string";
export const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
export const isInt = (v: unknown): v is number => Number.isInteger(v);
export const isBool = (v: unknown): v is boolean => typeof v === "boolean";
export const isNonEmptyStr = (v: unknown): v is string => isStr(v) && v !== "";
export const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

/** A deep copy of a JSON value (bodies are JSON, so this is exact and works on Safari 15). */
export const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

/**
 * Reads an object key by key: `take` hands a value to the form only when `fits` says the form
 * can show it exactly, and removes it from `rest`; anything else stays in `rest`, which the
 * caller keeps as raw JSON and sends back verbatim.
 */
export class Rest {
  readonly rest: Obj;
  constructor(source: unknown) {
    this.rest = isObj(source) ? { ...source } : {};
  }
  take<T>(key: string, fits: (v: unknown) => v is T): T | undefined {
    if (!(key in this.rest)) return undefined;
    const v = this.rest[key];
    if (!fits(v)) return undefined;
    delete this.rest[key];
    return v;
  }
  /** Keys other than `allowed`; an item with these cannot be shown by the form as a whole. */
  othersThan(allowed: readonly string[]): string[] {
    return Object.keys(this.rest).filter((k) => !allowed.includes(k));
  }
}

/** Builds an object from form values, skipping the unset ones (undefined, null, ""). */
export function compact(entries: [string, unknown][]): Obj {
  const out: Obj = {};
  for (const [k, v] of entries) if (v !== undefined && v !== null && v !== "") out[k] = v;
  return out;
}

/** Form values first, then the raw keys, which win: a key is raw only because the form could not show it. */
export const withExtra = (known: Obj, extra: Obj | undefined): Obj => ({ ...known, ...(extra ?? {}) });

export interface JsonError {
  message: string;
  /** 0-based offset in the text, 1-based line and column. */
  offset: number;
  line: number;
  column: number;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: JsonError };

export function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const found = locateJsonError(text);
    return { ok: false, error: at(text, found.offset, found.message) };
  }
}

/** The text of a form's JSON textarea as a value; empty means unset. */
export function parseField(text: string): Parsed | null {
  return text.trim() === "" ? null : parseJson(text);
}

export function at(text: string, offset: number, message: string): JsonError {
  const before = text.slice(0, offset).split("\n");
  return { message, offset, line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

/** Finds where JSON.parse gave up: a small strict scanner that only reports the first error. */
export function locateJsonError(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const describe = () => {
    const ch = text[i];
    if (ch === undefined) return "the text ended";
    return ch === "\n" ? "found a line break" : `found “${ch}”`;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`Expected ${word}`);
      i++;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) fail("Control character inside a string (write \\n for a line break)");
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("Bad \\u escape");
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail("Bad escape in a string");
      }
      i++;
    }
    if (i >= text.length) fail("Unterminated string");
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === "-") fail("Bad number");
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`Expected a quoted property name, ${describe()}`);
        string();
        ws();
        if (text[i] !== ":") fail(`Expected ':' after a property name, ${describe()}`);
        i++;
        value();
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") return void i++;
        fail(`Expected ',' or '}', ${describe()}`);
      }
    }
    if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") return void i++;
        fail(`Expected ',' or ']', ${describe()}`);
      }
    }
    if (ch === '"') return string();
    if (ch === "t") return literal("true");
    if (ch === "f") return literal("false");
    if (ch === "n") return literal("null");
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) return number();
    fail(`Expected a value, ${describe()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`Unexpected text after the JSON value, ${describe()}`);
  } catch (e) {
    if (isObj(e) && isNum(e.offset) && isStr(e.message)) return { offset: e.offset, message: e.message };
    throw e;
  }
  // The scanner accepted what JSON.parse refused (should not happen): point at the end.
  return { offset: text.length, message: "Invalid JSON" };
}

/**
 * Stop sequences as one per line. A sequence may itself hold a line break, so the lines use
 * escapes (`\n`, `\r`, `\t`, `\\`); encode then decode gives back the same list.
 */
export function encodeLines(items: string[]): string {
  return items.map((s) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")).join("\n");
}

export function decodeLines(text: string): string[] {
  const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\" };
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.replace(/\\([nrt\\])/g, (_, c: string) => map[c] ?? c));
}

/** Stop lists the lines field can show exactly: non-empty strings. */
export const isLineList = (v: unknown): v is string[] => isStrArray(v) && v.length > 0 && v.every((s) => s !== "");

/** Moves a list item by `delta` places (for the up / down buttons), in place. */
export function move<T>(list: T[], index: number, delta: number): void {
  const to = index + delta;
  if (to < 0 || to >= list.length || index < 0 || index >= list.length) return;
  const [item] = list.splice(index, 1) as [T];
  list.splice(to, 0, item);
}
