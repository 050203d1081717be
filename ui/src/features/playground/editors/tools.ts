// Multi-turn and tool-calling round trips: the next request body after the model answered,
// in each family's own shape. Bodies are never changed in place; each function returns a copy.
import type { ChatFamily } from "./family";
import { copy, isNonEmptyStr, isObj, isStr, parseJson, type Obj } from "./json";

/** One tool call as the backend's transcript rebuilds it from the stream. */
export interface ToolCall {
  index: number;
  id: string | null;
  name: string | null;
  /** Concatenated argument fragments: JSON text when the stream was complete. */
  arguments: string;
}

/** The model's turn as the transcript holds it. */
export interface AssistantTurn {
  text: string;
  thinking: string;
  toolCalls: ToolCall[];
  /** Responses only: the id of the response that made the calls, to chain on when stored. */
  responseId?: string | null;
}

export interface ToolResult {
  id: string | null;
  name: string | null;
  index: number;
  output: string;
}

export interface Turns {
  /** Appends the model's tool calls and the user's results; returns the body to send next. */
  followUp(body: Obj, turn: AssistantTurn, results: ToolResult[]): Obj;
  appendAssistantText(body: Obj, text: string): Obj;
  appendUser(body: Obj, text: string): Obj;
}

// A call without an id (some routes leave it out) gets one from its index, so the call and
// its result still name the same thing.
const callId = (c: { id: string | null; index: number }, prefix: string): string => c.id ?? `${prefix}${c.index}`;

/** Results in the order of the calls they answer (matched by id, else by index). */
function ordered(turn: AssistantTurn, results: ToolResult[]): ToolResult[] {
  const rank = (r: ToolResult) => {
    const i = turn.toolCalls.findIndex((c) => (r.id !== null && c.id === r.id) || (r.id === null && c.index === r.index));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...results].sort((a, b) => rank(a) - rank(b));
}

/**
 * Arguments as the object Anthropic and Gemini want. Text that is not a JSON object (a stream
 * cut short) becomes `{}`: the turn can still be sent, and the model sees no arguments.
 */
export function argsObject(text: string): Obj {
  if (text.trim() === "") return {};
  const p = parseJson(text);
  return p.ok && isObj(p.value) ? p.value : {};
}

/** A tool's output as Gemini's `response` object; anything but an object is `{result: …}`. */
export function responseObject(output: string): Obj {
  const p = parseJson(output);
  if (!p.ok) return { result: output };
  return isObj(p.value) ? p.value : { result: p.value };
}

const list = (body: Obj, key: string): unknown[] => (Array.isArray(body[key]) ? copy(body[key] as unknown[]) : []);

function push(body: Obj, key: string, ...items: unknown[]): Obj {
  return { ...copy(body), [key]: [...list(body, key), ...items] };
}

const openaiChat: Turns = {
  followUp(body, turn, results) {
    const assistant = {
      role: "assistant",
      // null, not "": the message is only tool calls, which is how the API itself answers.
      content: turn.text === "" ? null : turn.text,
      tool_calls: turn.toolCalls.map((c) => ({ id: callId(c, "call_"), type: "function", function: { name: c.name ?? "", arguments: c.arguments } })),
    };
    const tools = ordered(turn, results).map((r) => ({ role: "tool", tool_call_id: callId(r, "call_"), content: r.output }));
    return push(body, "messages", assistant, ...tools);
  },
  appendAssistantText: (body, text) => push(body, "messages", { role: "assistant", content: text }),
  appendUser: (body, text) => push(body, "messages", { role: "user", content: text }),
};

/** Responses `input` as a list (a text input becomes the user's first message). */
function inputItems(body: Obj): unknown[] {
  if (isStr(body.input)) return body.input === "" ? [] : [{ role: "user", content: body.input }];
  return list(body, "input");
}

const responses: Turns = {
  followUp(body, turn, results) {
    const outputs = ordered(turn, results).map((r) => ({ type: "function_call_output", call_id: callId(r, "call_"), output: r.output }));
    // A stored chain: the server holds the calls already, so only the outputs go, on the new response.
    if (isNonEmptyStr(body.previous_response_id) && isNonEmptyStr(turn.responseId)) {
      return { ...copy(body), previous_response_id: turn.responseId, input: outputs };
    }
    const said = turn.text === "" ? [] : [{ role: "assistant", content: turn.text }];
    const calls = turn.toolCalls.map((c) => ({ type: "function_call", call_id: callId(c, "call_"), name: c.name ?? "", arguments: c.arguments }));
    return { ...copy(body), input: [...inputItems(body), ...said, ...calls, ...outputs] };
  },
  appendAssistantText: (body, text) => ({ ...copy(body), input: [...inputItems(body), { role: "assistant", content: text }] }),
  appendUser: (body, text) => ({ ...copy(body), input: [...inputItems(body), { role: "user", content: text }] }),
};

const anthropic: Turns = {
  followUp(body, turn, results) {
    // The transcript has no thinking signature, so thinking blocks cannot be sent back.
    const said = turn.text === "" ? [] : [{ type: "text", text: turn.text }];
    const uses = turn.toolCalls.map((c) => ({ type: "tool_use", id: callId(c, "toolu_"), name: c.name ?? "", input: argsObject(c.arguments) }));
    const answers = ordered(turn, results).map((r) => ({ type: "tool_result", tool_use_id: callId(r, "toolu_"), content: r.output }));
    return push(body, "messages", { role: "assistant", content: [...said, ...uses] }, { role: "user", content: answers });
  },
  appendAssistantText: (body, text) => push(body, "messages", { role: "assistant", content: text }),
  appendUser: (body, text) => push(body, "messages", { role: "user", content: text }),
};

const gemini: Turns = {
  followUp(body, turn, results) {
    const said = turn.text === "" ? [] : [{ text: turn.text }];
    const calls = turn.toolCalls.map((c) => ({ functionCall: { name: c.name ?? "", args: argsObject(c.arguments) } }));
    // Gemini matches a response to its call by name (calls carry no id here).
    const answers = ordered(turn, results).map((r) => {
      const name = r.name ?? turn.toolCalls.find((c) => c.index === r.index)?.name ?? "";
      return { functionResponse: { name, response: responseObject(r.output) } };
    });
    return push(body, "contents", { role: "model", parts: [...said, ...calls] }, { role: "user", parts: answers });
  },
  appendAssistantText: (body, text) => push(body, "contents", { role: "model", parts: [{ text }] }),
  appendUser: (body, text) => push(body, "contents", { role: "user", parts: [{ text }] }),
};

export const turns: Record<ChatFamily, Turns> = { openai_chat: openaiChat, openai_responses: responses, anthropic, gemini };

export const followUp = (family: ChatFamily, body: Obj, turn: AssistantTurn, results: ToolResult[]): Obj => turns[family].followUp(body, turn, results);
export const appendAssistantText = (family: ChatFamily, body: Obj, text: string): Obj => turns[family].appendAssistantText(body, text);
export const appendUser = (family: ChatFamily, body: Obj, text: string): Obj => turns[family].appendUser(body, text);

/** Responses: continue a stored response; the next `input` holds only what is new. */
export const continueStored = (body: Obj, responseId: string): Obj => ({ ...copy(body), previous_response_id: responseId, input: [] });
