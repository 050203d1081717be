// A studio form as data: the values a route's form holds (one per field, keyed by the field's
// JSON pointer), the create body they make, and the problems the core's `limits::validate`
// would find, checked here as the user types so a paid request is never one click from a 400.
// The core checks again on submit and is the final word (its answer is parsed back onto the
// fields by `problemsFromMessage`).
import type { FieldSpec, RouteSpec, TaskFileRef } from "../../ipc";

/** A local file chosen for a field that takes one instead of a URL: the marker the core reads
 *  (`tasks::inputs`), naming a file it keeps by checksum. */
export interface FileChoice {
  $file: TaskFileRef;
}

/** What a control holds: text for every typed field (numbers too, as typed), a boolean for a
 *  checkbox, null for an optional yes/no left unset, a chosen file where the field takes one. */
export type Raw = string | boolean | null | FileChoice;

export function isFileChoice(v: unknown): v is FileChoice {
  return typeof v === "object" && v !== null && "$file" in v;
}

/** "4.2 MB" */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "1:05" */
export function clockText(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** What the core's `inputs::file_problems` would say of the chosen file, or null. */
export function fileProblem(field: FieldSpec, file: TaskFileRef, body: unknown): string | null {
  const rule = field.file;
  if (!rule) return `${field.label} takes a URL here, not a local file`;
  if (!rule.accept.includes(file.mime)) {
    return `${field.label}: \`${file.name}\` is ${file.mime}; this route takes ${rule.accept.join(", ")}`;
  }
  if (file.size > rule.maxBytes) {
    return `${field.label}: \`${file.name}\` is ${sizeText(file.size)}; at most ${sizeText(rule.maxBytes)} here`;
  }
  const limit = rule.maxSeconds.find((r) => allHold(r.when, body));
  if (limit && file.seconds !== null && file.seconds > limit.maxSeconds) {
    return `${field.label}: \`${file.name}\` is ${clockText(file.seconds)} long; at most ${clockText(limit.maxSeconds)} with this model`;
  }
  return null;
}
export type Values = Record<string, Raw>;

/** The parts of the generated `Condition` type this file reads (not exported by src/ipc). */
interface Cond {
  path: string;
  anyOf: unknown[];
}

/** A required yes/no is a checkbox (false until ticked); an optional one can stay unset. */
export function isCheckbox(field: FieldSpec): boolean {
  return field.kind === "boolean" && field.presence.kind === "required";
}

function rawOf(field: FieldSpec, value: unknown): Raw {
  if (value === undefined || value === null) return isCheckbox(field) ? false : field.kind === "boolean" ? null : "";
  if (field.kind === "boolean") return value === true;
  if (field.kind === "json") return JSON.stringify(value);
  if (field.kind === "string_list" && Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** The form's starting values: each field's documented default, or empty. */
export function initialValues(spec: RouteSpec): Values {
  const values: Values = {};
  for (const f of spec.fields) values[f.path] = rawOf(f, f.default);
  return values;
}

type Parsed = { value: unknown } | { error: string } | null;

/** The JSON value a control's text stands for; null when empty (the field is left out). */
export function parseRaw(field: FieldSpec, raw: Raw): Parsed {
  if (raw === null) return null;
  if (typeof raw === "boolean") return { value: raw };
  if (isFileChoice(raw)) return { value: raw };
  const text = field.kind === "long_text" ? raw : raw.trim();
  if (text.trim() === "") return null;
  switch (field.kind) {
    case "integer":
    case "number": {
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: `${field.label} must be a number` };
      return { value: n };
    }
    case "boolean":
      return { value: text === "true" };
    case "json":
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: `${field.label} is not valid JSON` };
      }
    case "string_list":
      return {
        value: text
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== ""),
      };
    default:
      return { value: text };
  }
}

function segments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Sets `value` at `pointer`, making objects (or arrays, for a numeric next segment) on the way:
 *  `/contents/0/parts/0/text` builds Gemini's nested body. */
export function setPointer(body: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = segments(pointer);
  let at: Record<string, unknown> | unknown[] = body;
  parts.forEach((key, i) => {
    const container = at as Record<string, unknown>;
    if (i === parts.length - 1) {
      container[key] = value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? "");
    const existing = container[key];
    if (typeof existing !== "object" || existing === null) container[key] = nextIsIndex ? [] : {};
    at = container[key] as Record<string, unknown> | unknown[];
  });
}

export function getPointer(body: unknown, pointer: string): unknown {
  let at: unknown = body;
  for (const key of segments(pointer)) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export interface Built {
  body: Record<string, unknown>;
  /** Fields whose text does not parse (a number, JSON), by path. */
  parseProblems: Record<string, string>;
}

/** The create body the values make: empty fields left out, hidden ones set from their default. */
export function buildBody(spec: RouteSpec, values: Values): Built {
  const body: Record<string, unknown> = {};
  const parseProblems: Record<string, string> = {};
  for (const f of spec.fields) {
    const raw = f.hidden ? rawOf(f, f.default) : (values[f.path] ?? rawOf(f, undefined));
    const parsed = parseRaw(f, raw);
    if (parsed === null) continue;
    if ("error" in parsed) parseProblems[f.path] = parsed.error;
    else setPointer(body, f.path, parsed.value);
  }
  return { body, parseProblems };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** As limits.rs `holds`: an absent field holds null. */
function holds(c: Cond, body: unknown): boolean {
  const value = getPointer(body, c.path) ?? null;
  return c.anyOf.some((v) => same(v, value));
}

const allHold = (conds: Cond[], body: unknown) => conds.every((c) => holds(c, body));

export function isRequired(field: FieldSpec, body: unknown): boolean {
  const p = field.presence;
  if (p.kind === "required") return true;
  if (p.kind === "optional") return false;
  return p.any.some((all) => allHold(all, body));
}

/** The length limit in force for the body as it stands (the first rule whose conditions hold:
 *  Suno's prompt is 500 in simple mode, 3000 on V4, 5000 otherwise). */
export function maxCharsFor(field: FieldSpec, body: unknown): number | null {
  return field.maxLen.find((r) => allHold(r.when, body))?.maxChars ?? null;
}

/** Characters as the core counts them (Unicode scalar values, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

function missing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

function isWebUrl(text: string): boolean {
  try {
    const u = new URL(text.trim());
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** The problems `limits::validate` would report, by field path (the first one per field). */
export function problemsOf(spec: RouteSpec, built: Built): Record<string, string> {
  const { body } = built;
  const out: Record<string, string> = { ...built.parseProblems };
  const add = (path: string, message: string) => {
    if (!(path in out)) out[path] = message;
  };
  for (const f of spec.fields) {
    const v = getPointer(body, f.path);
    if (missing(v)) {
      if (isRequired(f, body) && !(f.path in out)) add(f.path, `${f.label} is required`);
      continue;
    }
    if (isFileChoice(v)) {
      const problem = fileProblem(f, v.$file, body);
      if (problem !== null) add(f.path, problem);
      continue;
    }
    switch (f.kind) {
      case "text":
      case "long_text":
      case "url":
      case "choice": {
        const text = String(v);
        if (f.kind === "url" && !isWebUrl(text)) add(f.path, `${f.label} must be an http(s) URL`);
        if (f.kind === "choice" && !f.openOptions && !f.options.includes(text)) {
          add(f.path, `${f.label} must be one of ${f.options.join(", ")} (got \`${text}\`)`);
        }
        const max = maxCharsFor(f, body);
        const n = charCount(text);
        if (max !== null && n > max) add(f.path, `${f.label} is ${n} characters; at most ${max} here`);
        break;
      }
      case "integer":
      case "number": {
        const n = v as number;
        if (f.kind === "integer" && !Number.isInteger(n)) add(f.path, `${f.label} must be a whole number`);
        if ((f.min !== null && n < f.min) || (f.max !== null && n > f.max)) {
          add(f.path, `${f.label} must be between ${f.min ?? "-∞"} and ${f.max ?? "∞"} (got ${n})`);
        }
        break;
      }
      case "string_list": {
        const items = v as string[];
        const absent = f.mustInclude.filter((w) => !items.includes(w));
        if (absent.length > 0) add(f.path, `${f.label} must include ${absent.join(", ")}`);
        break;
      }
      default:
        break;
    }
  }
  for (const group of spec.oneOf) {
    if (group.every((p) => missing(getPointer(body, p)))) {
      const labels = group.map((p) => spec.fields.find((f) => f.path === p)?.label ?? p);
      add(group[0] ?? "", `set at least one of: ${labels.join(", ")}`);
    }
  }
  return out;
}

/**
 * The core refuses a body it would not send with `invalid_input` and the message
 * `not sent: /style: Style is required; /title: …` (desk/tasks.rs `check_route`, each part a
 * `FieldProblem`'s Display). This puts each part back on its field; a part that names no field
 * of the route joins the one before it (a message may itself contain "; ").
 */
export function problemsFromMessage(spec: RouteSpec, message: string): Record<string, string> | null {
  const prefix = "not sent: ";
  if (!message.startsWith(prefix)) return null;
  const paths = new Set(spec.fields.map((f) => f.path));
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const part of message.slice(prefix.length).split("; ")) {
    const m = /^(\/[^:]*): ([\s\S]*)$/.exec(part);
    if (m && paths.has(m[1] ?? "")) {
      last = m[1] ?? "";
      out[last] = out[last] ? `${out[last]}; ${m[2]}` : (m[2] ?? "");
    } else if (last !== null) {
      out[last] += `; ${part}`;
    } else {
      return null;
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** What the notification and the Tasks table call the task: the title when the form has one. */
export function labelOf(body: Record<string, unknown>): string | null {
  const title = body.title;
  return typeof title === "string" && title.trim() !== "" ? title.trim() : null;
}
