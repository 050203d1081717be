import { fireEvent, render } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { $, MODELS, editRaw, mountEditor, rawText, type } from "./editorTesting";
import GeminiEditor from "./GeminiEditor.svelte";

const BODY = { contents: [{ role: "user", parts: [{ text: "Hello" }] }] };
const path = { model: "gemini-2.0-flash", onmodelchange: () => {} };

describe("GeminiEditor", () => {
  it("edits the system instruction and generationConfig into the body", async () => {
    const ed = mountEditor(GeminiEditor, BODY, path);
    await type("#ge-system", "Be brief.");
    await type("#ge-max-output-tokens", "256");
    await fireEvent.click($("#ge-modality-text"));
    await fireEvent.click($("#ge-modality-image"));
    expect(ed.last()).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: BODY.contents,
      generationConfig: { maxOutputTokens: 256, responseModalities: ["TEXT", "IMAGE"] },
    });
  });

  it("keeps the model and streaming out of the body: they are the path", async () => {
    const onmodelchange = vi.fn();
    const onstreamchange = vi.fn();
    const onchange = vi.fn();
    render(GeminiEditor, { body: BODY, models: MODELS, onchange, model: "gemini-2.0-flash", onmodelchange, stream: true, onstreamchange });
    expect($("#ge-route").textContent).toContain("/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    await type("#ge-model", "gemini-3-flash-preview");
    expect(onmodelchange).toHaveBeenCalledWith("gemini-3-flash-preview");
    await fireEvent.click($("#ge-stream"));
    expect(onstreamchange).toHaveBeenCalledWith(false);
    expect(onchange).not.toHaveBeenCalled();
  });

  it("keeps a key added in Raw JSON through tab switches and later form edits", async () => {
    const ed = mountEditor(GeminiEditor, BODY, path);
    const safety = [{ category: "HARM_CATEGORY_HATE_SPEECH", threshold: "BLOCK_NONE" }];
    await editRaw("ge", (b) => ({ ...b, safetySettings: safety, generationConfig: { candidateCount: 1 } }));
    await fireEvent.click($("#ge-tab-form"));
    await type("#ge-temperature", "0.4");
    expect(ed.last()).toEqual({ ...BODY, generationConfig: { temperature: 0.4, candidateCount: 1 }, safetySettings: safety });
    await fireEvent.click($("#ge-tab-raw"));
    expect(JSON.parse(rawText("ge"))).toEqual(ed.last());
  });

  it("shows function calls and responses of earlier turns and edits them", async () => {
    const body = {
      contents: [
        { role: "user", parts: [{ text: "Temperature in San Jose?" }] },
        { role: "model", parts: [{ functionCall: { name: "getTemperature", args: { city: "San Jose" } } }] },
        { role: "user", parts: [{ functionResponse: { name: "getTemperature", response: { result: 21 } } }] },
      ],
    };
    const ed = mountEditor(GeminiEditor, body, path);
    expect(JSON.parse($<HTMLTextAreaElement>("#ge-content-1-call-0-args").value)).toEqual({ city: "San Jose" });
    await type("#ge-content-2-response-0-response", '{"result": 22}');
    expect((ed.last()?.contents as unknown[])[2]).toEqual({ role: "user", parts: [{ functionResponse: { name: "getTemperature", response: { result: 22 } } }] });
  });
});
