import { describe, expect, it } from "vitest";
import { defaultForm, fromBody, imagePart, routeOf, textPart, toBody, validate, type Content } from "./gemini";
import { newTool } from "./toolDecl";

const again = (body: Record<string, unknown>) => {
  const { form, extra } = fromBody(body);
  return toBody(form, { stream: true, extra });
};

describe("Gemini toBody", () => {
  it("has no model and no stream flag in the body: both are the path", () => {
    const form = defaultForm("gemini-2.0-flash");
    (form.contents[0] as Content).parts = [textPart("Hello")];
    const body = { contents: [{ role: "user", parts: [{ text: "Hello" }] }] };
    expect(toBody(form, { stream: true })).toEqual(body);
    expect(toBody(form, { stream: false })).toEqual(body);
    expect(routeOf("gemini-2.0-flash", true)).toBe("/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    expect(routeOf("gemini-2.0-flash", false)).toBe("/gemini/v1beta/models/gemini-2.0-flash:generateContent");
  });

  it("writes systemInstruction, generationConfig and functionDeclarations", () => {
    const form = defaultForm("m");
    Object.assign(form, { system: "Be brief.", temperature: 0.7, topK: 40, topP: 0.95, maxOutputTokens: 256, responseMimeType: "application/json", responseModalities: ["TEXT", "IMAGE"] });
    const tool = newTool();
    Object.assign(tool, { name: "getTemperature", description: "Now", parameters: '{"type":"object","properties":{"city":{"type":"string"}}}' });
    form.tools = [tool];
    expect(toBody(form, { stream: true })).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [{ role: "user", parts: [{ text: "" }] }],
      generationConfig: { temperature: 0.7, topK: 40, topP: 0.95, maxOutputTokens: 256, responseMimeType: "application/json", responseModalities: ["TEXT", "IMAGE"] },
      tools: [{ functionDeclarations: [{ name: "getTemperature", description: "Now", parameters: { type: "object", properties: { city: { type: "string" } } } }] }],
    });
  });

  it("sends an image as inlineData", () => {
    const form = defaultForm("m");
    (form.contents[0] as Content).parts = [textPart("What is it?"), imagePart({ mime: "image/png", data: "iVBO", name: "a.png", size: 3 })];
    expect(toBody(form, { stream: false }).contents).toEqual([{ role: "user", parts: [{ text: "What is it?" }, { inlineData: { mimeType: "image/png", data: "iVBO" } }] }]);
  });
});

describe("Gemini fromBody", () => {
  const rich = {
    systemInstruction: { parts: [{ text: "Be brief." }] },
    contents: [
      { role: "user", parts: [{ text: "Temperature in San Jose?" }, { fileData: { mimeType: "image/png", fileUri: "https://x" } }] },
      { role: "model", parts: [{ functionCall: { name: "getTemperature", args: { city: "San Jose" } }, thoughtSignature: "c2ln" }] },
      { role: "user", parts: [{ functionResponse: { name: "getTemperature", response: { result: 21 } } }] },
      { parts: [{ text: "no role" }] },
      { role: "function", parts: [] },
    ],
    generationConfig: { temperature: 0.2, candidateCount: 1, thinkingConfig: { thinkingBudget: 0 } },
    tools: [{ functionDeclarations: [{ name: "getTemperature", parameters: { type: "object" } }] }, { googleSearch: {} }],
    safetySettings: [{ category: "HARM_CATEGORY_HATE_SPEECH", threshold: "BLOCK_NONE" }],
    toolConfig: { functionCallingConfig: { mode: "ANY" } },
  };

  it("gives back the same body, unknown parts, config keys and tools included", () => {
    expect(again(rich)).toEqual(rich);
    const { form, extra } = fromBody(rich);
    expect(Object.keys(extra)).toEqual(["safetySettings", "toolConfig"]);
    expect(form.genExtra).toEqual({ candidateCount: 1, thinkingConfig: { thinkingBudget: 0 } });
    expect(form.otherTools).toEqual([{ googleSearch: {} }]);
    const kinds = form.contents.map((c) => (c.kind === "content" ? c.parts.map((p) => p.kind) : "raw"));
    expect(kinds).toEqual([["text", "raw"], ["functionCall"], ["functionResponse"], ["text"], "raw"]);
  });

  it.each([
    { contents: [], generationConfig: {} },
    { contents: [], tools: [{ googleSearch: {} }, { functionDeclarations: [{ name: "f" }] }] },
    { contents: [], systemInstruction: { role: "system", parts: [{ text: "x" }] } },
    { contents: [], model: "gemini-2.0-flash" },
  ])("round-trips %j", (body) => {
    expect(again(body)).toEqual(body);
  });

  it("needs a model (kept beside the body) and JSON objects in function parts", () => {
    const { form } = fromBody({ contents: [{ role: "model", parts: [{ functionCall: { name: "f", args: {} } }] }] });
    expect(validate(form)).toBe("Choose a model.");
    form.model = "m";
    expect(validate(form)).toBeNull();
    const c = form.contents[0] as Content;
    c.parts = [{ kind: "functionCall", name: "f", args: "[1]", extra: {} }];
    expect(validate(form)).toContain("must be a JSON object");
  });
});
