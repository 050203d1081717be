// @vitest-environment jsdom
// The playground under a workload, through App (Alt+4) and the typed fake: the picker lists the
// family's workloads, a send goes through workload_send to the primary, a rehearsed Sandbox
// fault makes the fallback answer and the response says so above the answer with the attempts;
// "none" stays the plain send; a paid tier sends the consent given.
// jsdom, as PlaygroundScreen.test.ts: the answer is Markdown (DOMPurify needs jsdom).
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { installFakeBackend, sandboxReply } from "../../ipc/testing/fakeBackend";
import { choose, workload } from "../choice/choiceTesting";
import { $, $$, ask, openPlayground, text } from "./playgroundTesting";

function withWorkloads() {
  const fake = installFakeBackend();
  fake.modelChoice.workloads = [
    workload({ name: "chat" }),
    workload({ name: "paid", paidTier: true }),
    workload({ name: "extract", family: "openai_chat", primary: "gpt-5-mini", fallback: "gpt-5" }),
  ];
  return fake;
}

describe("Playground: workloads", () => {
  it("lists only the family's workloads, and a rehearsed 503 shows the fallback's answer with the note above it", async () => {
    const fake = await openPlayground(withWorkloads());
    await waitFor(() => expect($$("#pg-workload option").map((o) => o.textContent)).toHaveLength(3));
    expect($$("#pg-workload option").map((o) => (o as HTMLOptionElement).value)).toEqual(["", "chat", "paid"]);
    await choose("#pg-workload", "chat");
    expect(text("#pg-workload-policy")).toContain("claude-sonnet-4-6, falling back to claude-haiku-4-5 on transient 5xx");
    await choose("#pg-rehearse", "maintenance");
    await ask("Hello there");

    const call = fake.callsTo("workload_send")[0]?.args;
    expect(call?.workload).toBe("chat");
    expect(call?.request.model).toBe("claude-sonnet-4-6");
    expect(call?.options).toEqual({ consent: false, rehearseFault: "maintenance", connectionId: null });
    await waitFor(() => expect(text("#pg-fallback-note")).toBe("answered by claude-haiku-4-5 after claude-sonnet-4-6 failed: 503"));
    expect($("#pg-fallback-note")?.dataset.answered).toBe("true");
    expect($$("#pg-attempts li").map((li) => li.dataset.model)).toEqual(["claude-sonnet-4-6", "claude-haiku-4-5"]);
    expect(text("#pg-attempts li:first-child")).toContain("failed: 503 → Fall back to claude-haiku-4-5");
    await waitFor(() => expect(text("#pg-markdown")).toBe(sandboxReply("Hello there")));
    // The note sits above the answer.
    const note = $("#pg-workload-outcome")!;
    expect(note.compareDocumentPosition($("#pg-answer")!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(fake.modelChoice.fallbackLog).toHaveLength(1);
  });

  it("sends to the primary without a fallback when nothing fails, and 'none' is the plain send", async () => {
    const fake = await openPlayground(withWorkloads());
    await waitFor(() => expect($$("#pg-workload option")).toHaveLength(3));
    await choose("#pg-workload", "chat");
    await ask("Hello there");
    expect(fake.callsTo("workload_send")[0]?.args.options.rehearseFault).toBeNull();
    await waitFor(() => expect(text("#pg-fallback-note")).toContain("answered by claude-sonnet-4-6, no fallback"));
    expect($("#pg-attempts")).toBeNull();

    await choose("#pg-workload", "");
    expect($("#pg-workload-policy")).toBeNull();
    await ask("Hello again");
    expect(fake.callsTo("workload_send")).toHaveLength(1);
    // The fake's workload_send uses the playground handler directly: only the plain send is a call.
    expect(fake.callsTo("playground_send").map((c) => c.args.request.model)).toEqual(["claude-sonnet-4-6"]);
    expect($("#pg-workload-outcome")).toBeNull();
  });

  it("a paid-tier workload sends the consent ticked beforehand", async () => {
    const fake = await openPlayground(withWorkloads());
    await waitFor(() => expect($$("#pg-workload option")).toHaveLength(3));
    await choose("#pg-workload", "paid");
    expect(text("#pg-workload-policy")).toContain("Paid tier: asks before falling back.");
    await fireEvent.click($("#pg-consent")!);
    await ask("Hello there");
    expect(fake.callsTo("workload_send")[0]?.args.options.consent).toBe(true);
  });
});
