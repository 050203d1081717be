import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import type { ErrorCode, IpcError } from "../../ipc";
import { installFakeBackend, type FakeBackend } from "../../ipc/testing/fakeBackend";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const rowIds = () => [...document.querySelectorAll("#models-table tr[data-model-id]")].map((r) => r.getAttribute("data-model-id"));

async function start(fake: FakeBackend = installFakeBackend()) {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  return fake;
}

describe("Models screen", () => {
  it("lists the active connection's models with a count and formatted dates", async () => {
    await start();
    expect(rowIds()).toEqual(["gpt-4o", "claude-sonnet-4-5", "gemini-2.5-pro"]);
    expect($("#models-count")?.textContent).toBe("3 of 3 models");
    const created = $('tr[data-model-id="gpt-4o"] time');
    expect(created?.getAttribute("datetime")).toBe("2024-05-13T00:00:00Z");
    expect(created?.textContent).toMatch(/2024/);
    expect($('tr[data-model-id="gemini-2.5-pro"]')?.textContent).toContain("—");
    expect($("#models-fetched")?.textContent).toMatch(/fetched at/);
  });

  it("filters by id or display name as the user types", async () => {
    await start();
    const search = $<HTMLInputElement>("#models-search")!;
    await fireEvent.input(search, { target: { value: "SONNET" } });
    expect(rowIds()).toEqual(["claude-sonnet-4-5"]);
    expect($("#models-count")?.textContent).toBe("1 of 3 models");
    await fireEvent.input(search, { target: { value: "gpt-4o" } });
    expect(rowIds()).toEqual(["gpt-4o"]);
    await fireEvent.input(search, { target: { value: "nothing-like-this" } });
    expect(rowIds()).toEqual([]);
    expect($("#models-table")?.textContent).toContain("No models match");
    expect($("#models-count")?.textContent).toBe("0 of 3 models");
  });

  it("says when the list came from the cache", async () => {
    const fake = installFakeBackend();
    fake.fromCache = true;
    await start(fake);
    expect($("#models-fetched")?.textContent).toMatch(/cached at/);
  });

  it("shows a loading state while the gateway has not answered", async () => {
    const fake = installFakeBackend();
    let open!: () => void;
    fake.gate = new Promise((r) => (open = r));
    render(App);
    await waitFor(() => expect($("#models-loading")).not.toBeNull());
    expect(document.body.dataset.ready).toBeUndefined();
    open();
    await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
    expect($("#models-loading")).toBeNull();
  });

  it.each<[ErrorCode, string]>([
    ["invalid_key", "The gateway rejected the key (401). Check the key for this connection."],
    ["forbidden", "(403)"],
    ["rate_limited", "(429)"],
    ["unreachable", "Cannot reach 127.0.0.1:41234. Check the base URL and your network."],
    ["timeout", "did not answer in time"],
    ["bad_response", "not a models list"],
    ["no_key", "This connection has no key. Bind a key to it on the Keys screen, or set ANYINT_API_KEY and restart the app."],
    ["invalid_input", "not valid"],
    ["internal", "Loading models failed."],
  ])("explains error %s by its code and shows the gateway's message", async (code, text) => {
    const fake = installFakeBackend();
    // The message deliberately says something misleading: the UI must go by the code.
    fake.modelsErrors.push({ code, message: `gateway text for ${code} (rate limit 401 403)` });
    await start(fake);
    const banner = $("#models-error")!;
    expect(banner.getAttribute("data-code")).toBe(code);
    expect(banner.querySelector(".error-summary")?.textContent?.replace(/\s+/g, " ").trim()).toContain(text);
    expect(banner.textContent).toContain(`gateway text for ${code}`);
    expect($("#models-table")).toBeNull();
  });

  it("treats a code this build does not know as internal, keeping the gateway's message", async () => {
    const fake = installFakeBackend();
    // Deliberately off the contract (a newer backend's code), so it cannot be typed as IpcError.
    const unknown: unknown = { code: "something_new", message: "gateway text for something_new" };
    fake.modelsErrors.push(unknown as IpcError);
    await start(fake);
    const banner = $("#models-error")!;
    expect(banner.getAttribute("data-code")).toBe("internal");
    expect(banner.querySelector(".error-summary")?.textContent).toContain("Loading models failed.");
    expect(banner.textContent).toContain("gateway text for something_new");
  });

  it("keeps the previous list above which a failed refresh reports its error", async () => {
    const fake = await start();
    fake.modelsErrors.push({ code: "rate_limited", message: "slow down" });
    await fireEvent.click($("#models-refresh")!);
    await waitFor(() => expect($("#models-error")).not.toBeNull());
    expect(fake.callsTo("models_list").slice(-1)[0]?.args).toEqual({ refresh: true });
    expect($("#models-error")?.getAttribute("data-code")).toBe("rate_limited");
    expect(rowIds()).toEqual(["gpt-4o", "claude-sonnet-4-5", "gemini-2.5-pro"]);
    // The banner sits above the table, so it is read first.
    const order = $("#models-error")!.compareDocumentPosition($("#models-table")!);
    expect(order & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    // A later successful refresh clears the banner.
    await fireEvent.click($("#models-refresh")!);
    await waitFor(() => expect($("#models-error")).toBeNull());
    expect(rowIds()).toHaveLength(3);
  });
});
