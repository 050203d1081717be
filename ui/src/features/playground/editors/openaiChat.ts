// OpenAI chat completions (`POST /openai/v1/chat/completions`): the form, and the body it
// stands for. `fromBody` hands the form only what it can show exactly; the rest is `extra`
// (top level) or an item's `extra` / a raw item, and `toBody` sends all of it back.
import { dataUrl, type InlineImage } from "./images";
import { Rest, compact, isBool, isInt, isLineList, isNonEmptyStr, isNum, isObj, isStr, parseField, pretty, withExtra, type Obj } from "./json";
import { raw, readChatTool, toolProblem, writeChatTool, type RawItem, type ToolItem } from "./toolDecl";

export const ROLES = ["system", "developer", "user", "assistant", "tool"] as const;
export type Role = (typeof ROLES)[number];

export type Part = { kind: "text"; text: string; extra: Obj } | { kind: "image"; url: string; detail: string; extra: Obj } | RawItem;

export interface ToolCall {
  kind: "call";
  id: string;
  name: string;
  arguments: string;
}

export interface Message {
  kind: "message";
  role: Role;
  parts: Part[];
  /** How `content` was written: a plain string, an array of parts, null, or not at all. */
  shape: "string" | "array" | "null" | "none";
  toolCalls: (ToolCall | RawItem)[];
  /** For role `tool`: the call this message answers. */
  toolCallId: string;
  extra: Obj;
}

export const RESPONSE_FORMATS = ["", "text", "json_object", "json_schema"] as const;
export const TOOL_CHOICES = ["", "auto", "none", "required", "function"] as const;

export interface Form {
  model: string;
  messages: (Message | RawItem)[];
  temperature: number | null;
  topP: number | null;
  maxTokens: number | null;
  maxCompletionTokens: number | null;
  seed: number | null;
  /** Stop sequences; empty = unset. */
  stop: string[];
  responseFormat: (typeof RESPONSE_FORMATS)[number];
  schemaName: string;
  /** The JSON Schema as text (json_schema only). */
  schema: string;
  schemaStrict: boolean | null;
  /** Other keys of `response_format.json_schema` (description…). */
  schemaExtra: Obj;
  /** `stream_options.include_usage`, sent only when streaming. */
  includeUsage: boolean;
  tools: ToolItem[];
  toolChoice: (typeof TOOL_CHOICES)[number];
  toolChoiceName: string;
}

export const newMessage = (role: Role = "user"): Message => ({
  kind: "message",
  role,
  parts: [{ kind: "text", text: "", extra: {} }],
  shape: "string",
  toolCalls: [],
  toolCallId: "",
  extra: {},
});

export const imagePart = (img: InlineImage): Part => ({ kind: "image", url: dataUrl(img), detail: "", extra: {} });

export function defaultForm(model: string): Form {
  return {
    model,
    messages: [newMessage("user")],
    temperature: null,
    topP: null,
    maxTokens: null,
    maxCompletionTokens: null,
    seed: null,
    stop: [],
    responseFormat: "",
    schemaName: "",
    schema: "",
    schemaStrict: null,
    schemaExtra: {},
    includeUsage: true,
    tools: [],
    toolChoice: "",
    toolChoiceName: "",
  };
}

export const streamOf = (body: unknown): boolean => isObj(body) && body.stream === true;

// Reading.

function readPart(p: unknown): Part {
  const r = new Rest(p);
  if (isObj(p) && p.type === "text" && isStr(p.text)) {
    delete r.rest.type;
    delete r.rest.text;
    return { kind: "text", text: p.text, extra: r.rest };
  }
  const img = isObj(p) ? p.image_url : undefined;
  if (isObj(p) && p.type === "image_url" && isObj(img) && isStr(img.url) && Object.keys(img).every((k) => k === "url" || (k === "detail" && isNonEmptyStr(img.detail)))) {
    delete r.rest.type;
    delete r.rest.image_url;
    return { kind: "image", url: img.url, detail: isStr(img.detail) ? img.detail : "", extra: r.rest };
  }
  return raw(p);
}

function readCall(c: unknown): ToolCall | RawItem {
  const fn = isObj(c) ? c.function : undefined;
  const fits = isObj(c) && isStr(c.id) && c.type === "function" && Object.keys(c).length === 3 && isObj(fn) && isStr(fn.name) && isStr(fn.arguments) && Object.keys(fn).length === 2;
  return fits ? { kind: "call", id: c.id as string, name: fn.name as string, arguments: fn.arguments as string } : raw(c);
}

function readMessage(m: unknown): Message | RawItem {
  const r = new Rest(m);
  const role = r.take("role", (v): v is Role => ROLES.includes(v as Role));
  const content = r.take("content", (v): v is string | unknown[] | null => isStr(v) || Array.isArray(v) || v === null);
  const calls = r.take("tool_calls", (v): v is unknown[] => Array.isArray(v) && v.length > 0);
  const toolCallId = r.take("tool_call_id", isStr);
  if (role === undefined || ["content", "tool_calls", "tool_call_id"].some((k) => k in r.rest)) return raw(m);
  const shape = content === undefined ? "none" : content === null ? "null" : isStr(content) ? "string" : "array";
  const parts = isStr(content) ? [{ kind: "text" as const, text: content, extra: {} }] : Array.isArray(content) ? content.map(readPart) : [];
  return { kind: "message", role, parts, shape, toolCalls: (calls ?? []).map(readCall), toolCallId: toolCallId ?? "", extra: r.rest };
}

export function fromBody(body: unknown): { form: Form; extra: Obj } {
  const r = new Rest(body);
  const f = defaultForm(r.take("model", isStr) ?? "");
  f.messages = (r.take("messages", Array.isArray) ?? []).map(readMessage);
  f.temperature = r.take("temperature", isNum) ?? null;
  f.topP = r.take("top_p", isNum) ?? null;
  f.maxTokens = r.take("max_tokens", isInt) ?? null;
  f.maxCompletionTokens = r.take("max_completion_tokens", isInt) ?? null;
  f.seed = r.take("seed", isInt) ?? null;
  f.stop = r.take("stop", isLineList) ?? [];
  const streaming = r.take("stream", (v): v is true => v === true) ?? false;
  if (streaming) {
    // Only `{include_usage: true}` is what the checkbox writes; anything else stays raw.
    const opts = r.take("stream_options", (v): v is Obj => isObj(v) && Object.keys(v).length === 1 && v.include_usage === true);
    f.includeUsage = opts !== undefined;
  }
  readResponseFormat(r, f);
  const tools = r.take("tools", (v): v is unknown[] => Array.isArray(v) && v.length > 0);
  f.tools = (tools ?? []).map(readChatTool);
  const choice = r.take("tool_choice", (v): v is string | Obj => ["auto", "none", "required"].includes(v as string) || (isObj(v) && v.type === "function" && Object.keys(v).length === 2 && isObj(v.function) && Object.keys(v.function).length === 1 && isNonEmptyStr(v.function.name)));
  if (isStr(choice)) f.toolChoice = choice as Form["toolChoice"];
  else if (isObj(choice) && isObj(choice.function)) [f.toolChoice, f.toolChoiceName] = ["function", choice.function.name as string];
  return { form: f, extra: r.rest };
}

function readResponseFormat(r: Rest, f: Form) {
  const rf = r.rest.response_format;
  if (!isObj(rf)) return;
  if ((rf.type === "text" || rf.type === "json_object") && Object.keys(rf).length === 1) {
    f.responseFormat = rf.type;
    delete r.rest.response_format;
    return;
  }
  const js = rf.json_schema;
  if (rf.type !== "json_schema" || Object.keys(rf).length !== 2 || !isObj(js)) return;
  const s = new Rest(js);
  const name = s.take("name", isNonEmptyStr);
  const schema = s.take("schema", isObj);
  const strict = s.take("strict", isBool);
  if (name === undefined || ["name", "schema", "strict"].some((k) => k in s.rest)) return;
  Object.assign(f, { responseFormat: "json_schema", schemaName: name, schema: schema ? pretty(schema) : "", schemaStrict: strict ?? null, schemaExtra: s.rest });
  delete r.rest.response_format;
}

// Writing.

function writePart(p: Part): unknown {
  if (p.kind === "raw") return p.value;
  if (p.kind === "text") return { type: "text", text: p.text, ...p.extra };
  return { type: "image_url", image_url: compact([["url", p.url], ["detail", p.detail]]), ...p.extra };
}

function writeContent(m: Message): unknown {
  const plain = m.parts.length === 1 && m.parts[0]?.kind === "text" && Object.keys(m.parts[0].extra).length === 0;
  if (m.shape === "string" && m.parts.length === 0) return "";
  if (m.shape === "string" && plain && m.parts[0]?.kind === "text") return m.parts[0].text;
  if (m.parts.length === 0) return m.shape === "null" ? null : m.shape === "array" ? [] : undefined;
  return m.parts.map(writePart);
}

function writeMessage(m: Message | RawItem): unknown {
  if (m.kind === "raw") return m.value;
  const out: Obj = { role: m.role };
  const content = writeContent(m);
  if (content !== undefined) out.content = content;
  if (m.toolCalls.length) {
    out.tool_calls = m.toolCalls.map((c) => (c.kind === "raw" ? c.value : { id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
  }
  if (m.role === "tool" || m.toolCallId !== "") out.tool_call_id = m.toolCallId;
  return { ...out, ...m.extra };
}

function writeResponseFormat(f: Form): unknown {
  if (f.responseFormat !== "json_schema") return f.responseFormat ? { type: f.responseFormat } : undefined;
  const schema = parseField(f.schema);
  const js = { ...compact([["name", f.schemaName], ["schema", schema?.ok ? schema.value : undefined], ["strict", f.schemaStrict]]), ...f.schemaExtra };
  return { type: "json_schema", json_schema: js };
}

export function toBody(form: Form, opts: { stream: boolean; extra?: Obj }): Obj {
  const choice = form.toolChoice === "function" ? { type: "function", function: { name: form.toolChoiceName } } : form.toolChoice;
  const known = compact([
    ["model", form.model],
    ["messages", form.messages.map(writeMessage)],
    ["temperature", form.temperature],
    ["top_p", form.topP],
    ["max_tokens", form.maxTokens],
    ["max_completion_tokens", form.maxCompletionTokens],
    ["seed", form.seed],
    ["stop", form.stop.length ? form.stop : undefined],
    ["response_format", writeResponseFormat(form)],
    ["tools", form.tools.length ? form.tools.map(writeChatTool) : undefined],
    ["tool_choice", choice],
    ["stream", opts.stream ? true : undefined],
    // Without it a stream never reports token counts; it is only valid on a stream.
    ["stream_options", opts.stream && form.includeUsage ? { include_usage: true } : undefined],
  ]);
  return withExtra(known, opts.extra);
}

/** What stops the form from making a body it would be right to send, or null. */
export function validate(form: Form): string | null {
  if (form.model.trim() === "") return "Choose a model.";
  if (form.responseFormat === "json_schema") {
    if (form.schemaName.trim() === "") return "Response format: give the JSON schema a name.";
    const s = parseField(form.schema);
    if (s && !s.ok) return `Response format: the schema is not valid JSON (line ${s.error.line}, column ${s.error.column}: ${s.error.message}).`;
  }
  if (form.toolChoice === "function" && form.toolChoiceName.trim() === "") return "Tool choice: name the function to call.";
  return toolProblem(form.tools);
}
