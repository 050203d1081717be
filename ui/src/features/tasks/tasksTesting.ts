// Test helpers for the Tasks screen tests (imported by *.test.ts only): seed the fake's task
// center, open the screen through App as a user does (Alt+5), and read the table.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { expect } from "vitest";
import App from "../../App.svelte";
import { settle } from "../../components/VirtualList.testing";
import type { TaskRow } from "../../ipc";
import { fakeTask, installFakeBackend, taskRow, type FakeBackend, type FakeTask } from "../../ipc/testing/fakeBackend";

export const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
export const $$ = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];
export const text = (sel: string) => $(sel)?.textContent?.replace(/\s+/g, " ").trim() ?? "";

/** `n` tasks, oldest first, cycling through families and states; `i` is in every label. */
export function manyTasks(n: number): FakeTask[] {
  const routes = ["suno.generate", "openai.videos", "kling.text2video", "dashscope.image", "suno.extend"];
  const states: TaskRow["state"][] = ["succeeded", "running", "failed", "queued", "expired"];
  return Array.from({ length: n }, (_, i) =>
    fakeTask(
      taskRow({
        id: `t${i}`,
        route: routes[i % routes.length],
        label: `Prompt number ${i}`,
        state: states[i % states.length],
        rawStatus: ["SUCCESS", "in_progress", "failed", "PENDING", "SUCCEEDED"][i % 5] ?? null,
        createdAt: new Date(Date.parse("2025-03-01T10:00:00Z") + i * 1000).toISOString(),
      }),
    ),
  );
}

/** Renders App, presses Alt+5 and waits for the first page of the table. */
export async function openTasks(fake: FakeBackend = installFakeBackend()): Promise<FakeBackend> {
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  await fireEvent.keyDown(window, { key: "5", code: "Digit5", altKey: true });
  await waitFor(() => expect($("#tasks-table")).not.toBeNull());
  await waitFor(() => expect(text("#tasks-count")).toMatch(/task/));
  await settle();
  return fake;
}

/** The task ids of the rows drawn now, top to bottom. */
export const drawnIds = () => $$("#tasks-list .task-row[data-task-id]").map((r) => r.dataset.taskId);

export async function typeFilter(value: string): Promise<void> {
  await fireEvent.input($("#tasks-filter-text")!, { target: { value } });
}
