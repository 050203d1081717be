import { fireEvent, waitFor } from "@testing-library/svelte";
import { tick } from "svelte";
import { describe, expect, it } from "vitest";
import { $, PNG_B64, editRaw, mountEditor, pngFile, rawText, type } from "./editorTesting";
import OpenAiChatEditor from "./OpenAiChatEditor.svelte";

const BODY = { model: "gpt-4o", messages: [{ role: "user", content: "Hello" }], stream: true, stream_options: { include_usage: true } };

describe("OpenAiChatEditor", () => {
  it("shows the body in the form and sends the whole new body on each edit", async () => {
    const ed = mountEditor(OpenAiChatEditor, BODY);
    expect($<HTMLInputElement>("#oa-model").value).toBe("gpt-4o");
    expect($<HTMLTextAreaElement>("#oa-msg-0-text-0").value).toBe("Hello");
    expect($<HTMLInputElement>("#oa-stream").checked).toBe(true);
    await type("#oa-temperature", "0.7");
    expect(ed.last()).toEqual({ ...BODY, temperature: 0.7 });
    await type("#oa-temperature", "");
    expect(ed.last()).toEqual(BODY);
    await type("#oa-msg-0-text-0", "Hi there");
    expect(ed.last()?.messages).toEqual([{ role: "user", content: "Hi there" }]);
    await fireEvent.click($("#oa-stream"));
    expect(ed.last()).toEqual({ model: "gpt-4o", messages: [{ role: "user", content: "Hi there" }] });
  });

  it("keeps a key added in Raw JSON through tab switches and later form edits", async () => {
    const ed = mountEditor(OpenAiChatEditor, BODY);
    await editRaw("oa", (b) => ({ ...b, logit_bias: { "50256": -100 } }));
    expect(ed.last()).toEqual({ ...BODY, logit_bias: { "50256": -100 } });
    await fireEvent.click($("#oa-tab-form"));
    expect($("#oa-raw-keys").textContent).toContain("logit_bias");
    await type("#oa-max-tokens", "256");
    expect(ed.last()).toEqual({ ...BODY, max_tokens: 256, logit_bias: { "50256": -100 } });
    await fireEvent.click($("#oa-tab-raw"));
    expect(JSON.parse(rawText("oa"))).toEqual(ed.last());
  });

  it("shows where invalid raw JSON breaks and sends nothing until it is fixed", async () => {
    const ed = mountEditor(OpenAiChatEditor, BODY);
    await fireEvent.click($("#oa-tab-raw"));
    await type("#oa-raw", '{\n  "model": "gpt-4o",\n  "messages": [}\n}');
    expect($("#oa-raw-error").textContent).toContain("line 3, column 16");
    expect($("#oa-raw").getAttribute("aria-invalid")).toBe("true");
    expect(ed.sent).toHaveLength(0);
    expect(ed.validity[ed.validity.length - 1]).toContain("line 3, column 16");
    // The form cannot be used meanwhile: it would otherwise send the stale body.
    await fireEvent.click($("#oa-tab-form"));
    expect($<HTMLFieldSetElement>("#oa-panel-form fieldset").disabled).toBe(true);
    await fireEvent.click($("#oa-tab-raw"));
    await type("#oa-raw", '{"model": "gpt-4o", "messages": []}');
    expect(ed.last()).toEqual({ model: "gpt-4o", messages: [] });
    expect(ed.validity[ed.validity.length - 1]).toBeNull();
    expect(document.querySelector("#oa-raw-error")).toBeNull();
  });

  it("moves between the tabs with the arrow keys", async () => {
    mountEditor(OpenAiChatEditor, BODY);
    const form = $("#oa-tab-form");
    expect(form.getAttribute("aria-selected")).toBe("true");
    expect($("#oa-tab-raw").getAttribute("tabindex")).toBe("-1");
    await fireEvent.keyDown(form, { key: "ArrowRight" });
    expect($("#oa-tab-raw").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement?.id).toBe("oa-tab-raw");
    expect($("#oa-panel-raw").hidden).toBe(false);
    expect($("#oa-panel-form").hidden).toBe(true);
    await fireEvent.keyDown($("#oa-tab-raw"), { key: "ArrowLeft" });
    expect(document.activeElement?.id).toBe("oa-tab-form");
  });

  it("adds, reorders and removes messages, and attaches an image as a data URL part", async () => {
    const ed = mountEditor(OpenAiChatEditor, BODY);
    await fireEvent.click($("#oa-msg-add"));
    expect(ed.last()?.messages).toEqual([{ role: "user", content: "Hello" }, { role: "assistant", content: "" }]);
    await fireEvent.change($("#oa-msg-1-role"), { target: { value: "system" } });
    await fireEvent.click($("#oa-msg-1-up"));
    expect(ed.last()?.messages).toEqual([{ role: "system", content: "" }, { role: "user", content: "Hello" }]);
    await fireEvent.click($("#oa-msg-0-remove"));
    await fireEvent.change($("#oa-msg-0-image"), { target: { files: [pngFile()] } });
    await waitFor(() =>
      expect(ed.last()?.messages).toEqual([
        { role: "user", content: [{ type: "text", text: "Hello" }, { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } }] },
      ]),
    );
  });

  it("declares a tool and picks the model from the list or as free text", async () => {
    const ed = mountEditor(OpenAiChatEditor, BODY);
    expect([...document.querySelectorAll("#oa-model-list option")].map((o) => o.getAttribute("value"))).toEqual(["gpt-4o", "claude-sonnet-4-6"]);
    await type("#oa-model", "my-own-model");
    expect(ed.last()?.model).toBe("my-own-model");
    await fireEvent.click($("#oa-tool-add"));
    // A tool without a name cannot be sent: the body stays as it was and the reason is given.
    expect(ed.last()?.tools).toBeUndefined();
    expect($("#oa-form-error").textContent).toContain("name");
    await type("#oa-tool-0-name", "get_weather");
    expect(ed.last()?.tools).toEqual([{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }]);
    await type("#oa-tool-0-parameters", "{oops");
    expect($("#oa-tool-0-parameters-error").textContent).toContain("line 1, column 2");
    expect(ed.validity[ed.validity.length - 1]).toContain("not valid JSON");
  });

  it("re-reads a body the parent replaces, and locks fields only the raw tab can show", async () => {
    const ed = mountEditor(OpenAiChatEditor, BODY);
    ed.setBody({ model: "gpt-4o", messages: [{ role: "user", content: "Q" }, { role: "assistant", content: "A" }], temperature: "warm" });
    await tick();
    expect($<HTMLTextAreaElement>("#oa-msg-1-text-0").value).toBe("A");
    expect($<HTMLInputElement>("#oa-stream").checked).toBe(false);
    expect($<HTMLInputElement>("#oa-temperature").disabled).toBe(true);
    expect($("#oa-temperature-hint").textContent).toContain("Raw JSON");
    await type("#oa-msg-1-text-0", "B");
    expect(ed.last()).toEqual({ model: "gpt-4o", messages: [{ role: "user", content: "Q" }, { role: "assistant", content: "B" }], temperature: "warm" });
    await fireEvent.click($("#oa-tab-raw"));
    await type("#oa-raw", "[1, 2]");
    expect($("#oa-raw-error").textContent).toContain("must be a JSON object");
  });

  it("locks every field while the parent sends", () => {
    mountEditor(OpenAiChatEditor, BODY, { disabled: true });
    expect($<HTMLFieldSetElement>("#oa-panel-form fieldset").disabled).toBe(true);
    expect($<HTMLTextAreaElement>("#oa-raw").readOnly).toBe(true);
  });
});
