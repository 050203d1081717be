import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import AnthropicEditor from "./AnthropicEditor.svelte";
import { $, PNG_B64, editRaw, mountEditor, pngFile, rawText, type } from "./editorTesting";

const BODY = { model: "claude-sonnet-4-6", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }], stream: true };

describe("AnthropicEditor", () => {
  it("edits system, sampling and stop sequences into the body", async () => {
    const ed = mountEditor(AnthropicEditor, BODY);
    expect($<HTMLInputElement>("#an-max-tokens").value).toBe("1024");
    await type("#an-system", "You are concise.");
    await type("#an-top-k", "40");
    await type("#an-stop-sequences", "\\nHuman:\nEND");
    expect(ed.last()).toEqual({ ...BODY, system: "You are concise.", top_k: 40, stop_sequences: ["\nHuman:", "END"] });
  });

  it("will not send without max_tokens, and says so", async () => {
    const ed = mountEditor(AnthropicEditor, BODY);
    await type("#an-max-tokens", "");
    expect(ed.sent).toHaveLength(0);
    expect($("#an-form-error").textContent).toContain("Max tokens is required");
    expect(ed.validity[ed.validity.length - 1]).toContain("Max tokens is required");
    await type("#an-max-tokens", "2048");
    expect(ed.last()).toEqual({ ...BODY, max_tokens: 2048 });
    expect(ed.validity[ed.validity.length - 1]).toBeNull();
  });

  it("turns thinking on with a budget the API accepts", async () => {
    const ed = mountEditor(AnthropicEditor, BODY);
    await fireEvent.click($("#an-thinking"));
    expect(ed.last()).toMatchObject({ max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 } });
    await type("#an-thinking-budget", "1500");
    expect(ed.last()?.thinking).toEqual({ type: "enabled", budget_tokens: 1500 });
  });

  it("keeps a key added in Raw JSON through tab switches and later form edits", async () => {
    const ed = mountEditor(AnthropicEditor, BODY);
    await editRaw("an", (b) => ({ ...b, metadata: { user_id: "u-1" } }));
    await fireEvent.click($("#an-tab-form"));
    await type("#an-temperature", "0.5");
    expect(ed.last()).toEqual({ ...BODY, temperature: 0.5, metadata: { user_id: "u-1" } });
    await fireEvent.click($("#an-tab-raw"));
    expect(JSON.parse(rawText("an"))).toEqual(ed.last());
  });

  it("adds an image block and a tool result to a user message", async () => {
    const ed = mountEditor(AnthropicEditor, BODY);
    await fireEvent.change($("#an-msg-0-image"), { target: { files: [pngFile()] } });
    await waitFor(() =>
      expect(ed.last()?.messages).toEqual([
        { role: "user", content: [{ type: "text", text: "Hello" }, { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_B64 } }] },
      ]),
    );
    await fireEvent.click($("#an-msg-0-add-result"));
    await type("#an-msg-0-result-2-id", "toolu_1");
    await type("#an-msg-0-result-2-content", "21C");
    const content = (ed.last()?.messages as { content: unknown[] }[])[0]?.content;
    expect(content?.[2]).toEqual({ type: "tool_result", tool_use_id: "toolu_1", content: "21C" });
  });
});
