// Anthropic messages (`POST /anthropic/v1/messages`): system, messages of content blocks (text,
// image, tool_use, tool_result), the required max_tokens, sampling, thinking budget and tools.
import type { InlineImage } from "./images";
import { Rest, compact, isInt, isLineList, isNonEmptyStr, isNum, isObj, isStr, isBool, parseField, pretty, withExtra, type Obj } from "./json";
import { raw, readAnthropicTool, toolProblem, writeAnthropicTool, type RawItem, type ToolItem } from "./toolDecl";

export const ROLES = ["user", "assistant"] as const;
export type Role = (typeof ROLES)[number];

export type Block =
  | { kind: "text"; text: string; extra: Obj }
  | { kind: "image"; mediaType: string; data: string; extra: Obj }
  /** `input` as JSON text. */
  | { kind: "tool_use"; id: string; name: string; input: string; extra: Obj }
  | { kind: "tool_result"; toolUseId: string; content: string; isError: boolean | null; extra: Obj }
  | RawItem;

export interface Message {
  kind: "message";
  role: Role;
  blocks: Block[];
  /** `content` written as a plain string (one text block) or as an array of blocks. */
  shape: "string" | "array";
  extra: Obj;
}

export interface Form {
  model: string;
  system: string;
  messages: (Message | RawItem)[];
  /** Required by the API; the form refuses to make a body without it. */
  maxTokens: number | null;
  temperature: number | null;
  topK: number | null;
  topP: number | null;
  stopSequences: string[];
  /** `thinking: {type: "enabled", budget_tokens}`; null = no extended thinking. */
  thinkingBudget: number | null;
  tools: ToolItem[];
}

export const DEFAULT_MAX_TOKENS = 1024;
/** The API's floor for a thinking budget (and it must stay under max_tokens). */
export const MIN_THINKING_BUDGET = 1024;

export const newMessage = (role: Role = "user"): Message => ({ kind: "message", role, blocks: [textBlock("")], shape: "string", extra: {} });
export const textBlock = (text: string): Block => ({ kind: "text", text, extra: {} });
export const imageBlock = (img: InlineImage): Block => ({ kind: "image", mediaType: img.mime, data: img.data, extra: {} });

export function defaultForm(model: string): Form {
  return {
    model,
    system: "",
    messages: [newMessage("user")],
    maxTokens: DEFAULT_MAX_TOKENS,
    temperature: null,
    topK: null,
    topP: null,
    stopSequences: [],
    thinkingBudget: null,
    tools: [],
  };
}

export const streamOf = (body: unknown): boolean => isObj(body) && body.stream === true;

// Reading.

/** Takes `keys` from a block with `fits`; null when one is missing or unfit (the block stays raw). */
function takeAll(r: Rest, fits: Record<string, (v: unknown) => boolean>, optional: string[] = []): Obj | null {
  const got: Obj = {};
  for (const [k, ok] of Object.entries(fits)) {
    if (!(k in r.rest)) {
      if (optional.includes(k)) continue;
      return null;
    }
    if (!ok(r.rest[k])) return null;
    got[k] = r.rest[k];
    delete r.rest[k];
  }
  return got;
}

function readBlock(b: unknown): Block {
  if (!isObj(b)) return raw(b);
  const r = new Rest(b);
  delete r.rest.type;
  if (b.type === "text") {
    const g = takeAll(r, { text: isStr });
    if (g) return { kind: "text", text: g.text as string, extra: r.rest };
  } else if (b.type === "image") {
    const s = b.source;
    const fits = isObj(s) && s.type === "base64" && isStr(s.media_type) && isStr(s.data) && Object.keys(s).length === 3;
    if (fits && takeAll(r, { source: isObj })) return { kind: "image", mediaType: s.media_type as string, data: s.data as string, extra: r.rest };
  } else if (b.type === "tool_use") {
    const g = takeAll(r, { id: isStr, name: isStr, input: isObj });
    if (g) return { kind: "tool_use", id: g.id as string, name: g.name as string, input: pretty(g.input), extra: r.rest };
  } else if (b.type === "tool_result") {
    const g = takeAll(r, { tool_use_id: isStr, content: isStr, is_error: isBool }, ["content", "is_error"]);
    if (g && "content" in g) {
      return { kind: "tool_result", toolUseId: g.tool_use_id as string, content: g.content as string, isError: isBool(g.is_error) ? g.is_error : null, extra: r.rest };
    }
  }
  return raw(b);
}

function readMessage(m: unknown): Message | RawItem {
  const r = new Rest(m);
  const role = r.take("role", (v): v is Role => ROLES.includes(v as Role));
  const content = r.take("content", (v): v is string | unknown[] => isStr(v) || Array.isArray(v));
  if (role === undefined || content === undefined) return raw(m);
  const blocks = isStr(content) ? [textBlock(content)] : content.map(readBlock);
  return { kind: "message", role, blocks, shape: isStr(content) ? "string" : "array", extra: r.rest };
}

export function fromBody(body: unknown): { form: Form; extra: Obj } {
  const r = new Rest(body);
  const f = defaultForm(r.take("model", isStr) ?? "");
  f.system = r.take("system", isNonEmptyStr) ?? "";
  f.messages = (r.take("messages", Array.isArray) ?? []).map(readMessage);
  f.maxTokens = r.take("max_tokens", isInt) ?? null;
  f.temperature = r.take("temperature", isNum) ?? null;
  f.topK = r.take("top_k", isInt) ?? null;
  f.topP = r.take("top_p", isNum) ?? null;
  f.stopSequences = r.take("stop_sequences", isLineList) ?? [];
  const thinking = r.take("thinking", (v): v is Obj => isObj(v) && v.type === "enabled" && isInt(v.budget_tokens) && Object.keys(v).length === 2);
  f.thinkingBudget = thinking ? (thinking.budget_tokens as number) : null;
  f.tools = (r.take("tools", (v): v is unknown[] => Array.isArray(v) && v.length > 0) ?? []).map(readAnthropicTool);
  r.take("stream", (v): v is true => v === true);
  return { form: f, extra: r.rest };
}

// Writing.

function writeBlock(b: Block): unknown {
  switch (b.kind) {
    case "raw":
      return b.value;
    case "text":
      return { type: "text", text: b.text, ...b.extra };
    case "image":
      return { type: "image", source: { type: "base64", media_type: b.mediaType, data: b.data }, ...b.extra };
    case "tool_use": {
      const input = parseField(b.input);
      return { type: "tool_use", id: b.id, name: b.name, input: input?.ok ? input.value : {}, ...b.extra };
    }
    case "tool_result":
      return { type: "tool_result", tool_use_id: b.toolUseId, content: b.content, ...(b.isError === null ? {} : { is_error: b.isError }), ...b.extra };
  }
}

function writeMessage(m: Message | RawItem): unknown {
  if (m.kind === "raw") return m.value;
  const only = m.blocks[0];
  const plain = m.shape === "string" && m.blocks.length === 1 && only?.kind === "text" && Object.keys(only.extra).length === 0;
  return { role: m.role, content: plain && only?.kind === "text" ? only.text : m.blocks.map(writeBlock), ...m.extra };
}

export function toBody(form: Form, opts: { stream: boolean; extra?: Obj }): Obj {
  const known = compact([
    ["model", form.model],
    ["max_tokens", form.maxTokens],
    ["system", form.system],
    ["messages", form.messages.map(writeMessage)],
    ["temperature", form.temperature],
    ["top_k", form.topK],
    ["top_p", form.topP],
    ["stop_sequences", form.stopSequences.length ? form.stopSequences : undefined],
    ["thinking", form.thinkingBudget === null ? undefined : { type: "enabled", budget_tokens: form.thinkingBudget }],
    ["tools", form.tools.length ? form.tools.map(writeAnthropicTool) : undefined],
    ["stream", opts.stream ? true : undefined],
  ]);
  return withExtra(known, opts.extra);
}

export function validate(form: Form): string | null {
  if (form.model.trim() === "") return "Choose a model.";
  if (form.maxTokens === null) return "Max tokens is required by the Anthropic API.";
  for (const m of form.messages) {
    if (m.kind !== "message") continue;
    for (const b of m.blocks) {
      if (b.kind !== "tool_use") continue;
      const input = parseField(b.input);
      if (!input?.ok || !isObj(input.value)) return `Tool use “${b.name || b.id}”: input must be a JSON object.`;
    }
  }
  return toolProblem(form.tools);
}

/** Advice, not a block: the API refuses these, but a gateway route may not be Anthropic's own. */
export function thinkingAdvice(form: Form): string | null {
  if (form.thinkingBudget === null) return null;
  if (form.thinkingBudget < MIN_THINKING_BUDGET) return `The API wants a budget of at least ${MIN_THINKING_BUDGET} tokens.`;
  if (form.maxTokens !== null && form.thinkingBudget >= form.maxTokens) return "The budget must be less than max tokens.";
  if (form.temperature !== null && form.temperature !== 1) return "With thinking on, the API accepts only temperature 1 (or unset).";
  return null;
}
