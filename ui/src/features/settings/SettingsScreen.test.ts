import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { connectionTestOf, installFakeBackend, SANDBOX } from "../../ipc/testing/fakeBackend";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);

async function openSettings(init: Parameters<typeof installFakeBackend>[0] = {}) {
  const fake = installFakeBackend(init);
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.click(document.getElementById("nav-settings") as HTMLElement);
  await waitFor(() => expect($("#settings-form")).not.toBeNull());
  return fake;
}

async function choose(sel: string, value: string) {
  const select = $<HTMLSelectElement>(sel)!;
  select.value = value;
  await fireEvent.change(select);
}

async function type(sel: string, value: string) {
  await fireEvent.input($(sel)!, { target: { value } });
}

describe("Settings screen", () => {
  it("is on the rail and shows the saved settings", async () => {
    await openSettings();
    expect($("#nav-settings")?.getAttribute("aria-current")).toBe("page");
    expect($<HTMLSelectElement>("#settings-proxy-mode")?.value).toBe("system");
    expect($<HTMLInputElement>("#settings-timeout-connect")?.value).toBe("10");
    expect($("#settings-artifacts-effective")?.textContent).toMatch(/\/artifacts$/);
  });

  it("saves a manual proxy; the password goes to the keychain and is never shown back", async () => {
    const fake = await openSettings();
    await choose("#settings-proxy-mode", "manual");
    await type("#settings-proxy-url", "http://proxy.corp:3128/");
    await type("#settings-proxy-username", "ann");
    await type("#settings-proxy-password", "hunter2-proxy");
    await type("#settings-no-proxy", "internal.corp\n10.0.0.0/8");
    await fireEvent.blur($("#settings-no-proxy")!);
    await fireEvent.submit($("#settings-form")!);
    await waitFor(() => expect($("#settings-saved")).not.toBeNull());
    const [save] = fake.callsTo("settings_save");
    expect(save!.args.update.proxyPassword).toEqual({ kind: "set", value: "hunter2-proxy" });
    expect(fake.settings.proxy).toEqual({ mode: "manual", url: "http://proxy.corp:3128", username: "ann", noProxy: ["internal.corp", "10.0.0.0/8"] });
    expect(fake.proxyPassword).toBe("hunter2-proxy");
    const password = $<HTMLInputElement>("#settings-proxy-password")!;
    expect(password.value).toBe("");
    expect(password.placeholder).toBe("saved in keychain");
    expect(document.body.innerHTML).not.toContain("hunter2-proxy");

    // A second save without typing keeps the saved password.
    await fireEvent.submit($("#settings-form")!);
    await waitFor(() => expect(fake.callsTo("settings_save")).toHaveLength(2));
    expect(fake.callsTo("settings_save")[1]!.args.update.proxyPassword).toEqual({ kind: "keep" });
    expect(fake.proxyPassword).toBe("hunter2-proxy");

    await fireEvent.click($("#settings-proxy-password-clear")!);
    await fireEvent.submit($("#settings-form")!);
    await waitFor(() => expect(fake.proxyPassword).toBeNull());
  });

  it("shows the backend's refusal and keeps what was saved", async () => {
    const fake = await openSettings();
    await choose("#settings-proxy-mode", "manual");
    await type("#settings-proxy-url", "ftp://proxy.corp:21");
    await fireEvent.submit($("#settings-form")!);
    await waitFor(() => expect($("#settings-save-error")).not.toBeNull());
    expect($("#settings-save-error")?.textContent).toContain("unknown proxy scheme `ftp`");
    expect($("#settings-save-error")?.dataset.code).toBe("invalid_input");
    expect(fake.settings.proxy.mode).toBe("system");

    await type("#settings-proxy-url", "http://proxy.corp:3128");
    await type("#settings-timeout-connect", "0");
    await fireEvent.submit($("#settings-form")!);
    await waitFor(() => expect($("#settings-save-error")?.textContent).toContain("timeouts.connectSecs: must be at least 1 second"));
  });

  it("tests the chosen connection with the unsaved form and names the failed step", async () => {
    const fake = await openSettings();
    await choose("#settings-proxy-mode", "direct");
    fake.nextConnectionTest = connectionTestOf("http://gw.example:8080", null, "dns", "cannot resolve `gw.example`");
    await fireEvent.click($("#settings-test")!);
    await waitFor(() => expect($("#settings-test-report")).not.toBeNull());
    const [call] = fake.callsTo("settings_test_connection");
    expect(call!.args.connectionId).toBe(SANDBOX.id);
    expect(call!.args.edited?.settings.proxy.mode).toBe("direct");
    expect(fake.settings.proxy.mode).toBe("system");
    expect($("#settings-test-report")?.dataset.failedStep).toBe("dns");
    expect($("#settings-test-summary")?.textContent).toBe("DNS failed");
    expect($('[data-step="tcp"]')?.dataset.status).toBe("skipped");

    fake.nextConnectionTest = connectionTestOf("https://gw.example", "http://proxy.corp:3128", "proxy", "proxy authentication required (HTTP 407)");
    fake.nextConnectionTest.steps[2]!.httpStatus = 407;
    await fireEvent.click($("#settings-test")!);
    await waitFor(() => expect($("#settings-test-summary")?.textContent).toBe("Proxy authentication failed"));

    await fireEvent.click($("#settings-test")!);
    await waitFor(() => expect($("#settings-test-report")?.dataset.ok).toBe("true"));
    expect($("#settings-test-summary")?.textContent).toBe("Connection works");
  });
});
