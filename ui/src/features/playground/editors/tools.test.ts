// Follow-up bodies per family. Where ../shared/fixtures holds a real tool-calling stream from
// an official SDK, the calls are rebuilt from it and the follow-up must echo them in the
// family's request shape (ids, names, arguments as the provider sent them).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isObj, type Obj } from "./json";
import { appendAssistantText, appendUser, continueStored, followUp, responseObject, type AssistantTurn, type ToolCall } from "./tools";

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../../shared/fixtures");
const haveFixtures = existsSync(resolve(FIXTURES, "README.md"));
if (!haveFixtures) console.log(`SKIPPED: fixture checks, ../shared/fixtures not found (looked for ${FIXTURES})`);

/** The JSON of every `data:` line (enough for these files: one data line per event). */
function events(file: string): Obj[] {
  return readFileSync(resolve(FIXTURES, file), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.startsWith("data:") && l.slice(5).trim() !== "[DONE]")
    .map((l) => JSON.parse(l.slice(5)) as Obj);
}

const turn = (toolCalls: ToolCall[], text = ""): AssistantTurn => ({ text, thinking: "", toolCalls });
const weather: ToolCall = { index: 0, id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' };
const stock: ToolCall = { index: 1, id: "call_2", name: "get_stock", arguments: '{"ticker":"AAPL"}' };
const results = [
  { id: "call_2", name: "get_stock", index: 1, output: "189.5" },
  { id: "call_1", name: "get_weather", index: 0, output: '{"temp":21}' },
];

describe("followUp", () => {
  it("OpenAI chat: an assistant message with tool_calls, then one tool message per call in call order", () => {
    const body = { model: "m", messages: [{ role: "user", content: "Weather and AAPL?" }], stream: true };
    const next = followUp("openai_chat", body, turn([weather, stock]), results);
    expect(next.messages).toEqual([
      { role: "user", content: "Weather and AAPL?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "call_2", type: "function", function: { name: "get_stock", arguments: '{"ticker":"AAPL"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
      { role: "tool", tool_call_id: "call_2", content: "189.5" },
    ]);
    expect(next.stream).toBe(true);
    expect(body.messages).toHaveLength(1);
  });

  it("Responses: function_call and function_call_output items after the input", () => {
    const next = followUp("openai_responses", { model: "m", input: "Weather?" }, turn([weather], "Checking."), [results[1]!]);
    expect(next.input).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: "Checking." },
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "call_1", output: '{"temp":21}' },
    ]);
  });

  it("Responses on a stored chain: the new response id and only the outputs", () => {
    const body = { model: "m", previous_response_id: "resp_0", input: [{ role: "user", content: "Weather?" }] };
    const next = followUp("openai_responses", body, { ...turn([weather]), responseId: "resp_1" }, [results[1]!]);
    expect(next).toEqual({ model: "m", previous_response_id: "resp_1", input: [{ type: "function_call_output", call_id: "call_1", output: '{"temp":21}' }] });
    expect(continueStored(body, "resp_9")).toEqual({ model: "m", previous_response_id: "resp_9", input: [] });
  });

  it("Anthropic: assistant tool_use blocks with parsed input, then a user message of tool_result blocks", () => {
    const next = followUp("anthropic", { model: "m", max_tokens: 9, messages: [] }, turn([weather, stock], "Let me check."), results);
    expect(next.messages).toEqual([
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_stock", input: { ticker: "AAPL" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: '{"temp":21}' },
          { type: "tool_result", tool_use_id: "call_2", content: "189.5" },
        ],
      },
    ]);
  });

  it("Gemini: a model content of functionCall parts, then a user content of functionResponse parts", () => {
    const calls = [{ ...weather, id: null }, { ...stock, id: null }];
    const res = results.map((r) => ({ ...r, id: null }));
    const next = followUp("gemini", { contents: [{ role: "user", parts: [{ text: "?" }] }] }, turn(calls), res);
    expect(next.contents).toEqual([
      { role: "user", parts: [{ text: "?" }] },
      { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }, { functionCall: { name: "get_stock", args: { ticker: "AAPL" } } }] },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 21 } } }, { functionResponse: { name: "get_stock", response: { result: 189.5 } } }] },
    ]);
    expect(responseObject("not json")).toEqual({ result: "not json" });
    expect(responseObject("[1,2]")).toEqual({ result: [1, 2] });
  });

  it("names calls that came without an id after their index, in the call and its result alike", () => {
    const next = followUp("openai_chat", { messages: [] }, turn([{ ...weather, id: null }]), [{ id: null, name: "get_weather", index: 0, output: "x" }]);
    const [assistant, tool] = next.messages as Obj[];
    expect((assistant!.tool_calls as Obj[])[0]!.id).toBe("call_0");
    expect(tool!.tool_call_id).toBe("call_0");
  });

  it("sends arguments cut short as an empty object where the family needs an object", () => {
    const next = followUp("anthropic", { messages: [] }, turn([{ ...weather, arguments: '{"ci' }]), [results[1]!]);
    expect(((next.messages as Obj[])[0]!.content as Obj[])[0]).toEqual({ type: "tool_use", id: "call_1", name: "get_weather", input: {} });
  });
});

describe("plain multi-turn", () => {
  it("appends the answer and the next question in each family's shape", () => {
    const chat = appendUser("openai_chat", appendAssistantText("openai_chat", { messages: [{ role: "user", content: "a" }] }, "b"), "c");
    expect(chat.messages).toEqual([{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }]);
    const an = appendUser("anthropic", appendAssistantText("anthropic", { messages: [] }, "b"), "c");
    expect(an.messages).toEqual([{ role: "assistant", content: "b" }, { role: "user", content: "c" }]);
    const rs = appendUser("openai_responses", appendAssistantText("openai_responses", { input: "a" }, "b"), "c");
    expect(rs.input).toEqual([{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }]);
    const ge = appendUser("gemini", appendAssistantText("gemini", { contents: [] }, "b"), "c");
    expect(ge.contents).toEqual([{ role: "model", parts: [{ text: "b" }] }, { role: "user", parts: [{ text: "c" }] }]);
  });
});

describe.skipIf(haveFixtures)("without ../shared/fixtures", () => {
  it("is only allowed outside CI", () => {
    expect(process.env.CI, "CI must provide ../shared/fixtures").toBeUndefined();
  });
});

describe.skipIf(!haveFixtures)("followUp against the SDK fixtures", () => {
  it("OpenAI chat: the parallel calls of chat_stream_tool_calls_parallel.sse come back as the API sent them", () => {
    const calls: ToolCall[] = [];
    const wire: Obj[] = [];
    for (const e of events("openai/chat_stream_tool_calls_parallel.sse")) {
      const choice = (e.choices as Obj[] | undefined)?.[0];
      const deltas = (isObj(choice?.delta) ? (choice.delta.tool_calls as Obj[] | undefined) : undefined) ?? [];
      for (const d of deltas) {
        const i = d.index as number;
        const fn = d.function as Obj;
        if (d.id) {
          calls[i] = { index: i, id: d.id as string, name: fn.name as string, arguments: "" };
          wire[i] = { id: d.id, type: d.type, function: { name: fn.name, arguments: "" } };
        }
        calls[i]!.arguments += fn.arguments as string;
        (wire[i]!.function as Obj).arguments = calls[i]!.arguments;
      }
    }
    expect(calls).toHaveLength(2);
    const next = followUp("openai_chat", { messages: [] }, turn(calls), calls.map((c) => ({ id: c.id, name: c.name, index: c.index, output: "ok" })));
    const [assistant, ...tools] = next.messages as Obj[];
    // The same objects the stream described: id, type "function", function {name, arguments}.
    expect(assistant!.tool_calls).toEqual(wire);
    for (const c of calls) expect(() => JSON.parse(c.arguments) as unknown).not.toThrow();
    expect(tools.map((t) => t.tool_call_id)).toEqual(calls.map((c) => c.id));
  });

  it("Anthropic: the tool_use block of messages_stream_tool_use.sse is echoed with its input parsed", () => {
    let block: Obj | null = null;
    let json = "";
    let text = "";
    for (const e of events("anthropic/messages_stream_tool_use.sse")) {
      if (e.type === "content_block_start" && isObj(e.content_block) && e.content_block.type === "tool_use") block = e.content_block;
      const d = e.delta;
      if (e.type === "content_block_delta" && isObj(d) && d.type === "input_json_delta") json += d.partial_json as string;
      if (e.type === "content_block_delta" && isObj(d) && d.type === "text_delta") text += d.text as string;
    }
    expect(block).not.toBeNull();
    const call: ToolCall = { index: 1, id: block!.id as string, name: block!.name as string, arguments: json };
    const next = followUp("anthropic", { messages: [] }, turn([call], text), [{ id: call.id, name: call.name, index: 1, output: "15C" }]);
    const [assistant, user] = next.messages as Obj[];
    expect(assistant!.content).toEqual([
      { type: "text", text },
      { type: "tool_use", id: block!.id, name: block!.name, input: JSON.parse(json) as unknown },
    ]);
    expect(user!.content).toEqual([{ type: "tool_result", tool_use_id: block!.id, content: "15C" }]);
  });

  it("Gemini: the functionCall part of stream_function_call.sse is echoed exactly", () => {
    const [event] = events("gemini/stream_function_call.sse");
    const content = ((event!.candidates as Obj[])[0]!.content as Obj);
    const part = (content.parts as Obj[])[0]!;
    const fc = part.functionCall as Obj;
    const call: ToolCall = { index: 0, id: null, name: fc.name as string, arguments: JSON.stringify(fc.args) };
    const next = followUp("gemini", { contents: [] }, turn([call]), [{ id: null, name: call.name, index: 0, output: '{"degrees":21}' }]);
    const [model, user] = next.contents as Obj[];
    expect(model).toEqual({ role: "model", parts: [part] });
    expect(user).toEqual({ role: "user", parts: [{ functionResponse: { name: fc.name, response: { degrees: 21 } } }] });
  });
});
