// OpenAI Responses (`POST /openai/v1/responses`, beta on AnyInt): instructions, input as text or
// as items, and the stored-response chain (`previous_response_id`, `store`). Items other than
// messages (function calls and their outputs, reasoning…) are kept raw and sent back as they are.
import { dataUrl, type InlineImage } from "./images";
import { Rest, compact, isBool, isInt, isNonEmptyStr, isNum, isObj, isStr, withExtra, type Obj } from "./json";
import { raw, readResponsesTool, toolProblem, writeResponsesTool, type RawItem, type ToolItem } from "./toolDecl";

export const ROLES = ["user", "assistant", "system", "developer"] as const;
export type Role = (typeof ROLES)[number];

export type Part =
  | { kind: "text"; type: "input_text" | "output_text"; text: string; extra: Obj }
  | { kind: "image"; url: string; detail: string; extra: Obj }
  | RawItem;

export interface Item {
  kind: "message";
  role: Role;
  /** Written with `type: "message"` (the long form) rather than as an easy input message. */
  typed: boolean;
  parts: Part[];
  shape: "string" | "array";
  extra: Obj;
}

export interface Form {
  model: string;
  instructions: string;
  inputMode: "text" | "items";
  inputText: string;
  items: (Item | RawItem)[];
  maxOutputTokens: number | null;
  temperature: number | null;
  topP: number | null;
  tools: ToolItem[];
  /** Continue a stored response: the server already holds everything before `input`. */
  previousResponseId: string;
  /** null = the gateway's default (stored). */
  store: boolean | null;
}

export const newItem = (role: Role = "user"): Item => ({
  kind: "message",
  role,
  typed: false,
  parts: [textPart(role, "")],
  shape: "string",
  extra: {},
});

/** Assistant turns carry `output_text`, everything else `input_text`. */
export const textPart = (role: Role, text: string): Part => ({ kind: "text", type: role === "assistant" ? "output_text" : "input_text", text, extra: {} });

export const imagePart = (img: InlineImage): Part => ({ kind: "image", url: dataUrl(img), detail: "", extra: {} });

export function defaultForm(model: string): Form {
  return {
    model,
    instructions: "",
    inputMode: "text",
    inputText: "",
    items: [],
    maxOutputTokens: null,
    temperature: null,
    topP: null,
    tools: [],
    previousResponseId: "",
    store: null,
  };
}

export const streamOf = (body: unknown): boolean => isObj(body) && body.stream === true;

/** Text input turned into one user item, so images or more turns can be added. */
export function toItems(form: Form): void {
  if (form.inputMode === "items") return;
  const item = newItem("user");
  item.parts = [textPart("user", form.inputText)];
  form.items = [item];
  form.inputMode = "items";
  form.inputText = "";
}

// Reading.

function readPart(p: unknown): Part {
  if (!isObj(p)) return raw(p);
  const r = new Rest(p);
  delete r.rest.type;
  if ((p.type === "input_text" || p.type === "output_text") && isStr(p.text)) {
    delete r.rest.text;
    return { kind: "text", type: p.type, text: p.text, extra: r.rest };
  }
  if (p.type === "input_image" && isStr(p.image_url) && (!("detail" in p) || isNonEmptyStr(p.detail))) {
    delete r.rest.image_url;
    delete r.rest.detail;
    return { kind: "image", url: p.image_url, detail: isStr(p.detail) ? p.detail : "", extra: r.rest };
  }
  return raw(p);
}

function readItem(it: unknown): Item | RawItem {
  if (!isObj(it) || ("type" in it && it.type !== "message")) return raw(it);
  const r = new Rest(it);
  const typed = r.take("type", (v): v is "message" => v === "message") !== undefined;
  const role = r.take("role", (v): v is Role => ROLES.includes(v as Role));
  const content = r.take("content", (v): v is string | unknown[] => isStr(v) || Array.isArray(v));
  if (role === undefined || content === undefined || "content" in r.rest) return raw(it);
  const parts = isStr(content) ? [textPart(role, content)] : content.map(readPart);
  return { kind: "message", role, typed, parts, shape: isStr(content) ? "string" : "array", extra: r.rest };
}

export function fromBody(body: unknown): { form: Form; extra: Obj } {
  const r = new Rest(body);
  const f = defaultForm(r.take("model", isStr) ?? "");
  f.instructions = r.take("instructions", isNonEmptyStr) ?? "";
  const input = r.take("input", (v): v is string | unknown[] => isStr(v) || Array.isArray(v));
  if (Array.isArray(input)) [f.inputMode, f.items] = ["items", input.map(readItem)];
  else f.inputText = input ?? "";
  f.maxOutputTokens = r.take("max_output_tokens", isInt) ?? null;
  f.temperature = r.take("temperature", isNum) ?? null;
  f.topP = r.take("top_p", isNum) ?? null;
  f.tools = (r.take("tools", (v): v is unknown[] => Array.isArray(v) && v.length > 0) ?? []).map(readResponsesTool);
  f.previousResponseId = r.take("previous_response_id", isNonEmptyStr) ?? "";
  f.store = r.take("store", isBool) ?? null;
  r.take("stream", (v): v is true => v === true);
  return { form: f, extra: r.rest };
}

// Writing.

function writePart(p: Part): unknown {
  if (p.kind === "raw") return p.value;
  if (p.kind === "text") return { type: p.type, text: p.text, ...p.extra };
  return { type: "input_image", ...compact([["image_url", p.url], ["detail", p.detail]]), ...p.extra };
}

function writeItem(it: Item | RawItem): unknown {
  if (it.kind === "raw") return it.value;
  const only = it.parts[0];
  const plain = it.parts.length === 1 && only?.kind === "text" && Object.keys(only.extra).length === 0;
  const content = it.shape === "string" && plain && only?.kind === "text" ? only.text : it.parts.map(writePart);
  return { ...(it.typed ? { type: "message" } : {}), role: it.role, content, ...it.extra };
}

export function toBody(form: Form, opts: { stream: boolean; extra?: Obj }): Obj {
  const known = compact([["model", form.model], ["instructions", form.instructions]]);
  // `input` is required, so an empty text input is still sent (as "").
  known.input = form.inputMode === "items" ? form.items.map(writeItem) : form.inputText;
  Object.assign(known, compact([
    ["max_output_tokens", form.maxOutputTokens],
    ["temperature", form.temperature],
    ["top_p", form.topP],
    ["tools", form.tools.length ? form.tools.map(writeResponsesTool) : undefined],
    ["previous_response_id", form.previousResponseId],
    ["store", form.store],
    ["stream", opts.stream ? true : undefined],
  ]));
  return withExtra(known, opts.extra);
}

export function validate(form: Form): string | null {
  if (form.model.trim() === "") return "Choose a model.";
  return toolProblem(form.tools);
}
