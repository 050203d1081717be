import { describe, expect, it } from "vitest";
import { promptOf } from "./lastUserText";

describe("promptOf", () => {
  it("OpenAI chat: the last user message, its text parts joined", () => {
    const body = {
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        { role: "user", content: [{ type: "text", text: "What is" }, { type: "image_url", image_url: { url: "data:image/png;base64,AA" } }, { type: "text", text: "this?" }] },
      ],
    };
    expect(promptOf("openai_chat", body)).toBe("What is\nthis?");
  });

  it("goes back past turns of only tool results to the question", () => {
    const anthropic = {
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "get_weather", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "21C" }] },
      ],
    };
    expect(promptOf("anthropic", anthropic)).toBe("Weather in Paris?");
    const chat = { messages: [{ role: "user", content: "Q" }, { role: "assistant", content: null, tool_calls: [] }, { role: "tool", tool_call_id: "c", content: "r" }] };
    expect(promptOf("openai_chat", chat)).toBe("Q");
  });

  it("Responses: a text input, or the last user message item", () => {
    expect(promptOf("openai_responses", { input: "  Hello  " })).toBe("Hello");
    const items = [
      { role: "user", content: "one" },
      { type: "message", role: "user", content: [{ type: "input_text", text: "two" }] },
      { type: "function_call_output", call_id: "c", output: "x" },
    ];
    expect(promptOf("openai_responses", { input: items })).toBe("two");
  });

  it("Gemini: the last user content (a content without a role counts as the user's)", () => {
    const body = { contents: [{ role: "user", parts: [{ text: "a" }] }, { role: "model", parts: [{ text: "b" }] }, { parts: [{ text: "c" }, { inlineData: { mimeType: "image/png", data: "AA" } }] }] };
    expect(promptOf("gemini", body)).toBe("c");
  });

  it("is empty for bodies without a user message", () => {
    expect(promptOf("openai_chat", {})).toBe("");
    expect(promptOf("gemini", null)).toBe("");
  });
});
