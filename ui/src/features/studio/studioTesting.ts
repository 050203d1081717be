// Test helpers for the studio tests (imported by *.test.ts only): the fake backend answering
// `task_routes` with the core's real catalogue (task-routes.json, written by a Rust test), and
// App opened on a studio as a user does (Alt+6 Media, Alt+7 Music).
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { expect } from "vitest";
import App from "../../App.svelte";
import type { RouteSpec } from "../../ipc";
import { installFakeBackend, type FakeBackend, type FakeTask } from "../../ipc/testing/fakeBackend";
import catalogue from "../../ipc/testing/task-routes.json";

export const ROUTES = catalogue as unknown as RouteSpec[];

export function route(id: string): RouteSpec {
  const spec = ROUTES.find((r) => r.id === id);
  if (!spec) throw new Error(`no route ${id} in task-routes.json`);
  return spec;
}

export const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
export const text = (sel: string) => $(sel)?.textContent?.replace(/\s+/g, " ").trim() ?? "";

export function studioBackend(tasks: FakeTask[] = []): FakeBackend {
  const fake = installFakeBackend({ tasks });
  fake.taskCenter.routes = ROUTES;
  return fake;
}

export async function openStudio(which: "media" | "music", fake: FakeBackend = studioBackend()): Promise<FakeBackend> {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  const digit = which === "media" ? "6" : "7";
  await fireEvent.keyDown(window, { key: digit, code: `Digit${digit}`, altKey: true });
  await waitFor(() => expect($("#studio-form")).not.toBeNull());
  return fake;
}

export async function pickRoute(id: string): Promise<void> {
  await fireEvent.change($<HTMLSelectElement>("#studio-route")!, { target: { value: id } });
  await waitFor(() => expect($("#studio-form")?.dataset.route).toBe(id));
}

export async function type(sel: string, value: string): Promise<void> {
  const el = $<HTMLInputElement>(sel);
  if (!el) throw new Error(`no ${sel}`);
  await fireEvent.input(el, { target: { value } });
}

export async function choose(sel: string, value: string): Promise<void> {
  const el = $<HTMLSelectElement>(sel);
  if (!el) throw new Error(`no ${sel}`);
  await fireEvent.change(el, { target: { value } });
}
