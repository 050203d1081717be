// Test helpers for the Playground screen tests (imported by *.test.ts only): open the screen
// through App as a user does (Alt+4), type a prompt, send and wait for the answer to settle.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { expect } from "vitest";
import App from "../../App.svelte";
import { installFakeBackend, type FakeBackend } from "../../ipc/testing/fakeBackend";
import type { Obj } from "./editors/json";

export const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
export const $$ = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];
export const text = (sel: string) => $(sel)?.textContent?.replace(/\s+/g, " ").trim() ?? "";

/** Renders App and presses Alt+4. */
export async function openPlayground(fake: FakeBackend = installFakeBackend()): Promise<FakeBackend> {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.keyDown(window, { key: "4", code: "Digit4", altKey: true });
  await waitFor(() => expect($("#playground-screen")).not.toBeNull());
  return fake;
}

export async function type(sel: string, value: string): Promise<void> {
  const el = $(sel);
  if (!el) throw new Error(`no element ${sel}`);
  await fireEvent.input(el, { target: { value } });
}

export const status = () => $("#pg-answer")?.getAttribute("data-status");

/** Clicks Send and waits for the run to end (any status). */
export async function send(): Promise<void> {
  await fireEvent.click($("#pg-send")!);
  await waitFor(() => expect(["complete", "partial", "failed"]).toContain(status()));
  await waitFor(() => expect($("#pg-send")).not.toBeNull());
}

/** Types `prompt` into the first Anthropic message and sends it. */
export async function ask(prompt: string): Promise<void> {
  await type("#an-msg-0-text-0", prompt);
  await send();
}

/** Replaces the body in the Raw JSON tab of editor `prefix` with `edit(body)`. */
export async function editRaw(prefix: string, edit: (body: Obj) => Obj): Promise<void> {
  await fireEvent.click($(`#${prefix}-tab-raw`)!);
  const now = JSON.parse($<HTMLTextAreaElement>(`#${prefix}-raw`)!.value) as Obj;
  await type(`#${prefix}-raw`, JSON.stringify(edit(now), null, 2));
}

/** The body of the `n`th playground_send (0 = first). */
export function sentBody(fake: FakeBackend, n: number): Obj {
  const call = fake.callsTo("playground_send")[n];
  if (!call) throw new Error(`no playground_send #${n}`);
  return call.args.request.body as Obj;
}

export const conversationIds = () => $$("#pg-conversations [data-conversation-id]").map((b) => b.dataset.conversationId);
