import { describe, expect, it } from "vitest";
import { defaultForm, fromBody, imageBlock, streamOf, textBlock, thinkingAdvice, toBody, validate, type Message } from "./anthropic";
import { newTool } from "./toolDecl";

const again = (body: Record<string, unknown>) => {
  const { form, extra } = fromBody(body);
  return toBody(form, { stream: streamOf(body), extra });
};

describe("Anthropic toBody", () => {
  it("always sends max_tokens, and stream: true when streaming", () => {
    const form = defaultForm("claude-sonnet-4-6");
    (form.messages[0] as Message).blocks = [textBlock("Hello")];
    expect(toBody(form, { stream: true })).toEqual({ model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }], stream: true });
  });

  it("writes system, sampling, stop sequences, the thinking budget and tools", () => {
    const form = defaultForm("m");
    Object.assign(form, { system: "You are concise.", temperature: 1, topK: 40, topP: 0.9, stopSequences: ["\nHuman:"], thinkingBudget: 2048, maxTokens: 4096 });
    const tool = newTool();
    Object.assign(tool, { name: "get_weather", description: "Weather", parameters: '{"type":"object"}' });
    form.tools = [tool];
    const body = toBody(form, { stream: false });
    expect(body).toMatchObject({
      system: "You are concise.",
      max_tokens: 4096,
      temperature: 1,
      top_k: 40,
      top_p: 0.9,
      stop_sequences: ["\nHuman:"],
      thinking: { type: "enabled", budget_tokens: 2048 },
      tools: [{ name: "get_weather", description: "Weather", input_schema: { type: "object" } }],
    });
    expect(thinkingAdvice(form)).toBeNull();
  });

  it("sends an image as a base64 image block", () => {
    const form = defaultForm("m");
    (form.messages[0] as Message).blocks = [imageBlock({ mime: "image/webp", data: "UklGR", name: "a.webp", size: 4 }), textBlock("Describe it")];
    expect(toBody(form, { stream: false }).messages).toEqual([
      { role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/webp", data: "UklGR" } }, { type: "text", text: "Describe it" }] },
    ]);
  });
});

describe("Anthropic fromBody", () => {
  const rich = {
    model: "m",
    max_tokens: 512,
    system: [{ type: "text", text: "Cached", cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: [{ type: "text", text: "Weather?", cache_control: { type: "ephemeral" } }, { type: "image", source: { type: "url", url: "https://x/a.png" } }] },
      { role: "assistant", content: [{ type: "text", text: "Checking." }, { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "21C", is_error: false }, { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "x" }] }] },
      { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }, { type: "text", text: "Sunny." }] },
    ],
    thinking: { type: "enabled", budget_tokens: 1024 },
    tools: [{ name: "get_weather", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }, { type: "web_search_20250305", name: "web_search" }],
    tool_choice: { type: "auto" },
    metadata: { user_id: "u" },
    stream: true,
  };

  it("gives back the same body, unknown blocks and keys included", () => {
    expect(again(rich)).toEqual(rich);
    const { form, extra } = fromBody(rich);
    expect(Object.keys(extra)).toEqual(["system", "tool_choice", "metadata"]);
    const kinds = form.messages.map((m) => (m.kind === "message" ? m.blocks.map((b) => b.kind) : "raw"));
    expect(kinds).toEqual([["text", "raw"], ["text", "tool_use"], ["tool_result", "raw"], ["raw", "text"]]);
    expect(form.thinkingBudget).toBe(1024);
    expect(form.tools.map((t) => t.kind)).toEqual(["function", "raw"]);
  });

  it.each([
    { model: "m", max_tokens: 1, messages: [{ role: "user", content: "x" }], thinking: { type: "disabled" } },
    { model: "m", max_tokens: 1, messages: [], stop_sequences: [], stream: false },
  ])("round-trips %j", (body) => {
    expect(again(body)).toEqual(body);
  });

  it("refuses a body without max_tokens and tool_use input that is not an object", () => {
    const { form } = fromBody({ model: "m", messages: [] });
    expect(validate(form)).toContain("Max tokens is required");
    form.maxTokens = 10;
    form.messages = [{ kind: "message", role: "assistant", shape: "array", extra: {}, blocks: [{ kind: "tool_use", id: "t", name: "f", input: "[1]", extra: {} }] }];
    expect(validate(form)).toContain("must be a JSON object");
  });

  it("advises on thinking budgets the API refuses", () => {
    const form = defaultForm("m");
    form.thinkingBudget = 512;
    expect(thinkingAdvice(form)).toContain("at least 1024");
    form.thinkingBudget = 2048;
    expect(thinkingAdvice(form)).toContain("less than max tokens");
  });
});
