// "Callbacks received" on a task's page, through App and the fake backend: each recorded payload
// with its time, envelope and stage, a repeat marked as not acted on, the raw body folded, the
// inbox switch, and the state still the poll's (a callback claiming success changes nothing).
import { fireEvent, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it } from "vitest";
import { fakeLayout } from "../../components/VirtualList.testing";
import { fakeTask, INBOX_URL, installFakeBackend, taskRow, type FakeBackend } from "../../ipc/testing/fakeBackend";
import { $, $$, openTasks, text } from "./tasksTesting";

beforeEach(() => fakeLayout({ viewport: 340, row: 34, tall: 34 }));

async function openSong(seed: (fake: FakeBackend) => void = () => undefined) {
  const fake = installFakeBackend({
    tasks: [fakeTask(taskRow({ id: "song", label: "Night drive", state: "running", rawStatus: "TEXT_SUCCESS" }))],
  });
  seed(fake);
  await openTasks(fake);
  fake.taskCenter.click("song");
  await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("song"));
  await waitFor(() => expect($("#task-callbacks")).not.toBeNull());
  return fake;
}

describe("Callbacks received", () => {
  it("lists each payload with its envelope and stage, a repeat marked, the raw body folded", async () => {
    await openSong((fake) => {
      fake.callbackInbox.receive("song", "text", { callbackType: "text", task_id: "gw-song" });
      fake.callbackInbox.receive("song", "complete", { code: 200, data: { callbackType: "complete", task_id: "gw-song" } }, "wrapped");
      fake.callbackInbox.receive("song", "complete", { code: 200, data: { callbackType: "complete", task_id: "gw-song" } }, "wrapped");
      // Someone else's task: not on this page.
      fake.callbackInbox.receive(null, "complete", { task_id: "elsewhere" });
    });
    await waitFor(() => expect($$("#task-callback-list li[data-n]")).toHaveLength(3));
    const items = $$("#task-callback-list li[data-n]");
    expect(items[0]?.textContent).toContain("Suno (bare)");
    expect(items[0]?.textContent).toContain("text");
    expect(items[1]?.textContent).toContain("Suno ({code, msg, data})");
    expect(items.map((li) => li.dataset.duplicate)).toEqual(["false", "false", "true"]);
    expect(items[2]?.textContent).toContain("duplicate of #2");
    // Folded: the body is inside a closed <details>, and is the JSON as received.
    const details = items[1]?.querySelector("details");
    expect(details?.open).toBe(false);
    expect(JSON.parse(details?.querySelector("pre")?.textContent ?? "")).toEqual({ code: 200, data: { callbackType: "complete", task_id: "gw-song" } });
    expect(text("#task-callbacks-title")).toContain("Callbacks received (3)");
    // A "complete" callback arrived, and the page still says what the poll said.
    expect($("#task-page")?.dataset.state).toBe("running");
    expect(text("#callback-inbox-url")).toBe(INBOX_URL);
  });

  it("says when none arrived and switches the inbox off and on", async () => {
    const fake = await openSong();
    await waitFor(() => expect($("#callback-inbox-toggle")).not.toBeNull());
    expect(text("#task-callback-list")).toContain("None received.");
    await fireEvent.click($("#callback-inbox-toggle")!);
    await waitFor(() => expect(text("#task-callbacks")).toContain("Local inbox off."));
    expect(fake.callsTo("callback_inbox_set").map((c) => c.args.enabled)).toEqual([false]);
    expect($("#callback-inbox-url")).toBeNull();
    await fireEvent.click($("#callback-inbox-toggle")!);
    await waitFor(() => expect(text("#callback-inbox-url")).toBe(INBOX_URL));
    expect(fake.callsTo("callback_inbox_set").map((c) => c.args.enabled)).toEqual([false, true]);
  });

  it("shows a payload that came in after the page opened on Refresh", async () => {
    const fake = await openSong();
    await waitFor(() => expect(text("#task-callback-list")).toContain("None received."));
    fake.callbackInbox.receive("song", "first", { callbackType: "first", task_id: "gw-song" });
    await fireEvent.click($("#task-callbacks-refresh")!);
    await waitFor(() => expect($$("#task-callback-list li[data-n]")).toHaveLength(1));
    expect(text("#task-callback-list")).toContain("first");
  });
});
