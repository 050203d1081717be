// The Tasks table as a user drives it, through App and the fake backend: 10,000 tasks paged
// and virtualised, filters that the core applies, chips with the raw status, the running
// count in the status bar, and a notification click landing on the task's page.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { fakeLayout, settle } from "../../components/VirtualList.testing";
import { fakeTask, installFakeBackend, taskRow } from "../../ipc/testing/fakeBackend";
import { PAGE } from "./tasks.svelte";
import { $, $$, drawnIds, manyTasks, openTasks, text, typeFilter } from "./tasksTesting";

const VIEWPORT = 340;
const ROW = 34;
beforeEach(() => fakeLayout({ viewport: VIEWPORT, row: ROW, tall: ROW }));

describe("Tasks table", () => {
  it("draws a handful of rows for 10,000 tasks, newest first, and fetches one page", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(10_000) }));
    expect(text("#tasks-count")).toContain("10000 tasks");
    const ids = drawnIds();
    expect(ids[0]).toBe("t9999");
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.length).toBeLessThan(40);
    expect($("#tasks-list")?.getAttribute("role")).toBe("listbox");
    expect($("#tasks-list .vlist-row")?.getAttribute("aria-setsize")).toBe("10000");
    // Only the first page was asked for: the other 9,800 rows stay in the core.
    const lists = fake.callsTo("tasks_list").map((c) => c.args.filter);
    expect(lists.every((f) => f.limit === PAGE)).toBe(true);
    expect(new Set(lists.map((f) => f.offset))).toEqual(new Set([0]));
  });

  it("asks for the page of the rows scrolled to, and only that one", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(10_000) }));
    const list = $("#tasks-list")!;
    list.focus();
    await fireEvent.focus(list);
    await fireEvent.keyDown(list, { key: "End" });
    await settle();
    await waitFor(() => expect(drawnIds()).toContain("t0"));
    const offsets = new Set(fake.callsTo("tasks_list").map((c) => c.args.filter.offset));
    // The last page (offset 9800) for the bottom rows; nothing in between was fetched.
    expect(offsets).toEqual(new Set([0, 9_800]));
  });

  it("shows each column: family, route, model, prompt, state, progress, age and cost", async () => {
    const row = taskRow({ id: "v1", route: "openai.videos", model: "kling-3.0", label: "Beach at dusk", state: "running", rawStatus: "in_progress", progress: 42, cost: { amount: 12, unit: "credits", basis: "reported by the gateway" } });
    await openTasks(installFakeBackend({ tasks: [fakeTask(taskRow({ id: "s1" })), fakeTask(row)] }));
    const cells = [...$('.task-row[data-task-id="v1"]')!.children].map((c) => c.textContent?.replace(/\s+/g, " ").trim());
    expect(cells.slice(0, 5)).toEqual(["openai", "openai.videos", "kling-3.0", "Beach at dusk", expect.stringContaining("Running")]);
    expect(cells[5]).toBe("42%");
    expect(cells[6]).toMatch(/^(\d+ (s|min|h|d)|now)$/);
    expect(cells[7]).toBe("12 credits");
    expect($('.task-row[data-task-id="v1"] .cost')?.getAttribute("title")).toBe("reported by the gateway");
    // Unknown cost and no progress: "no price", and nothing made up.
    const other = [...$('.task-row[data-task-id="s1"]')!.children].map((c) => c.textContent?.trim());
    expect(other[5]).toBe("");
    expect(other[7]).toBe("no price");
    expect($('.task-row[data-task-id="s1"] .cost')?.getAttribute("title")).toContain("No price for this model in the price table");
  });

  it("puts the family's raw status on the state chip's hover", async () => {
    await openTasks(installFakeBackend({ tasks: [fakeTask(taskRow({ id: "a", state: "partial", rawStatus: "FIRST_SUCCESS" })), fakeTask(taskRow({ id: "b", state: "submitting", rawStatus: null }))] }));
    const chip = $('.task-row[data-task-id="a"] .chip')!;
    expect(chip.getAttribute("title")).toBe("Gateway status: FIRST_SUCCESS");
    expect(chip.dataset.state).toBe("partial");
    expect(chip.textContent).toContain("Partial");
    expect($('.task-row[data-task-id="b"] .chip')?.getAttribute("title")).toBe("Not answered by the gateway yet");
  });

  it("filters by state, family and text in the core, and says when nothing matches", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(50) }));
    await fireEvent.change($("#tasks-filter-state")!, { target: { value: "failed" } });
    await waitFor(() => expect(text("#tasks-count")).toContain("10 tasks"));
    await settle();
    expect(drawnIds().every((id) => Number(id?.slice(1)) % 5 === 2)).toBe(true);
    expect(fake.callsTo("tasks_list").at(-1)?.args.filter.states).toEqual(["failed"]);

    await fireEvent.change($("#tasks-filter-state")!, { target: { value: "active" } });
    await waitFor(() => expect(fake.callsTo("tasks_list").at(-1)?.args.filter.states).toEqual(["submitting", "queued", "running", "partial"]));
    await waitFor(() => expect(text("#tasks-count")).toContain("20 tasks"));

    await fireEvent.change($("#tasks-filter-state")!, { target: { value: "all" } });
    await fireEvent.change($("#tasks-filter-family")!, { target: { value: "kling" } });
    await waitFor(() => expect(text("#tasks-count")).toContain("10 tasks"));
    expect(fake.callsTo("tasks_list").at(-1)?.args.filter).toMatchObject({ states: [], family: "kling" });

    await typeFilter("number 12");
    await waitFor(() => expect(text("#tasks-count")).toContain("1 task"));
    await settle();
    expect(drawnIds()).toEqual(["t12"]);
    await typeFilter("nothing like it");
    await waitFor(() => expect(text("#tasks-count")).toContain("0 tasks"));
    expect(text("#tasks-table")).toContain("No task matches these filters.");
  });

  it("waits for a pause in typing before asking the core", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(20) }));
    const before = fake.callsTo("tasks_list").length;
    await typeFilter("P");
    await typeFilter("Pr");
    await typeFilter("Pro");
    await waitFor(() => expect(fake.callsTo("tasks_list").at(-1)?.args.filter.text).toBe("Pro"));
    expect(fake.callsTo("tasks_list").length - before).toBe(1);
  });

  it("opens a task's page with Enter and goes back to the same filters", async () => {
    await openTasks(installFakeBackend({ tasks: manyTasks(30) }));
    await fireEvent.change($("#tasks-filter-family")!, { target: { value: "suno" } });
    await waitFor(() => expect(text("#tasks-count")).toContain("12 tasks"));
    await settle();
    const list = $("#tasks-list")!;
    list.focus();
    await fireEvent.focus(list);
    await fireEvent.keyDown(list, { key: "ArrowDown" });
    const focused = $("#tasks-list .vlist-row.focused .task-row")?.dataset.taskId;
    expect(focused).toBe(drawnIds()[1]);
    await fireEvent.keyDown(list, { key: "Enter" });
    await waitFor(() => expect($("#task-page")).not.toBeNull());
    expect($("#task-page")?.dataset.taskId).toBe(focused);
    await fireEvent.click($("#task-back")!);
    await waitFor(() => expect($("#tasks-table")).not.toBeNull());
    expect($<HTMLSelectElement>("#tasks-filter-family")?.value).toBe("suno");
  });
});

describe("Tasks and the task center's transitions", () => {
  it("shows the running count in the status bar and follows transitions", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(10) }));
    // Of 10 cycling states: running ×2, queued ×2.
    await waitFor(() => expect(text("#status-running")).toBe("4 tasks running"));
    fake.taskCenter.transition("t1", "succeeded", { rawStatus: "completed" });
    await waitFor(() => expect(text("#status-running")).toBe("3 tasks running"));
    await waitFor(() => expect($('.task-row[data-task-id="t1"] .chip')?.dataset.state).toBe("succeeded"));
    expect($('.task-row[data-task-id="t1"] .chip')?.getAttribute("title")).toBe("Gateway status: completed");
  });

  it("refreshes once for a burst of transitions", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(40) }));
    const before = fake.callsTo("tasks_running").length;
    for (const t of fake.taskCenter.tasks.filter((x) => x.row.state === "running")) fake.taskCenter.transition(t.row.id, "succeeded");
    await waitFor(() => expect(fake.callsTo("tasks_running").length).toBe(before + 1));
    await settle();
    expect(text("#status-running")).toBe("8 tasks running");
  });

  it("lands on the task's page when its notification is clicked, from any screen", async () => {
    const fake = await openTasks(installFakeBackend({ tasks: manyTasks(5) }));
    await fireEvent.keyDown(window, { key: "3", code: "Digit3", altKey: true });
    await waitFor(() => expect($("#models-search")).not.toBeNull());
    fake.taskCenter.click("t2");
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("t2"));
    expect($("#nav-tasks")?.getAttribute("aria-current")).toBe("page");
    await waitFor(() => expect(text("#task-title")).toBe("Prompt number 2"));
  });

  it("opens a task whose notification was clicked before the window listened", async () => {
    const fake = installFakeBackend({ tasks: manyTasks(3) });
    fake.taskCenter.click("t1");
    render(App);
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("t1"));
    expect($("#nav-tasks")?.getAttribute("aria-current")).toBe("page");
  });

  it("the status bar's count opens the table", async () => {
    await openTasks(installFakeBackend({ tasks: manyTasks(3) }));
    await fireEvent.keyDown(window, { key: "1", code: "Digit1", altKey: true });
    await fireEvent.click($("#status-running")!);
    await waitFor(() => expect($("#tasks-table")).not.toBeNull());
    expect($$("#tasks-list .task-row").length).toBe(3);
  });
});
