import { describe, expect, it } from "vitest";
import { defaultForm, fromBody, imagePart, newMessage, streamOf, toBody, validate, type Message } from "./openaiChat";
import { newTool } from "./toolDecl";

const IMG = { mime: "image/png", data: "iVBORw0KGgo=", name: "a.png", size: 8 };
const again = (body: Record<string, unknown>) => {
  const { form, extra } = fromBody(body);
  return toBody(form, { stream: streamOf(body), extra });
};

describe("OpenAI chat toBody", () => {
  it("streams with usage by default and leaves unset fields out", () => {
    const form = defaultForm("gpt-4o");
    (form.messages[0] as Message).parts = [{ kind: "text", text: "Hello", extra: {} }];
    expect(toBody(form, { stream: true })).toEqual({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(toBody(form, { stream: false })).toEqual({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] });
  });

  it("writes every field the form has", () => {
    const form = defaultForm("gpt-4o");
    form.messages = [newMessage("developer"), newMessage("user")];
    Object.assign(form, { temperature: 0.7, topP: 1, maxTokens: 512, maxCompletionTokens: 600, seed: 7, stop: ["\nUser:"] });
    Object.assign(form, { responseFormat: "json_schema", schemaName: "answer", schema: '{"type":"object"}', schemaStrict: true });
    const tool = newTool();
    Object.assign(tool, { name: "get_weather", description: "Weather now", parameters: '{"type":"object","properties":{"city":{"type":"string"}}}' });
    form.tools = [tool];
    Object.assign(form, { toolChoice: "function", toolChoiceName: "get_weather", includeUsage: false });
    expect(toBody(form, { stream: true })).toEqual({
      model: "gpt-4o",
      messages: [{ role: "developer", content: "" }, { role: "user", content: "" }],
      temperature: 0.7,
      top_p: 1,
      max_tokens: 512,
      max_completion_tokens: 600,
      seed: 7,
      stop: ["\nUser:"],
      response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } },
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather now", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      stream: true,
    });
  });

  it("sends an image as an image_url content part with a data URL", () => {
    const form = defaultForm("gpt-4o");
    const m = form.messages[0] as Message;
    m.parts = [{ kind: "text", text: "What is this?", extra: {} }, imagePart(IMG)];
    expect(toBody(form, { stream: false }).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
    ]);
  });
});

describe("OpenAI chat fromBody", () => {
  const rich = {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Be brief.", name: "policy" },
      { role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }, { type: "image_url", image_url: { url: "https://x/a.png", detail: "low" } }, { type: "input_audio", input_audio: { data: "AA", format: "wav" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }], refusal: null },
      { role: "tool", tool_call_id: "call_1", content: "42" },
      { role: "function", name: "old", content: "kept raw" },
    ],
    temperature: 0.2,
    stop: "\n",
    response_format: { type: "json_object" },
    tools: [{ type: "function", function: { name: "f", parameters: { type: "object" }, strict: true } }, { type: "web_search" }],
    tool_choice: "required",
    stream: true,
    stream_options: { include_usage: true },
    logprobs: true,
    metadata: { run: "x" },
  };

  it("gives back the same body, unknown keys and unshowable values included", () => {
    expect(again(rich)).toEqual(rich);
  });

  it("shows what it can and keeps the rest raw", () => {
    const { form, extra } = fromBody(rich);
    expect(extra).toEqual({ stop: "\n", logprobs: true, metadata: { run: "x" } });
    expect(form.temperature).toBe(0.2);
    expect(form.responseFormat).toBe("json_object");
    expect(form.toolChoice).toBe("required");
    expect(form.messages.map((m) => (m.kind === "message" ? m.role : "raw"))).toEqual(["system", "user", "assistant", "tool", "raw"]);
    const user = form.messages[1] as Message;
    expect(user.parts.map((p) => p.kind)).toEqual(["text", "image", "raw"]);
    expect(form.tools.map((t) => t.kind)).toEqual(["function", "raw"]);
  });

  it("keeps a raw value winning until the form takes the key over", () => {
    const body = { model: "m", messages: [], temperature: "hot" };
    const { form, extra } = fromBody(body);
    expect(form.temperature).toBeNull();
    form.temperature = 0.5;
    expect(toBody(form, { stream: false, extra }).temperature).toBe("hot");
  });

  it.each([
    { model: "m", messages: [{ role: "user", content: "x" }], stream: true },
    { model: "m", messages: [{ role: "user", content: "x" }], stream: true, stream_options: { include_usage: false } },
    { model: "m", messages: [], stream: false, stream_options: { include_usage: true } },
    { model: "m", messages: [{ role: "user", content: [] }], response_format: { type: "json_schema", json_schema: { name: "n", schema: { type: "object" }, description: "d" } } },
    { model: "m", messages: [], tool_choice: { type: "function", function: { name: "f" } } },
  ])("round-trips %j", (body) => {
    expect(again(body)).toEqual(body);
  });
});

describe("OpenAI chat validate", () => {
  it("names what stops a send", () => {
    const form = defaultForm("");
    expect(validate(form)).toBe("Choose a model.");
    form.model = "m";
    expect(validate(form)).toBeNull();
    form.responseFormat = "json_schema";
    form.schemaName = "s";
    form.schema = "{bad";
    expect(validate(form)).toContain("line 1, column 2");
    form.schema = "";
    form.tools = [newTool()];
    expect(validate(form)).toContain("name");
  });
});
