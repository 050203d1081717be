// Issue 10 on the Keys screen: who uses a key (and unbinding it), a key checked against its own
// connection only, and a rotation verified before a restart offered to resume.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { installFakeBackend, keyRecord, maskOf, meta, NOW, verificationFor, type FakeBackend } from "../../ipc/testing/fakeBackend";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const text = (sel: string) => $(sel)?.textContent?.replace(/\s+/g, " ").trim() ?? "";

const OLD = "sk-plan-old-secret-0001";
const NEW = "sk-plan-new-secret-0002";

function vault(): FakeBackend {
  return installFakeBackend({
    keys: [keyRecord("k1", OLD, meta("Search prod", "prod"), { connectionId: "sandbox" })],
    keychain: { k1: OLD },
    gateway: { [OLD]: { outcome: "works", models: ["gpt-4o"] }, [NEW]: { outcome: "works", models: ["gpt-4o", "o3"] } },
    bindings: [{ connectionId: "sandbox", environment: "prod", keyId: "k1" }],
  });
}

async function openKeys(fake: FakeBackend) {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.click($("#nav-keys")!);
  await waitFor(() => expect($("#keys-screen")?.getAttribute("aria-busy")).toBe("false"));
  return fake;
}

describe("Keys screen: connections that use a key", () => {
  it("lists them on the row, and Unbind empties the slot", async () => {
    const fake = await openKeys(vault());
    await waitFor(() => expect($('tr[data-key-id="k1"] .key-use')).not.toBeNull());
    expect(text('tr[data-key-id="k1"] .key-use')).toContain("Sandbox (prod)");
    expect($('tr[data-key-id="k1"] .key-use')?.getAttribute("data-connection-id")).toBe("sandbox");
    await waitFor(() => expect(text("#status-key")).toContain(maskOf(OLD)));

    await fireEvent.click($('tr[data-key-id="k1"] button.key-unbind')!);
    await waitFor(() => expect($('tr[data-key-id="k1"] .key-use')).toBeNull());
    expect(fake.callsTo("key_unbind")[0]?.args).toEqual({ connectionId: "sandbox", environment: "prod" });
    expect(fake.bindings).toEqual([]);
    expect(text('tr[data-key-id="k1"]')).toContain("not used by any connection");
    expect(text("#keys-notice")).toContain("Sandbox no longer uses “Search prod” (prod)");
    // The status bar follows: the Sandbox is back on its own key.
    await waitFor(() => expect(text("#status-key")).not.toContain(maskOf(OLD)));
  });

  it("a key that belongs to no connection is not verified against the active one", async () => {
    const fake = vault();
    fake.keys.push(keyRecord("k2", NEW, meta("Loose", "dev")));
    fake.keychain.k2 = NEW;
    await openKeys(fake);
    await fireEvent.click($('tr[data-key-id="k2"] button.key-verify')!);
    await waitFor(() => expect($("#keys-error")?.getAttribute("data-code")).toBe("invalid_input"));
    expect(text("#keys-error .error-detail")).toContain("belongs to no connection");
    expect($('tr[data-key-id="k2"] .key-verification')?.hasAttribute("data-outcome")).toBe(false);
  });
});

describe("Keys screen: a rotation waiting from before a restart", () => {
  it("is offered as Resume and commits without pasting the key again", async () => {
    const fake = vault();
    fake.keys[0]!.status = "rotating";
    const v = verificationFor("works", ["gpt-4o", "o3"]);
    fake.rotations = {
      k1: {
        secret: NEW,
        plan: {
          old: { ...fake.keys[0]! },
          newMaskedKey: maskOf(NEW),
          newFingerprint: "f".repeat(12),
          newKind: "plan",
          newVerification: v,
          oldVerification: null,
          oldModels: "unknown",
          gained: ["o3"],
          lost: [],
          connections: ["sandbox"],
          plannedAt: NOW,
        },
      },
    };
    await openKeys(fake);
    await waitFor(() => expect(text('tr[data-key-id="k1"] button.key-rotate')).toBe("Resume…"));
    await fireEvent.click($('tr[data-key-id="k1"] button.key-rotate')!);
    await waitFor(() => expect($("#rotate-plan")).not.toBeNull());
    expect($("#rotate-resumed")).not.toBeNull();
    expect($("#rotate-secret")).toBeNull();
    expect(text("#rotate-plan")).toContain(maskOf(NEW));
    await fireEvent.click($("#rotate-commit")!);
    await waitFor(() => expect($("#rotate-result")).not.toBeNull());
    expect(fake.callsTo("rotation_plan")).toHaveLength(0);
    expect(fake.callsTo("rotation_commit")[0]?.args).toEqual({ oldKeyId: "k1", keepOld: false });
    await waitFor(() => expect($('tr[data-key-id="k1"]')?.getAttribute("data-status")).toBe("retired"));
    expect(document.body.innerHTML).not.toContain(NEW);
  });
});
