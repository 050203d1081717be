// Gemini (`POST /gemini/v1beta/models/{model}:generateContent`, or `:streamGenerateContent?alt=sse`).
// The model and streaming live in the path, not the body: `toBody` never writes either, and
// `fromBody` cannot read the model back (the caller keeps it beside the body).
import type { InlineImage } from "./images";
import { Rest, compact, isInt, isNonEmptyStr, isNum, isObj, isStr, isStrArray, parseField, pretty, withExtra, type Obj } from "./json";
import { raw, readGeminiDecl, toolProblem, writeGeminiDecl, type RawItem, type ToolItem } from "./toolDecl";

export const ROLES = ["user", "model", ""] as const;
export type Role = (typeof ROLES)[number];
export const MODALITIES = ["TEXT", "IMAGE", "AUDIO"] as const;

export type Part =
  | { kind: "text"; text: string; extra: Obj }
  | { kind: "inline"; mimeType: string; data: string; extra: Obj }
  /** `args` / `response` as JSON text. */
  | { kind: "functionCall"; name: string; args: string; extra: Obj }
  | { kind: "functionResponse"; name: string; response: string; extra: Obj }
  | RawItem;

export interface Content {
  kind: "content";
  /** "" = no role written (the API then reads it as the user's). */
  role: Role;
  parts: Part[];
  extra: Obj;
}

export interface Form {
  /** Goes into the path; kept here only so one Form describes a whole request. */
  model: string;
  system: string;
  contents: (Content | RawItem)[];
  temperature: number | null;
  topK: number | null;
  topP: number | null;
  maxOutputTokens: number | null;
  responseMimeType: string;
  responseModalities: string[];
  /** Other keys of `generationConfig` (candidateCount, thinkingConfig…). */
  genExtra: Obj;
  /** Declarations of `tools[0].functionDeclarations`. */
  tools: ToolItem[];
  /** The other entries of `tools` (googleSearch, codeExecution…), kept as they are. */
  otherTools: unknown[];
}

export const newContent = (role: Role = "user"): Content => ({ kind: "content", role, parts: [textPart("")], extra: {} });
export const textPart = (text: string): Part => ({ kind: "text", text, extra: {} });
export const imagePart = (img: InlineImage): Part => ({ kind: "inline", mimeType: img.mime, data: img.data, extra: {} });

export function defaultForm(model: string): Form {
  return {
    model,
    system: "",
    contents: [newContent("user")],
    temperature: null,
    topK: null,
    topP: null,
    maxOutputTokens: null,
    responseMimeType: "",
    responseModalities: [],
    genExtra: {},
    tools: [],
    otherTools: [],
  };
}

/** The route for a model, as the backend will call it. */
export const routeOf = (model: string, stream: boolean): string =>
  `/gemini/v1beta/models/${model}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`;

// Reading.

/** The single key of `o` when it is exactly `{[key]: object}`, for part payloads. */
function payload(p: Obj, key: string, allowed: string[]): Obj | null {
  const v = p[key];
  return isObj(v) && Object.keys(v).every((k) => allowed.includes(k)) ? v : null;
}

function readPart(p: unknown): Part {
  if (!isObj(p)) return raw(p);
  const r = new Rest(p);
  const payloads = ["text", "inlineData", "functionCall", "functionResponse"].filter((k) => k in p);
  if (payloads.length !== 1) return raw(p);
  const [key] = payloads as [string];
  delete r.rest[key];
  if (key === "text" && isStr(p.text)) return { kind: "text", text: p.text, extra: r.rest };
  const inline = payload(p, "inlineData", ["mimeType", "data"]);
  if (key === "inlineData" && inline && isStr(inline.mimeType) && isStr(inline.data)) {
    return { kind: "inline", mimeType: inline.mimeType, data: inline.data, extra: r.rest };
  }
  const call = payload(p, "functionCall", ["name", "args"]);
  if (key === "functionCall" && call && isStr(call.name) && (!("args" in call) || isObj(call.args))) {
    return { kind: "functionCall", name: call.name, args: "args" in call ? pretty(call.args) : "", extra: r.rest };
  }
  const resp = payload(p, "functionResponse", ["name", "response"]);
  if (key === "functionResponse" && resp && isStr(resp.name) && isObj(resp.response)) {
    return { kind: "functionResponse", name: resp.name, response: pretty(resp.response), extra: r.rest };
  }
  return raw(p);
}

function readContent(c: unknown): Content | RawItem {
  const r = new Rest(c);
  const role = r.take("role", (v): v is "user" | "model" => v === "user" || v === "model");
  const parts = r.take("parts", Array.isArray);
  if (parts === undefined || "role" in r.rest) return raw(c);
  return { kind: "content", role: role ?? "", parts: parts.map(readPart), extra: r.rest };
}

const isSystem = (v: unknown): v is { parts: [{ text: string }] } => {
  if (!isObj(v) || Object.keys(v).length !== 1 || !Array.isArray(v.parts) || v.parts.length !== 1) return false;
  const [p] = v.parts as unknown[];
  return isObj(p) && Object.keys(p).length === 1 && isNonEmptyStr(p.text);
};

export function fromBody(body: unknown): { form: Form; extra: Obj } {
  const r = new Rest(body);
  const f = defaultForm("");
  f.system = r.take("systemInstruction", isSystem)?.parts[0].text ?? "";
  f.contents = (r.take("contents", Array.isArray) ?? []).map(readContent);
  const gc = r.take("generationConfig", (v): v is Obj => isObj(v) && Object.keys(v).length > 0);
  if (gc) {
    const g = new Rest(gc);
    f.temperature = g.take("temperature", isNum) ?? null;
    f.topK = g.take("topK", isInt) ?? null;
    f.topP = g.take("topP", isNum) ?? null;
    f.maxOutputTokens = g.take("maxOutputTokens", isInt) ?? null;
    f.responseMimeType = g.take("responseMimeType", isNonEmptyStr) ?? "";
    f.responseModalities = g.take("responseModalities", (v): v is string[] => isStrArray(v) && v.length > 0) ?? [];
    f.genExtra = g.rest;
  }
  const tools = r.take("tools", (v): v is unknown[] => Array.isArray(v) && v.length > 0);
  const first = tools?.[0];
  const decls = isObj(first) && Object.keys(first).length === 1 && Array.isArray(first.functionDeclarations) && first.functionDeclarations.length > 0;
  f.tools = decls ? (first.functionDeclarations as unknown[]).map(readGeminiDecl) : [];
  f.otherTools = (tools ?? []).slice(decls ? 1 : 0);
  return { form: f, extra: r.rest };
}

// Writing.

function writePart(p: Part): unknown {
  switch (p.kind) {
    case "raw":
      return p.value;
    case "text":
      return { text: p.text, ...p.extra };
    case "inline":
      return { inlineData: { mimeType: p.mimeType, data: p.data }, ...p.extra };
    case "functionCall": {
      const args = parseField(p.args);
      return { functionCall: { name: p.name, ...(args?.ok ? { args: args.value } : {}) }, ...p.extra };
    }
    case "functionResponse": {
      const response = parseField(p.response);
      return { functionResponse: { name: p.name, response: response?.ok ? response.value : {} }, ...p.extra };
    }
  }
}

const writeContent = (c: Content | RawItem): unknown =>
  c.kind === "raw" ? c.value : { ...(c.role ? { role: c.role } : {}), parts: c.parts.map(writePart), ...c.extra };

/** The body; `opts.stream` is ignored, since Gemini streams by path (`routeOf`). */
export function toBody(form: Form, opts: { stream: boolean; extra?: Obj }): Obj {
  const gc = withExtra(
    compact([
      ["temperature", form.temperature],
      ["topK", form.topK],
      ["topP", form.topP],
      ["maxOutputTokens", form.maxOutputTokens],
      ["responseMimeType", form.responseMimeType],
      ["responseModalities", form.responseModalities.length ? form.responseModalities : undefined],
    ]),
    form.genExtra,
  );
  const tools = [...(form.tools.length ? [{ functionDeclarations: form.tools.map(writeGeminiDecl) }] : []), ...form.otherTools];
  const known = compact([
    ["systemInstruction", form.system ? { parts: [{ text: form.system }] } : undefined],
    ["contents", form.contents.map(writeContent)],
    ["generationConfig", Object.keys(gc).length ? gc : undefined],
    ["tools", tools.length ? tools : undefined],
  ]);
  return withExtra(known, opts.extra);
}

export function validate(form: Form): string | null {
  if (form.model.trim() === "") return "Choose a model.";
  for (const c of form.contents) {
    if (c.kind !== "content") continue;
    for (const p of c.parts) {
      const text = p.kind === "functionCall" ? p.args : p.kind === "functionResponse" ? p.response : null;
      if (text === null) continue;
      const v = parseField(text);
      if ((v && !v.ok) || (v?.ok && !isObj(v.value)) || (p.kind === "functionResponse" && !v)) {
        return `${p.kind === "functionCall" ? "Function call" : "Function response"} “${"name" in p ? p.name : ""}”: must be a JSON object.`;
      }
    }
  }
  return toolProblem(form.tools);
}
