import { describe, expect, it } from "vitest";
import { defaultForm, fromBody, imagePart, streamOf, toBody, toItems, validate, type Item } from "./responses";
import { newTool } from "./toolDecl";

const again = (body: Record<string, unknown>) => {
  const { form, extra } = fromBody(body);
  return toBody(form, { stream: streamOf(body), extra });
};

describe("Responses toBody", () => {
  it("sends a text input, always (input is required), and streams with stream: true", () => {
    const form = defaultForm("claude-sonnet-4-6");
    expect(toBody(form, { stream: true })).toEqual({ model: "claude-sonnet-4-6", input: "", stream: true });
    Object.assign(form, { instructions: "Be concise.", inputText: "Reply with exactly: OK", maxOutputTokens: 512, previousResponseId: "resp_1", store: false });
    expect(toBody(form, { stream: false })).toEqual({
      model: "claude-sonnet-4-6",
      instructions: "Be concise.",
      input: "Reply with exactly: OK",
      max_output_tokens: 512,
      previous_response_id: "resp_1",
      store: false,
    });
  });

  it("turns text into items to attach an image as input_image with a data URL", () => {
    const form = defaultForm("m");
    form.inputText = "What is this?";
    toItems(form);
    (form.items[0] as Item).parts.push(imagePart({ mime: "image/jpeg", data: "/9j/", name: "a.jpg", size: 3 }));
    expect(toBody(form, { stream: false }).input).toEqual([
      { role: "user", content: [{ type: "input_text", text: "What is this?" }, { type: "input_image", image_url: "data:image/jpeg;base64,/9j/" }] },
    ]);
  });

  it("declares function tools flat: {type, name, description, parameters}", () => {
    const form = defaultForm("m");
    const tool = newTool();
    Object.assign(tool, { name: "lookup", description: "Find it", parameters: '{"type":"object","properties":{}}' });
    form.tools = [tool];
    expect(toBody(form, { stream: false }).tools).toEqual([{ type: "function", name: "lookup", description: "Find it", parameters: { type: "object", properties: {} } }]);
  });
});

describe("Responses fromBody", () => {
  const rich = {
    model: "m",
    instructions: "Be concise.",
    input: [
      { role: "user", content: "Hi" },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello", annotations: [] }] },
      { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "42" },
      { role: "user", content: [{ type: "input_image", image_url: "data:image/png;base64,AA", detail: "high" }, { type: "input_file", file_id: "f1" }] },
    ],
    tools: [{ type: "function", name: "f", parameters: { type: "object" }, strict: false }, { type: "web_search_preview" }],
    tool_choice: "auto",
    metadata: { workflow: "codex" },
    store: true,
    previous_response_id: "resp_0",
    stream: true,
  };

  it("gives back the same body, unknown items and keys included", () => {
    expect(again(rich)).toEqual(rich);
    const { form, extra } = fromBody(rich);
    expect(extra).toEqual({ tool_choice: "auto", metadata: { workflow: "codex" } });
    expect(form.items.map((i) => i.kind)).toEqual(["message", "message", "raw", "raw", "message"]);
    expect(form.tools.map((t) => t.kind)).toEqual(["function", "raw"]);
  });

  it.each([{ model: "m", input: "x" }, { model: "m", input: [], store: false }, { model: "m", input: "x", stream: false, instructions: "" }])("round-trips %j", (body) => {
    expect(again(body)).toEqual(body);
  });

  it("needs a model and named tools", () => {
    const form = defaultForm("");
    expect(validate(form)).toBe("Choose a model.");
    form.model = "m";
    form.tools = [newTool()];
    expect(validate(form)).toContain("name");
  });
});
