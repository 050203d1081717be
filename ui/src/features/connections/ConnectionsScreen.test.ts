import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { installFakeBackend, model, SANDBOX } from "../../ipc/testing/fakeBackend";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);

async function openConnections() {
  const fake = installFakeBackend({
    models: { sandbox: [model("sandbox-model")], c2: [model("prod-model")] },
  });
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.click($("#nav-connections")!);
  await waitFor(() => expect($('[data-connection-id="sandbox"]')).not.toBeNull());
  return fake;
}

async function fill(name: string, url: string) {
  await fireEvent.input($("#connection-name")!, { target: { value: name } });
  await fireEvent.input($("#connection-base-url")!, { target: { value: url } });
  await fireEvent.submit($("#connection-form")!);
}

describe("Connections screen", () => {
  it("lists connections with kind, key source and the active marker", async () => {
    await openConnections();
    const row = $('[data-connection-id="sandbox"]')!;
    expect(row.textContent).toContain(SANDBOX.baseUrl);
    expect(row.textContent).toContain("Sandbox (simulated)");
    // The Sandbox as the real backend lists it: its simulated key, worded by keySource.ts.
    expect(row.textContent).toContain(`${SANDBOX.maskedKey} from the Sandbox's simulated key`);
    expect(row.textContent).toContain("Active");
    expect(row.querySelector<HTMLButtonElement>("button.use-connection")?.disabled).toBe(true);
  });

  it("offers api.anyint.ai by default and the gateway host as a preset", async () => {
    await openConnections();
    expect($<HTMLInputElement>("#connection-base-url")?.value).toBe("https://api.anyint.ai");
    const preset = $<HTMLSelectElement>("#connection-base-url-preset")!;
    expect([...preset.options].map((o) => o.value)).toContain("https://gateway.api.anyint.ai");
    preset.value = "https://gateway.api.anyint.ai";
    await fireEvent.change(preset);
    expect($<HTMLInputElement>("#connection-base-url")?.value).toBe("https://gateway.api.anyint.ai");
  });

  it("refuses a base URL that is not http(s) without calling the backend", async () => {
    const fake = await openConnections();
    await fill("Prod", "ftp://api.anyint.ai");
    expect($("#connection-base-url-error")?.textContent).toMatch(/http/);
    expect($("#connection-base-url")?.getAttribute("aria-invalid")).toBe("true");
    await fill("Prod", "api.anyint.ai");
    expect($("#connection-base-url-error")?.textContent).toMatch(/not a URL/);
    expect(fake.callsTo("connection_add")).toHaveLength(0);
  });

  it("shows the backend's rejection inline", async () => {
    const fake = await openConnections();
    fake.addError = { code: "invalid_input", message: "a connection named Prod exists" };
    await fill("Prod", "https://api.anyint.ai");
    await waitFor(() => expect($("#connection-form-error")).not.toBeNull());
    expect($("#connection-form-error")?.getAttribute("data-code")).toBe("invalid_input");
    expect($("#connection-form-error")?.textContent).toContain("a connection named Prod exists");
    expect(document.querySelectorAll("[data-connection-id]")).toHaveLength(1);
  });

  it("adds a connection, then Use switches to it and Models reloads for it", async () => {
    const fake = await openConnections();
    await fill("  Prod  ", "https://gateway.api.anyint.ai");
    await waitFor(() => expect($('[data-connection-id="c2"]')).not.toBeNull());
    expect(fake.callsTo("connection_add")[0]?.args).toEqual({
      input: { name: "Prod", baseUrl: "https://gateway.api.anyint.ai", useEnvKey: false, allowInsecureHttp: false },
    });
    expect($("#status-connection")?.textContent).toBe("Sandbox");
    expect($("#sandbox-badge")).not.toBeNull();
    // No ANYINT_API_KEY in this fake and nothing bound yet: Rust reports the key as missing.
    expect($('[data-connection-id="c2"]')?.textContent).toContain("no key from nowhere: bind a key in Keys");

    const modelLoads = fake.callsTo("models_list").length;
    await fireEvent.click($('[data-connection-id="c2"] button.use-connection')!);
    await waitFor(() => expect($("#status-connection")?.textContent).toBe("Prod"));
    expect(fake.callsTo("connection_activate")[0]?.args).toEqual({ id: "c2" });
    expect($("#sandbox-badge")).toBeNull();
    expect($('[data-connection-id="c2"]')?.textContent).toContain("Active");
    await waitFor(() => expect(fake.callsTo("models_list").length).toBe(modelLoads + 1));
    expect(fake.callsTo("models_list").slice(-1)[0]?.args).toEqual({ refresh: false });

    await fireEvent.click($("#nav-models")!);
    await waitFor(() => expect($('tr[data-model-id="prod-model"]')).not.toBeNull());
    expect($('tr[data-model-id="sandbox-model"]')).toBeNull();
  });

  it("plain http:// to another machine asks first, then shows a warning badge", async () => {
    const fake = await openConnections();
    await fill("Office", "http://gw.office.example:8080");
    await waitFor(() => expect($("#connection-insecure")).not.toBeNull());
    expect($("#connection-insecure")?.textContent).toContain("not encrypted");
    expect(document.querySelectorAll("[data-connection-id]")).toHaveLength(1);
    expect(fake.callsTo("connection_add")[0]?.args.input.allowInsecureHttp).toBe(false);
    await waitFor(() => expect(document.activeElement?.id).toBe("connection-insecure-confirm"));
    await fireEvent.click($("#connection-insecure-confirm")!);
    await waitFor(() => expect($('[data-connection-id="c2"]')).not.toBeNull());
    expect(fake.callsTo("connection_add")[1]?.args.input.allowInsecureHttp).toBe(true);
    expect($('[data-connection-id="c2"] .insecure-http')?.textContent).toContain("Not encrypted");
    await waitFor(() => expect($("#connection-insecure")).toBeNull());
    // The Sandbox (loopback) has no badge, and a loopback http:// gateway is added without asking.
    expect($('[data-connection-id="sandbox"] .insecure-http')).toBeNull();
    await fill("Local", "http://127.0.0.1:9000");
    await waitFor(() => expect($('[data-connection-id="c3"]')).not.toBeNull());
    expect($('[data-connection-id="c3"] .insecure-http')).toBeNull();
  });

  it("uses ANYINT_API_KEY only when the box is ticked", async () => {
    const fake = await openConnections();
    fake.envKey = "sk-from-the-env-7777";
    await fill("Plain", "https://a.example");
    await waitFor(() => expect($('[data-connection-id="c2"]')).not.toBeNull());
    expect($('[data-connection-id="c2"]')?.textContent).toContain("no key from nowhere");
    await waitFor(() => expect($("#connection-form-added")).not.toBeNull());
    await fireEvent.click($("#connection-use-env-key")!);
    expect($<HTMLInputElement>("#connection-use-env-key")!.checked).toBe(true);
    await fill("With env", "https://b.example");
    await waitFor(() => expect($('[data-connection-id="c3"]')).not.toBeNull());
    expect(fake.callsTo("connection_add")[1]?.args.input.useEnvKey).toBe(true);
    expect($('[data-connection-id="c3"]')?.textContent).toContain("from ANYINT_API_KEY");
  });

  it("Edit changes a connection, asking again before plain http:// to another machine", async () => {
    const fake = await openConnections();
    expect($('[data-connection-id="sandbox"] button.edit-connection')).toBeNull();
    await fill("Prod", "https://gateway.api.anyint.ai");
    await waitFor(() => expect($('[data-connection-id="c2"] button.edit-connection')).not.toBeNull());
    await fireEvent.click($('[data-connection-id="c2"] button.edit-connection')!);
    await waitFor(() => expect($("#connection-edit-dialog")).not.toBeNull());
    await fireEvent.input($("#connection-edit-base-url")!, { target: { value: "http://10.0.0.9:8080" } });
    await fireEvent.submit($("#connection-edit-dialog form")!);
    await waitFor(() => expect($("#connection-edit-insecure")).not.toBeNull());
    expect(fake.callsTo("connection_update")[0]?.args).toEqual({
      id: "c2",
      input: { name: "Prod", baseUrl: "http://10.0.0.9:8080", useEnvKey: false, allowInsecureHttp: false },
    });
    await fireEvent.click($("#connection-edit-insecure-confirm")!);
    await waitFor(() => expect($("#connection-edit-dialog")).toBeNull());
    expect(fake.callsTo("connection_update")[1]?.args.input.allowInsecureHttp).toBe(true);
    await waitFor(() => expect($('[data-connection-id="c2"] .insecure-http')).not.toBeNull());
    expect($('[data-connection-id="c2"]')?.textContent).toContain("http://10.0.0.9:8080");
  });
});
