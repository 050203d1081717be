// Test helpers for the Choice screen tests (imported by *.test.ts only): open it through App as
// a user does (Alt+8), pick a tab, and seed the fake's model choice.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { expect } from "vitest";
import App from "../../App.svelte";
import type { UsageTotal, Workload } from "../../ipc";
import { installFakeBackend, type FakeBackend } from "../../ipc/testing/fakeBackend";
import { defaultPolicy } from "./presets";

export const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
export const $$ = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];
export const text = (sel: string) => $(sel)?.textContent?.replace(/\s+/g, " ").trim() ?? "";

export async function openChoice(fake: FakeBackend = installFakeBackend(), tab = "workloads"): Promise<FakeBackend> {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.keyDown(window, { key: "8", code: "Digit8", altKey: true });
  await waitFor(() => expect($("#choice-screen")).not.toBeNull());
  if (tab !== "workloads") await fireEvent.click($(`#choice-tab-${tab}`)!);
  await waitFor(() => expect($(`#choice-panel-${tab}`)).not.toBeNull());
  return fake;
}

export async function type(sel: string, value: string): Promise<void> {
  const el = $(sel);
  if (!el) throw new Error(`no element ${sel}`);
  await fireEvent.input(el, { target: { value } });
}

/** Picks an option the way a user does: it becomes the selected one, then `change` fires. */
export async function choose(sel: string, value: string): Promise<void> {
  const select = $<HTMLSelectElement>(sel);
  const option = [...(select?.options ?? [])].find((o) => o.value === value);
  if (!select || !option) throw new Error(`no option ${value} in ${sel}`);
  option.selected = true;
  await fireEvent.change(select);
}

export function workload(over: Partial<Workload> = {}): Workload {
  return { name: "chat", family: "anthropic", primary: "claude-sonnet-4-6", fallback: "claude-haiku-4-5", goal: "quality", paidTier: false, policy: defaultPolicy(), notes: null, ...over };
}

export function total(group: string, requests: number, over: Partial<UsageTotal> = {}): UsageTotal {
  return {
    group,
    requests,
    failed: 0,
    tokens: { input: requests * 100, output: requests * 50, cached: 0, reasoning: 0 },
    latencyMsMean: 420,
    cost: null,
    currency: null,
    unpricedModels: [],
    tasks: 0,
    taskUnits: { images: 0, videoSeconds: 0, songs: 0 },
    ...over,
  };
}
