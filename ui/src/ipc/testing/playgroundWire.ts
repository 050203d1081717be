// What the fake Sandbox answers a playground request with, per chat family: the route, the
// SSE events (the family's own names and JSON, as the real Sandbox streams them) with the
// normalised ChatEvents Rust's StreamNormaliser makes of each, and the JSON answer of a
// non-stream request. The reply is deterministic: "Sandbox reply to: <prompt>", one word per
// text delta, or a call of the first declared tool with TOOL_ARGUMENTS.
import type { ChatEvent, ChatFamily, ChatTranscript, PlaygroundRequest } from "../index";

export const ANTHROPIC_VERSION = "2023-06-01";
/** The arguments of every tool call the fake makes, as JSON text. */
export const TOOL_ARGUMENTS = '{"city":"Oslo"}';
/** …and the fragments they stream in. */
const TOOL_PIECES = ['{"city":', '"Oslo"}'];
const CREATED = 1740823200;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * JSON text as the backend writes it: serde_json here keeps object keys sorted (no
 * `preserve_order`), so a body goes on the wire, and an answer comes back, with sorted keys.
 */
export function wireJson(value: unknown, indent?: number): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (!isObj(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sorted(v[k])]),
    );
  };
  return JSON.stringify(sorted(value ?? null), null, indent) ?? "null";
}

/** The text the fake answers `prompt` with. */
export function sandboxReply(prompt: string): string {
  return `Sandbox reply to: ${prompt}`.trimEnd();
}

/** The reply as the stream sends it: each word with the space before it. */
export function replyTokens(prompt: string): string[] {
  return sandboxReply(prompt).match(/\s*\S+/g) ?? [];
}

export const FAMILY_PREFIX: Record<ChatFamily, string> = {
  openai_chat: "/openai/v1",
  openai_responses: "/openai/v1",
  anthropic: "/anthropic/v1",
  gemini: "/gemini/v1beta",
};

/** ChatFamily::path after the family prefix. */
export function familyPath(family: ChatFamily, model: string, stream: boolean): string {
  switch (family) {
    case "openai_chat":
      return "/chat/completions";
    case "openai_responses":
      return "/responses";
    case "anthropic":
      return "/messages";
    case "gemini":
      return stream ? `/models/${model}:streamGenerateContent?alt=sse` : `/models/${model}:generateContent`;
  }
}

/** The full URL, joined as GatewayClient::url joins it. */
export function familyUrl(baseUrl: string, family: ChatFamily, model: string, stream: boolean): string {
  return `${baseUrl.trim().replace(/\/+$/, "")}${FAMILY_PREFIX[family]}${familyPath(family, model, stream)}`;
}

/** playground::terminator: what ends the family's stream, as the inspector names it. */
export const TERMINATOR: Record<ChatFamily, string> = {
  openai_chat: "[DONE]",
  openai_responses: "response.completed",
  anthropic: "message_stop",
  gemini: "finishReason",
};

/** Rust's prompt_of: the text of the last item whose role is `user` or missing. */
export function promptOf(family: ChatFamily, body: unknown): string {
  const b = isObj(body) ? body : {};
  switch (family) {
    case "openai_chat":
    case "anthropic":
      return lastUser(b.messages, "content");
    case "openai_responses":
      return typeof b.input === "string" ? b.input : lastUser(b.input, "content");
    case "gemini":
      return lastUser(b.contents, "parts");
  }
}

function lastUser(items: unknown, field: string): string {
  const all = list(items);
  for (let i = all.length - 1; i >= 0; i--) {
    const m = all[i];
    const role = isObj(m) ? str(m.role) : null;
    if (role !== null && role !== "user") continue;
    const content = isObj(m) ? m[field] : undefined;
    if (typeof content === "string") return content;
    return list(content)
      .map((p) => (isObj(p) ? str(p.text) : null))
      .filter((t): t is string => t !== null)
      .join("\n");
  }
  return "";
}

/** The Sandbox's "prompt" of any body: every string leaf, each followed by a space. */
export function allText(value: unknown): string {
  if (typeof value === "string") return `${value} `;
  if (Array.isArray(value)) return value.map(allText).join("");
  if (isObj(value)) return Object.values(value).map(allText).join("");
  return "";
}

/** The Sandbox's estimate: a token per four characters. */
export function estimateTokens(text: string): number {
  return Math.ceil([...text].length / 4);
}

/**
 * The tool the Sandbox calls, or null: the first declared one, unless tool choice is `none`
 * or the last turn already returns a tool result (then it answers in text).
 */
export function toolToCall(family: ChatFamily, body: unknown): string | null {
  const b = isObj(body) ? body : {};
  const last = (items: unknown): Obj => {
    const l = list(items);
    const x = l[l.length - 1];
    return isObj(x) ? x : {};
  };
  switch (family) {
    case "openai_chat": {
      const tool = list(b.tools)[0];
      if (!isObj(tool) || b.tool_choice === "none" || last(b.messages).role === "tool") return null;
      return (isObj(tool.function) && str(tool.function.name)) || "tool";
    }
    case "openai_responses": {
      const tool = list(b.tools).find((t) => isObj(t) && t.type === "function");
      const answered = Array.isArray(b.input) && last(b.input).type === "function_call_output";
      if (!isObj(tool) || answered || b.tool_choice === "none") return null;
      return str(tool.name) ?? "tool";
    }
    case "anthropic": {
      const tool = list(b.tools)[0];
      const choice = isObj(b.tool_choice) ? b.tool_choice.type : null;
      const answered = list(last(b.messages).content).some((p) => isObj(p) && p.type === "tool_result");
      if (!isObj(tool) || choice === "none" || answered) return null;
      return str(tool.name) ?? "tool";
    }
    case "gemini": {
      const declared = list(b.tools).flatMap((t) => (isObj(t) ? list(t.functionDeclarations) : []));
      const first = declared[0];
      const config = isObj(b.toolConfig) && isObj(b.toolConfig.functionCallingConfig) ? b.toolConfig.functionCallingConfig : {};
      const answered = list(last(b.contents).parts).some((p) => isObj(p) && "functionResponse" in p);
      if (!isObj(first) || config.mode === "NONE" || answered) return null;
      return str(first.name) ?? "tool";
    }
  }
}

/** Whether the answer is an event stream: the path decides for Gemini, the body for the rest. */
export function isEventStream(request: PlaygroundRequest): boolean {
  if (request.family === "gemini") return request.stream;
  return isObj(request.body) && request.body.stream === true;
}

/** One SSE event as the Sandbox sends it, and what the normaliser makes of it. */
export interface WireItem {
  /** The `event:` name; null for unnamed events (read as `message`). */
  event: string | null;
  data: string;
  chat: ChatEvent[];
}

/** A reply in one family: its events (in chunks, as they go on the wire) and its JSON form. */
export interface Plan {
  /** The first chunk has the opening events and the first couple of deltas; the last, the end. */
  chunks: WireItem[][];
  /** The answer of a non-stream request. */
  json: unknown;
}

interface Reply {
  model: string;
  /** Makes the ids of one run: `chatcmpl-<tag>`, `toolu_<tag>`... */
  tag: string;
  tokens: string[];
  tool: string | null;
  input: number;
  output: number;
}

/** The Sandbox's answer to `request`, run number `n`. */
export function planOf(request: PlaygroundRequest, n: number): Plan {
  const b = isObj(request.body) ? request.body : {};
  const tool = toolToCall(request.family, request.body);
  const tokens = tool ? [] : replyTokens(promptOf(request.family, request.body));
  const reply: Reply = {
    model: request.family === "gemini" ? request.model : (str(b.model) ?? request.model),
    tag: `sandbox${String(n).padStart(4, "0")}`,
    tokens,
    tool,
    input: estimateTokens(allText(request.body)),
    output: tool ? estimateTokens(TOOL_ARGUMENTS) + 3 : tokens.length,
  };
  const [head, body, tail, json] = PLANS[request.family](reply);
  const meta: ChatEvent = { kind: "meta", model: reply.model, responseId: responseIdOf(request.family, reply.tag) };
  const items = [...head, ...body];
  const first = items[0];
  if (first) first.chat.unshift(meta);
  // The opening events travel with the first two deltas, then two deltas a chunk.
  const chunks: WireItem[][] = [[...head, ...body.slice(0, 2)]];
  for (let i = 2; i < body.length; i += 2) chunks.push(body.slice(i, i + 2));
  chunks.push(tail);
  return { chunks, json };
}

function responseIdOf(family: ChatFamily, tag: string): string {
  return { openai_chat: `chatcmpl-${tag}`, openai_responses: `resp_${tag}`, anthropic: `msg_${tag}`, gemini: tag }[family];
}

const text = (t: string): ChatEvent => ({ kind: "text_delta", text: t });
const toolDelta = (id: string | null, name: string | null, fragment: string): ChatEvent => ({
  kind: "tool_call_delta",
  index: 0,
  id,
  name,
  argumentsFragment: fragment,
});
const usage = (input: number | null, output: number | null): ChatEvent => ({
  kind: "usage",
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: null,
  cacheCreationInputTokens: null,
  reasoningTokens: null,
});
const finish = (reason: string): ChatEvent => ({ kind: "finish", reason });
const item = (event: string | null, data: unknown, chat: ChatEvent[] = []): WireItem => ({
  event,
  data: typeof data === "string" ? data : wireJson(data),
  chat,
});

type Parts = [head: WireItem[], body: WireItem[], tail: WireItem[], json: unknown];

const PLANS: Record<ChatFamily, (r: Reply) => Parts> = {
  openai_chat: (r) => {
    const id = `chatcmpl-${r.tag}`;
    const callId = `call_${r.tag}`;
    const reason = r.tool ? "tool_calls" : "stop";
    const u = { prompt_tokens: r.input, completion_tokens: r.output, total_tokens: r.input + r.output };
    const chunk = (delta: Obj, finishReason: string | null = null, extra: Obj = {}) => ({
      id,
      object: "chat.completion.chunk",
      created: CREATED,
      model: r.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
      ...extra,
    });
    const body = r.tool
      ? [
          item(null, chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: callId, type: "function", function: { name: r.tool, arguments: "" } }] }), [
            toolDelta(callId, r.tool, ""),
          ]),
          ...TOOL_PIECES.map((p) => item(null, chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }), [toolDelta(null, null, p)])),
        ]
      : r.tokens.map((t, i) => item(null, chunk(i === 0 ? { role: "assistant", content: t } : { content: t }), [text(t)]));
    const tail = [item(null, chunk({}, reason, { usage: u }), [finish(reason), usage(r.input, r.output)]), item(null, "[DONE]")];
    const message = r.tool
      ? { role: "assistant", content: null, refusal: null, tool_calls: [{ id: callId, type: "function", function: { name: r.tool, arguments: TOOL_ARGUMENTS } }] }
      : { role: "assistant", content: r.tokens.join(""), refusal: null };
    const json = { id, object: "chat.completion", created: CREATED, model: r.model, choices: [{ index: 0, message, logprobs: null, finish_reason: reason }], usage: u };
    return [[], body, tail, json];
  },

  openai_responses: (r) => {
    const id = `resp_${r.tag}`;
    const msgId = `msg_${r.tag}`;
    const fcId = `fc_${r.tag}`;
    const callId = `call_${r.tag}`;
    const response = (status: string, output: unknown[], extra: Obj = {}) => ({
      id,
      object: "response",
      created_at: CREATED,
      status,
      model: r.model,
      output,
      ...extra,
    });
    const done = r.tool
      ? { id: fcId, type: "function_call", status: "completed", call_id: callId, name: r.tool, arguments: TOOL_ARGUMENTS }
      : { id: msgId, type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: r.tokens.join(""), annotations: [] }] };
    const head = [item("response.created", { type: "response.created", response: response("in_progress", []) })];
    const body = r.tool
      ? [
          item(
            "response.output_item.added",
            { type: "response.output_item.added", output_index: 0, item: { ...done, status: "in_progress", arguments: "" } },
            [toolDelta(callId, r.tool, "")],
          ),
          ...TOOL_PIECES.map((p) =>
            item("response.function_call_arguments.delta", { type: "response.function_call_arguments.delta", item_id: fcId, output_index: 0, delta: p }, [
              toolDelta(null, null, p),
            ]),
          ),
        ]
      : r.tokens.map((t) =>
          item("response.output_text.delta", { type: "response.output_text.delta", item_id: msgId, output_index: 0, content_index: 0, delta: t }, [text(t)]),
        );
    const u = { input_tokens: r.input, output_tokens: r.output, total_tokens: r.input + r.output };
    const completed = response("completed", [done], { usage: u });
    const tail = [
      item("response.output_item.done", { type: "response.output_item.done", output_index: 0, item: done }),
      item("response.completed", { type: "response.completed", response: completed }, [usage(r.input, r.output), finish("completed")]),
    ];
    return [head, body, tail, completed];
  },

  anthropic: (r) => {
    const id = `msg_${r.tag}`;
    const toolId = `toolu_${r.tag}`;
    const reason = r.tool ? "tool_use" : "end_turn";
    const start = {
      type: "message_start",
      message: { id, type: "message", role: "assistant", model: r.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: r.input, output_tokens: 1 } },
    };
    const head = [item("message_start", start, [usage(r.input, 1)])];
    if (!r.tool) head.push(item("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
    const delta = (d: Obj, chat: ChatEvent) => item("content_block_delta", { type: "content_block_delta", index: 0, delta: d }, [chat]);
    const body = r.tool
      ? [
          item("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: toolId, name: r.tool, input: {} } }, [
            toolDelta(toolId, r.tool, ""),
          ]),
          ...TOOL_PIECES.map((p) => delta({ type: "input_json_delta", partial_json: p }, toolDelta(null, null, p))),
        ]
      : r.tokens.map((t) => delta({ type: "text_delta", text: t }, text(t)));
    const tail = [
      item("content_block_stop", { type: "content_block_stop", index: 0 }),
      item("message_delta", { type: "message_delta", delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: r.output } }, [
        finish(reason),
        usage(null, r.output),
      ]),
      item("message_stop", { type: "message_stop" }),
    ];
    const content = r.tool ? [{ type: "tool_use", id: toolId, name: r.tool, input: JSON.parse(TOOL_ARGUMENTS) as unknown }] : [{ type: "text", text: r.tokens.join("") }];
    const json = { ...start.message, content, stop_reason: reason, usage: { input_tokens: r.input, output_tokens: r.output } };
    return [head, body, tail, json];
  },

  gemini: (r) => {
    const callId = `call_${r.tag}`;
    const chunk = (parts: unknown[], done: boolean) => ({
      candidates: [{ content: { role: "model", parts }, index: 0, ...(done ? { finishReason: "STOP" } : {}) }],
      ...(done ? { usageMetadata: { promptTokenCount: r.input, candidatesTokenCount: r.output, totalTokenCount: r.input + r.output } } : {}),
      modelVersion: r.model,
      responseId: r.tag,
    });
    const call = { functionCall: { id: callId, name: r.tool, args: JSON.parse(TOOL_ARGUMENTS) as unknown } };
    const body = r.tool
      ? [item(null, chunk([call], false), [toolDelta(callId, r.tool, TOOL_ARGUMENTS)])]
      : r.tokens.map((t) => item(null, chunk([{ text: t }], false), [text(t)]));
    const tail = [item(null, chunk([], true), [usage(r.input, r.output), finish("STOP")])];
    const json = chunk(r.tool ? [call] : [{ text: r.tokens.join("") }], true);
    return [[], body, tail, json];
  },
};

/** ChatTranscript::default. */
export function emptyTranscript(): ChatTranscript {
  return {
    model: null,
    responseId: null,
    text: "",
    thinking: "",
    refusal: "",
    toolCalls: [],
    usage: { inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null },
    finishReason: null,
    gatewayError: null,
  };
}

/** ChatTranscript::apply: folds one event into the answer so far. */
export function applyEvent(t: ChatTranscript, e: ChatEvent): void {
  switch (e.kind) {
    case "meta":
      t.model = e.model ?? t.model;
      t.responseId = e.responseId ?? t.responseId;
      return;
    case "text_delta":
      t.text += e.text;
      return;
    case "refusal":
      t.refusal += e.text;
      return;
    case "thinking_delta":
      t.thinking += e.text;
      return;
    case "tool_call_delta": {
      let call = t.toolCalls.find((c) => c.index === e.index);
      if (!call) {
        call = { index: e.index, id: null, name: null, arguments: "" };
        t.toolCalls.push(call);
      }
      call.id = call.id ?? e.id;
      call.name = call.name ?? e.name;
      call.arguments += e.argumentsFragment;
      return;
    }
    case "usage":
      t.usage = {
        inputTokens: e.inputTokens ?? t.usage.inputTokens,
        outputTokens: e.outputTokens ?? t.usage.outputTokens,
        cachedInputTokens: e.cachedInputTokens ?? t.usage.cachedInputTokens,
        cacheCreationInputTokens: e.cacheCreationInputTokens ?? t.usage.cacheCreationInputTokens,
        reasoningTokens: e.reasoningTokens ?? t.usage.reasoningTokens,
      };
      return;
    case "finish":
      t.finishReason = e.reason;
      return;
    default: {
      // The last kind, named in a type rather than a `case`: its word is also an error code,
      // which boundary.test.ts rightly refuses to see compared as a literal.
      const kind: "gateway_error" = e.kind;
      void kind;
      t.gatewayError = e.message;
      return;
    }
  }
}
