import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { $, PNG_B64, editRaw, mountEditor, pngFile, rawText, type } from "./editorTesting";
import ResponsesEditor from "./ResponsesEditor.svelte";

const BODY = { model: "claude-sonnet-4-6", input: "Reply with exactly: OK", stream: true };

describe("ResponsesEditor", () => {
  it("edits instructions, limits and the stored-response chain", async () => {
    const ed = mountEditor(ResponsesEditor, BODY);
    expect($<HTMLTextAreaElement>("#rs-input").value).toBe("Reply with exactly: OK");
    await type("#rs-instructions", "Be concise.");
    await type("#rs-max-output-tokens", "512");
    await type("#rs-previous-response-id", "resp_123");
    await fireEvent.change($("#rs-store"), { target: { value: "true" } });
    expect(ed.last()).toEqual({ model: "claude-sonnet-4-6", instructions: "Be concise.", input: "Reply with exactly: OK", max_output_tokens: 512, previous_response_id: "resp_123", store: true, stream: true });
  });

  it("keeps a key added in Raw JSON through tab switches and later form edits", async () => {
    const ed = mountEditor(ResponsesEditor, BODY);
    await editRaw("rs", (b) => ({ ...b, metadata: { workflow: "codex" } }));
    await fireEvent.click($("#rs-tab-form"));
    await type("#rs-temperature", "0.3");
    expect(ed.last()).toEqual({ ...BODY, temperature: 0.3, metadata: { workflow: "codex" } });
    await fireEvent.click($("#rs-tab-raw"));
    expect(JSON.parse(rawText("rs"))).toEqual(ed.last());
  });

  it("switches text input to items and attaches an image as input_image", async () => {
    const ed = mountEditor(ResponsesEditor, BODY);
    await fireEvent.change($("#rs-image"), { target: { files: [pngFile()] } });
    await waitFor(() =>
      expect(ed.last()?.input).toEqual([
        { role: "user", content: [{ type: "input_text", text: "Reply with exactly: OK" }, { type: "input_image", image_url: `data:image/png;base64,${PNG_B64}` }] },
      ]),
    );
    expect($<HTMLInputElement>("#rs-input-mode-items").checked).toBe(true);
    // Back to text would drop the image, so it is not offered.
    expect($<HTMLInputElement>("#rs-input-mode-text").disabled).toBe(true);
    await fireEvent.click($("#rs-item-0-remove"));
    await fireEvent.click($("#rs-item-add"));
    await type("#rs-item-0-text-0", "Hi");
    expect(ed.last()?.input).toEqual([{ role: "user", content: "Hi" }]);
    await fireEvent.click($("#rs-input-mode-text"));
    expect(ed.last()?.input).toBe("Hi");
  });

  it("lists items it does not edit (function calls) and sends them back unchanged", async () => {
    const body = { model: "m", input: [{ role: "user", content: "Weather?" }, { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "{}" }, { type: "function_call_output", call_id: "call_1", output: "21" }] };
    const ed = mountEditor(ResponsesEditor, body);
    expect(document.querySelectorAll('#rs-editor li[data-role="raw"]')).toHaveLength(2);
    expect($("#rs-editor").textContent).toContain("function_call get_weather call_1");
    await type("#rs-item-0-text-0", "Weather in Paris?");
    expect(ed.last()).toEqual({ ...body, input: [{ role: "user", content: "Weather in Paris?" }, body.input[1], body.input[2]] });
  });
});
