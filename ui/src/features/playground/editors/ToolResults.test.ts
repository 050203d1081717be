import { fireEvent, render } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { $, type } from "./editorTesting";
import ToolResults from "./ToolResults.svelte";

describe("ToolResults", () => {
  it("shows each call with pretty arguments and sends one result per call", async () => {
    const onsubmit = vi.fn();
    const toolCalls = [
      { index: 0, id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { index: 1, id: null, name: "get_stock", arguments: '{"tick' },
    ];
    render(ToolResults, { toolCalls, onsubmit });
    const calls = document.querySelectorAll("#tool-results .call");
    expect(calls).toHaveLength(2);
    expect(calls[0]?.querySelector("pre")?.textContent).toBe('{\n  "city": "Paris"\n}');
    expect(calls[1]?.textContent).toContain("not complete JSON");
    await type("#tool-result-0", '{"temp": 21}');
    await type("#tool-result-1", "189.5");
    await fireEvent.click($("#tool-results-send"));
    expect(onsubmit).toHaveBeenCalledWith([
      { id: "call_1", name: "get_weather", index: 0, output: '{"temp": 21}' },
      { id: null, name: "get_stock", index: 1, output: "189.5" },
    ]);
  });
});
