import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { HANDOFF_PATH, handoffFile, installFakeBackend, keyRecord, maskOf, meta, type FakeBackend } from "../../ipc/testing/fakeBackend";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const rows = () => [...document.querySelectorAll("#keys-table tr[data-key-id]")];
const rowIds = () => rows().map((r) => r.getAttribute("data-key-id"));
const text = (sel: string) => $(sel)?.textContent?.replace(/\s+/g, " ").trim() ?? "";

const OLD = "sk-plan-old-secret-0001";
const NEW = "sk-plan-new-secret-0002";
const BAD = "sk-plan-revoked-secret-9";

/** One stored key "Search prod" (k1), bound to the Sandbox connection for prod, the environment it uses. */
function vault(): FakeBackend {
  return installFakeBackend({
    keys: [keyRecord("k1", OLD, meta("Search prod", "prod", { team: "Search", project: "Ranker" }))],
    keychain: { k1: OLD },
    gateway: {
      [OLD]: { outcome: "works", models: ["gpt-4o", "claude-sonnet-4-5", "old-only"] },
      [NEW]: { outcome: "works", models: ["gpt-4o", "claude-sonnet-4-5", "gemini-2.5-pro"] },
      [BAD]: { outcome: "invalid", models: [] },
    },
    bindings: [{ connectionId: "sandbox", environment: "prod", keyId: "k1" }],
  });
}

async function openKeys(fake: FakeBackend = vault()) {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.click($("#nav-keys")!);
  await waitFor(() => expect($("#keys-screen")?.getAttribute("aria-busy")).toBe("false"));
  return fake;
}

async function type(sel: string, value: string) {
  await fireEvent.input($(sel)!, { target: { value } });
}

describe("Keys screen: table", () => {
  it("lists each key with metadata, masked key, status and a missing-secret warning", async () => {
    const fake = vault();
    fake.keys.push(keyRecord("k2", "sk-custom-gone-9999", meta("Gone"), { inKeychain: false, status: "retired" }));
    fake.keys.push(keyRecord("k3", "sk-custom-lost-8888", meta("Lost"), { inKeychain: false }));
    await openKeys(fake);
    await waitFor(() => expect(rowIds()).toEqual(["k1", "k2", "k3"]));
    const k1 = $('tr[data-key-id="k1"]')!;
    expect(k1.getAttribute("data-status")).toBe("active");
    expect(k1.textContent).toContain("Search / Ranker");
    expect(k1.textContent).toContain("prod");
    expect(k1.textContent).toContain("Plan");
    expect(k1.querySelector(".mono")?.textContent).toBe(maskOf(OLD));
    expect(k1.textContent).not.toContain(OLD);
    expect(k1.querySelector(".key-verification")?.hasAttribute("data-outcome")).toBe(false);
    for (const cls of ["key-verify", "key-bind", "key-rotate", "key-copy", "key-delete"]) {
      expect(k1.querySelector(`button.${cls}`)).not.toBeNull();
    }
    expect(k1.textContent).not.toContain("secret missing from keychain");
    // Six columns (team/project shares a cell with the environment, kind sits under the key) and
    // every action a visible button in the row, none behind a menu: the e2e suite clicks them.
    expect(document.querySelectorAll("#keys-table thead th")).toHaveLength(6);
    expect(k1.querySelectorAll(".actions button")).toHaveLength(6);
    expect(k1.querySelector("details .actions, [role=menu]")).toBeNull();
    const use = k1.querySelector("button.key-bind")!;
    expect(use.textContent).toBe("Use…");
    expect(use.getAttribute("title")).toBe("Use for connection…");
    expect(use.getAttribute("aria-label")).toBe("Use Search prod for a connection");
    const k2 = $('tr[data-key-id="k2"]')!;
    expect(k2.getAttribute("data-status")).toBe("retired");
    // Deleted on purpose at rotation: said plainly, not raised as a warning.
    expect(k2.textContent).toContain("secret deleted");
    expect(k2.textContent).not.toContain("secret missing from keychain");
    expect(k2.querySelector<HTMLButtonElement>("button.key-copy")?.disabled).toBe(true);
    const k3 = $('tr[data-key-id="k3"]')!;
    expect(k3.getAttribute("data-status")).toBe("active");
    expect(k3.textContent).toContain("secret missing from keychain");
  });

  it("shows the needs-attention list at the top when the backend reports some", async () => {
    await openKeys();
    await waitFor(() => expect($("#attention-list")).not.toBeNull());
    expect($('#attention-list li[data-key-id="k1"] [data-reason="never_verified"]')?.textContent).toBe("never verified");
    const order = $("#attention-list")!.compareDocumentPosition($("#keys-table")!);
    expect(order & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});

describe("Keys screen: add", () => {
  it("adds a pasted key, then clears the secret from the input", async () => {
    const fake = await openKeys();
    await type("#key-label", "  Billing dev ");
    $<HTMLSelectElement>("#key-environment")!.value = "staging";
    await fireEvent.change($("#key-environment")!);
    await type("#key-secret", "sk-new-billing-key-77");
    await fireEvent.submit($("#key-add-form")!);
    await waitFor(() => expect($("#key-add-done")).not.toBeNull());
    await waitFor(() => expect(rowIds()).toEqual(["k1", "k2"]));
    expect(fake.callsTo("key_add")[0]?.args).toEqual({
      input: { meta: meta("Billing dev", "staging"), secret: "sk-new-billing-key-77" },
    });
    expect($<HTMLInputElement>("#key-secret")!.value).toBe("");
    expect($<HTMLInputElement>("#key-label")!.value).toBe("");
    expect($('tr[data-key-id="k2"]')?.textContent).toContain(maskOf("sk-new-billing-key-77"));
    expect(document.body.innerHTML).not.toContain("sk-new-billing-key-77");
    expect(JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href).not.toContain("billing-key");
  });

  it("shows a duplicate by its code with the backend's message, and clears the secret too", async () => {
    const fake = await openKeys();
    await type("#key-label", "Same again");
    await type("#key-secret", OLD);
    await fireEvent.submit($("#key-add-form")!);
    await waitFor(() => expect($("#key-add-error")).not.toBeNull());
    expect($("#key-add-error")?.getAttribute("data-code")).toBe("duplicate_key");
    expect(text("#key-add-error .error-summary")).toContain("already in the vault");
    expect(text("#key-add-error .error-detail")).toContain("already stored as “Search prod”");
    expect($<HTMLInputElement>("#key-secret")!.value).toBe("");
    // The metadata stays so the user can fix and retry; the list is unchanged.
    expect($<HTMLInputElement>("#key-label")!.value).toBe("Same again");
    expect(rowIds()).toEqual(["k1"]);
    expect(fake.keys).toHaveLength(1);
  });

  it("requires a label and a secret before calling the backend", async () => {
    const fake = await openKeys();
    await type("#key-secret", "sk-something-1234");
    await fireEvent.submit($("#key-add-form")!);
    expect($("#key-label")?.getAttribute("aria-invalid")).toBe("true");
    await type("#key-label", "Named");
    await type("#key-secret", "");
    await fireEvent.submit($("#key-add-form")!);
    expect($("#key-secret")?.getAttribute("aria-invalid")).toBe("true");
    expect(fake.callsTo("key_add")).toHaveLength(0);
  });

  it("takes ANYINT_API_KEY from the environment with the second button (secret null)", async () => {
    const fake = await openKeys();
    fake.envKey = "sk-from-the-env-5555";
    await type("#key-label", "From env");
    await fireEvent.click($("#key-add-env")!);
    await waitFor(() => expect(rowIds()).toEqual(["k1", "k2"]));
    expect(fake.callsTo("key_add")[0]?.args).toEqual({ input: { meta: meta("From env"), secret: null } });
  });

  it("with no usable keychain shows the banner and does not add keys", async () => {
    const fake = vault();
    fake.keychainError = { code: "keychain_unavailable", message: "org.freedesktop.secrets was not provided" };
    await openKeys(fake);
    await waitFor(() => expect($("#keychain-banner")).not.toBeNull());
    expect(text("#keychain-banner")).toContain("No usable keychain");
    expect(text("#keychain-banner")).toContain("will not store them anywhere else");
    expect(text("#keychain-banner .error-detail")).toContain("org.freedesktop.secrets was not provided");
    expect($("#key-add")!.closest("fieldset")?.disabled).toBe(true);
    await type("#key-label", "Anyway");
    await type("#key-secret", "sk-should-not-go-1234");
    await fireEvent.submit($("#key-add-form")!);
    await fireEvent.click($("#key-add-env")!);
    expect(fake.callsTo("key_add")).toHaveLength(0);
  });

  it("shows no keychain banner when the keychain answers", async () => {
    await openKeys();
    expect($("#keychain-banner")).toBeNull();
    expect($("#key-add")!.closest("fieldset")?.disabled).toBe(false);
  });
});

describe("Keys screen: row actions", () => {
  it("Verify records the outcome per route with the models it sees", async () => {
    const fake = vault();
    fake.keys.push(keyRecord("k2", BAD, meta("Revoked"), { connectionId: "sandbox" }));
    fake.keychain.k2 = BAD;
    await openKeys(fake);
    await fireEvent.click($('tr[data-key-id="k1"] button.key-verify')!);
    await waitFor(() => expect($('tr[data-key-id="k1"] .key-verification')?.getAttribute("data-outcome")).toBe("works"));
    expect(fake.callsTo("key_verify")[0]?.args).toEqual({ id: "k1" });
    const details = $('tr[data-key-id="k1"] details')!;
    expect(details.querySelector('[data-family="openai"]')?.textContent).toContain("3 models");
    expect(details.querySelector('[data-family="anthropic"]')?.textContent).toContain("3 models");
    expect([...details.querySelectorAll(".model-list li")].map((l) => l.textContent)).toEqual([
      "claude-sonnet-4-5",
      "gpt-4o",
      "old-only",
    ]);
    expect(details.querySelector("time")?.getAttribute("datetime")).toBeTruthy();
    await waitFor(() => expect(text("#keys-notice")).toContain("Works, 3 models"));

    await fireEvent.click($('tr[data-key-id="k2"] button.key-verify')!);
    await waitFor(() => expect($('tr[data-key-id="k2"] .key-verification')?.getAttribute("data-outcome")).toBe("invalid"));
    expect($('tr[data-key-id="k2"] [data-family="openai"]')?.textContent).toContain("HTTP 401");
  });

  it("Verify failures are explained by code above the table", async () => {
    const fake = await openKeys();
    fake.failNext.key_verify = { code: "key_missing", message: "no entry for k1" };
    await fireEvent.click($('tr[data-key-id="k1"] button.key-verify')!);
    await waitFor(() => expect($("#keys-error")?.getAttribute("data-code")).toBe("key_missing"));
    expect(text("#keys-error")).toContain("missing from the keychain");
    expect(text("#keys-error .error-detail")).toContain("no entry for k1");
  });

  it("Copy says when the clipboard clears", async () => {
    const fake = await openKeys();
    await fireEvent.click($('tr[data-key-id="k1"] button.key-copy')!);
    await waitFor(() => expect(text("#keys-notice")).toBe("Copied — clipboard clears in 30 s"));
    expect(fake.callsTo("key_copy")[0]?.args).toEqual({ id: "k1" });
  });

  it("Use for connection… binds the key for the chosen environment and the status bar follows", async () => {
    const fake = vault();
    fake.keys.push(keyRecord("k2", NEW, meta("Staging key", "staging")));
    fake.keychain.k2 = NEW;
    await openKeys(fake);
    await fireEvent.click($('tr[data-key-id="k2"] button.key-bind')!);
    await waitFor(() => expect($("#bind-connection")).not.toBeNull());
    expect(document.activeElement?.id).toBe("bind-connection");
    expect([...$<HTMLSelectElement>("#bind-connection")!.options].map((o) => o.value)).toEqual(["sandbox"]);
    expect($<HTMLSelectElement>("#bind-environment")!.value).toBe("staging");
    await fireEvent.click($("#bind-confirm")!);
    await waitFor(() => expect($("#bind-dialog")).toBeNull());
    expect(fake.callsTo("key_bind")[0]?.args).toEqual({ connectionId: "sandbox", environment: "staging", keyId: "k2" });
    await waitFor(() => expect(text("#status-key")).toContain(maskOf(NEW)));
    expect(text("#status-environment")).toBe("staging");
  });

  it("Delete asks first; Esc cancels, and the keychain box decides alsoKeychain", async () => {
    const fake = vault();
    fake.bindings = [];
    await openKeys(fake);
    const del = $<HTMLButtonElement>('tr[data-key-id="k1"] button.key-delete')!;
    del.focus();
    await fireEvent.click(del);
    await waitFor(() => expect($("#delete-dialog")).not.toBeNull());
    await fireEvent.keyDown($("#delete-dialog")!, { key: "Escape" });
    expect($("#delete-dialog")).toBeNull();
    expect(document.activeElement).toBe(del);
    expect(fake.callsTo("key_delete")).toHaveLength(0);

    await fireEvent.click(del);
    await fireEvent.click($("#delete-also-keychain")!);
    await fireEvent.click($("#delete-confirm")!);
    await waitFor(() => expect(rowIds()).toEqual([]));
    expect(fake.callsTo("key_delete")[0]?.args).toEqual({ id: "k1", alsoKeychain: true });
  });

  it("Delete of a key in use shows key_in_use in the dialog and keeps the row", async () => {
    await openKeys();
    await fireEvent.click($('tr[data-key-id="k1"] button.key-delete')!);
    await fireEvent.click($("#delete-confirm")!);
    await waitFor(() => expect($("#delete-error")?.getAttribute("data-code")).toBe("key_in_use"));
    expect(text("#delete-error")).toContain("still used by a connection");
    expect(rowIds()).toEqual(["k1"]);
  });

  it("Edit saves the whole metadata form; Enter submits", async () => {
    const fake = await openKeys();
    await fireEvent.click($('tr[data-key-id="k1"] button.key-edit')!);
    await waitFor(() => expect(document.activeElement?.id).toBe("edit-label"));
    expect($<HTMLInputElement>("#edit-team")!.value).toBe("Search");
    await type("#edit-label", "Search prod (EU)");
    await type("#edit-rotate-by", "2025-06-30");
    await fireEvent.submit($("#edit-form")!);
    await waitFor(() => expect($("#edit-dialog")).toBeNull());
    expect(fake.callsTo("key_update")[0]?.args).toEqual({
      id: "k1",
      meta: meta("Search prod (EU)", "prod", { team: "Search", project: "Ranker", rotateBy: "2025-06-30" }),
    });
    expect($('tr[data-key-id="k1"]')?.textContent).toContain("Search prod (EU)");
    expect($('tr[data-key-id="k1"]')?.textContent).toContain("rotate by 2025-06-30");
  });

  it("dialogs keep Tab inside", async () => {
    await openKeys();
    await fireEvent.click($('tr[data-key-id="k1"] button.key-delete')!);
    const dialog = $("#delete-dialog")!;
    const buttons = [...dialog.querySelectorAll<HTMLElement>("input, button")];
    buttons[buttons.length - 1]!.focus();
    await fireEvent.keyDown(dialog, { key: "Tab" });
    expect(document.activeElement).toBe(buttons[0]);
    await fireEvent.keyDown(dialog, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(buttons[buttons.length - 1]);
  });
});

describe("Keys screen: rotation", () => {
  async function startRotation(secret: string) {
    const fake = await openKeys();
    await fireEvent.click($('tr[data-key-id="k1"] button.key-rotate')!);
    await waitFor(() => expect(document.activeElement?.id).toBe("rotate-secret"));
    await type("#rotate-secret", secret);
    await fireEvent.click($("#rotate-verify")!);
    return fake;
  }

  it("verifies the replacement, shows gained and lost, swaps, and reminds to revoke", async () => {
    const fake = await startRotation(NEW);
    await waitFor(() => expect($("#rotate-plan")).not.toBeNull());
    expect(fake.callsTo("rotation_plan")[0]?.args).toEqual({ oldKeyId: "k1", newSecret: NEW });
    const ids = (sel: string) => [...document.querySelectorAll(`${sel} li[data-model-id]`)].map((l) => l.getAttribute("data-model-id"));
    expect(ids("#rotate-gained")).toEqual(["gemini-2.5-pro"]);
    expect(ids("#rotate-lost")).toEqual(["old-only"]);
    expect(text("#rotate-plan")).toContain(maskOf(NEW));
    expect(text("#rotate-connections")).toBe("Sandbox");
    expect(text("#rotate-commit")).toBe("Swap into 1 connection");
    expect($<HTMLInputElement>("#rotate-keep-old")!.checked).toBe(false);
    await waitFor(() => expect($('tr[data-key-id="k1"]')?.getAttribute("data-status")).toBe("rotating"));

    await fireEvent.click($("#rotate-commit")!);
    await waitFor(() => expect($("#rotate-result")).not.toBeNull());
    // The result stays on the screen (not in a modal), focused so it is read first.
    expect($("#rotate-dialog")).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe("rotate-result"));
    expect(fake.callsTo("rotation_cancel")).toHaveLength(0);
    expect(fake.callsTo("rotation_commit")[0]?.args).toEqual({ oldKeyId: "k1", keepOld: false });
    expect(text("#rotate-reminder")).toContain("Revoke");
    expect(text("#rotate-reminder")).toContain(maskOf(OLD));
    await waitFor(() => expect(rowIds()).toEqual(["k1", "k2"]));
    expect($('tr[data-key-id="k1"]')?.getAttribute("data-status")).toBe("retired");
    expect($('tr[data-key-id="k2"]')?.getAttribute("data-status")).toBe("active");
    await waitFor(() => expect(text("#status-key")).toContain(maskOf(NEW)));
    await waitFor(() => expect($('#audit-table tr[data-action="rotation.committed"]')).not.toBeNull());
    // The reminder survives a trip to another screen, until dismissed.
    await fireEvent.click($("#nav-models")!);
    await fireEvent.click($("#nav-keys")!);
    await waitFor(() => expect(text("#rotate-reminder")).toContain("Revoke"));
    await fireEvent.click($("#rotate-dismiss")!);
    expect($("#rotate-result")).toBeNull();
    expect(document.body.innerHTML).not.toContain(NEW);
  });

  it("a rejected replacement stops with the error and changes nothing", async () => {
    const fake = await startRotation(BAD);
    await waitFor(() => expect($("#rotate-error")).not.toBeNull());
    expect($("#rotate-error")?.getAttribute("data-code")).toBe("new_key_rejected");
    expect(text("#rotate-error .error-summary")).toContain("The new key was rejected; nothing was changed");
    expect(text("#rotate-error .error-detail")).toContain("not accepted (invalid)");
    expect($<HTMLInputElement>("#rotate-secret")!.value).toBe("");
    expect($("#rotate-plan")).toBeNull();
    expect($("#rotate-commit")).toBeNull();
    expect(fake.callsTo("rotation_commit")).toHaveLength(0);
    expect(rowIds()).toEqual(["k1"]);
    expect($('tr[data-key-id="k1"]')?.getAttribute("data-status")).toBe("active");
    expect(fake.bindings).toEqual([{ connectionId: "sandbox", environment: "prod", keyId: "k1" }]);
    expect(text("#status-key")).toContain(maskOf(OLD));
  });

  it("Cancel after the plan returns the old key to active", async () => {
    const fake = await startRotation(NEW);
    await waitFor(() => expect($("#rotate-plan")).not.toBeNull());
    await fireEvent.click($("#rotate-cancel")!);
    await waitFor(() => expect($("#rotate-dialog")).toBeNull());
    expect(fake.callsTo("rotation_cancel")[0]?.args).toEqual({ oldKeyId: "k1" });
    await waitFor(() => expect($('tr[data-key-id="k1"]')?.getAttribute("data-status")).toBe("active"));
    expect(fake.callsTo("rotation_commit")).toHaveLength(0);
  });
});

describe("Keys screen: audit log", () => {
  it("renders the entries and exports the CSV, showing where it went", async () => {
    const fake = vault();
    fake.audit = [
      { id: 2, at: "2025-03-01T10:05:00Z", actor: "alice", action: "key.verified", keyId: "k1", keyLabel: "Search prod",
        keyFingerprint: "0123456789ab", outcome: "works", detail: "works; openai works (3 models)" },
      { id: 1, at: "2025-03-01T10:00:00Z", actor: "alice", action: "key.added", keyId: "k1", keyLabel: "Search prod",
        keyFingerprint: "0123456789ab", outcome: "ok", detail: null },
    ];
    await openKeys(fake);
    await waitFor(() => expect(document.querySelectorAll("#audit-table tr[data-action]")).toHaveLength(2));
    const first = $('#audit-table tr[data-action="key.verified"]')!;
    expect(first.textContent).toContain("alice");
    expect(first.textContent).toContain("Search prod");
    expect(first.textContent).toContain("0123456789ab");
    expect(first.textContent).toContain("works; openai works (3 models)");
    expect(fake.callsTo("audit_list")[0]?.args).toEqual({ limit: 200 });
    await fireEvent.click($("#audit-export")!);
    await waitFor(() => expect(text("#audit-export-path")).toContain("/home/tester/Downloads/anyint-desk-audit.csv"));
  });
});

describe("Keys screen: team hand-off", () => {
  const PASS = "correct horse battery";
  const value = (sel: string) => $<HTMLInputElement>(sel)!.value;
  const boxes = () => [...document.querySelectorAll<HTMLInputElement>("#handoff-keys input[type=checkbox][data-key-id]")];

  function withMoreKeys(): FakeBackend {
    const fake = vault();
    fake.keys.push(keyRecord("k2", NEW, meta("Staging key", "staging")));
    fake.keychain.k2 = NEW;
    fake.keys.push(keyRecord("k3", BAD, meta("Old one"), { status: "retired" }));
    fake.keychain.k3 = BAD;
    return fake;
  }

  async function pickFile(text: string) {
    const input = $<HTMLInputElement>("#handoff-import-file")!;
    const file = new File([text], "anyint-keys-handoff.age", { type: "text/plain" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    await fireEvent.change(input);
  }

  it("offers the non-retired keys, warns about the secrets, and enforces the passphrase rules", async () => {
    const fake = await openKeys(withMoreKeys());
    await waitFor(() => expect(boxes().map((b) => b.dataset.keyId)).toEqual(["k1", "k2"]));
    expect(text("#handoff-warning")).toContain("contains the secrets");
    expect(text("#handoff-warning")).toContain("different channel");
    expect($<HTMLInputElement>("#handoff-passphrase")!.type).toBe("password");
    expect($<HTMLInputElement>("#handoff-passphrase-confirm")!.type).toBe("password");

    // Nothing selected.
    await type("#handoff-passphrase", PASS);
    await type("#handoff-passphrase-confirm", PASS);
    await fireEvent.click($("#handoff-export-confirm")!);
    expect(text("#handoff-keys-error")).toContain("Select at least one key");

    // Too short (11 characters).
    await fireEvent.click(boxes()[0]!);
    await type("#handoff-passphrase", "elevenchars");
    await type("#handoff-passphrase-confirm", "elevenchars");
    await fireEvent.click($("#handoff-export-confirm")!);
    expect($("#handoff-passphrase")?.getAttribute("aria-invalid")).toBe("true");
    expect(text("#handoff-passphrase-error")).toContain("at least 12 characters");
    expect(document.activeElement?.id).toBe("handoff-passphrase");

    // Long enough, but the two differ.
    await type("#handoff-passphrase", PASS);
    await type("#handoff-passphrase-confirm", `${PASS}!`);
    await fireEvent.click($("#handoff-export-confirm")!);
    expect($("#handoff-passphrase-error")).toBeNull();
    expect(text("#handoff-passphrase-confirm-error")).toContain("differ");
    expect(fake.callsTo("keys_export_handoff")).toHaveLength(0);
  });

  it("exports the chosen keys, shows the path, and clears both passphrases", async () => {
    const fake = await openKeys(withMoreKeys());
    await waitFor(() => expect(boxes()).toHaveLength(2));
    await fireEvent.click(boxes()[1]!);
    await type("#handoff-passphrase", PASS);
    await type("#handoff-passphrase-confirm", PASS);
    await fireEvent.submit($("#handoff-export")!);
    await waitFor(() => expect(text("#handoff-export-path")).toBe(HANDOFF_PATH));
    expect(fake.callsTo("keys_export_handoff")[0]?.args).toEqual({ ids: ["k2"], passphrase: PASS });
    expect(value("#handoff-passphrase")).toBe("");
    expect(value("#handoff-passphrase-confirm")).toBe("");
    expect(boxes().every((b) => !b.checked)).toBe(true);
    expect(document.body.innerHTML).not.toContain(PASS);
    expect(document.body.innerHTML).not.toContain(NEW);
    await waitFor(() => expect($('#audit-table tr[data-action="key.exported"]')).not.toBeNull());
  });

  it("a failed export is explained by code, and the passphrases are cleared too", async () => {
    const fake = await openKeys();
    fake.failNext.keys_export_handoff = { code: "key_missing", message: "no entry for k1" };
    await fireEvent.click(boxes()[0]!);
    await type("#handoff-passphrase", PASS);
    await type("#handoff-passphrase-confirm", PASS);
    await fireEvent.click($("#handoff-export-confirm")!);
    await waitFor(() => expect($("#handoff-error")?.getAttribute("data-code")).toBe("key_missing"));
    expect(text("#handoff-error .error-detail")).toContain("no entry for k1");
    expect(value("#handoff-passphrase")).toBe("");
    expect(value("#handoff-passphrase-confirm")).toBe("");
    expect($("#handoff-export-path")).toBeNull();
  });

  it("imports a file: reports imported and skipped keys, re-lists, clears the passphrase", async () => {
    const fake = await openKeys();
    const FRESH = "sk-custom-from-alice-4242";
    const file = handoffFile(PASS, [
      { meta: meta("Search prod again"), secret: OLD },
      { meta: meta("Alice's billing", "staging", { team: "Billing" }), secret: FRESH },
    ]);
    await pickFile(file);
    await type("#handoff-import-passphrase", PASS);
    await fireEvent.click($("#handoff-import-confirm")!);
    await waitFor(() => expect($("#handoff-import-report")).not.toBeNull());
    expect(fake.callsTo("keys_import_handoff")[0]?.args).toEqual({ file, passphrase: PASS });
    expect(text("#handoff-import-report")).toContain("Imported 1 key, skipped 1");
    expect(text("#handoff-import-report .imported li[data-key-id=k2]")).toContain("Alice's billing");
    expect(text("#handoff-import-report .imported li[data-key-id=k2]")).toContain(maskOf(FRESH));
    const skipped = $('#handoff-import-report .skipped li[data-label="Search prod again"]')!;
    expect(skipped.textContent).toContain("already stored as “Search prod”");
    await waitFor(() => expect(rowIds()).toEqual(["k1", "k2"]));
    expect(value("#handoff-import-passphrase")).toBe("");
    expect(value("#handoff-import-file")).toBe("");
    expect(document.body.innerHTML).not.toContain(FRESH);
    expect(document.body.innerHTML).not.toContain(PASS);
  });

  it("a wrong passphrase shows handoff_rejected by code, imports nothing and clears the passphrase", async () => {
    const fake = await openKeys();
    await pickFile(handoffFile(PASS, [{ meta: meta("Other"), secret: NEW }]));
    await type("#handoff-import-passphrase", "not the passphrase");
    await fireEvent.submit($("#handoff-import")!);
    await waitFor(() => expect($("#handoff-error")?.getAttribute("data-code")).toBe("handoff_rejected"));
    expect(text("#handoff-error .error-summary")).toContain("wrong passphrase, or not an AnyInt Desk hand-off file");
    expect($("#handoff-import-report")).toBeNull();
    expect(value("#handoff-import-passphrase")).toBe("");
    expect(fake.keys).toHaveLength(1);
    expect(rowIds()).toEqual(["k1"]);

    // Not a hand-off file at all: the same code.
    await pickFile("hello");
    await type("#handoff-import-passphrase", PASS);
    await fireEvent.submit($("#handoff-import")!);
    await waitFor(() => expect(fake.callsTo("keys_import_handoff")).toHaveLength(2));
    await waitFor(() => expect($("#handoff-error")?.getAttribute("data-code")).toBe("handoff_rejected"));
  });

  it("asks for a file and a passphrase before calling the backend", async () => {
    const fake = await openKeys();
    await type("#handoff-import-passphrase", PASS);
    await fireEvent.submit($("#handoff-import")!);
    expect($("#handoff-import-file")?.getAttribute("aria-invalid")).toBe("true");
    await pickFile(handoffFile(PASS, []));
    await type("#handoff-import-passphrase", "");
    await fireEvent.submit($("#handoff-import")!);
    expect($("#handoff-import-passphrase")?.getAttribute("aria-invalid")).toBe("true");
    expect(fake.callsTo("keys_import_handoff")).toHaveLength(0);
  });

  it("with no usable keychain both forms are disabled", async () => {
    const fake = vault();
    fake.keychainError = { code: "keychain_unavailable", message: "no secret service" };
    await openKeys(fake);
    expect($("#handoff-export-confirm")!.closest("fieldset")?.disabled).toBe(true);
    expect($("#handoff-import-confirm")!.closest("fieldset")?.disabled).toBe(true);
  });
});
