// A task's page through App and the fake backend: request, poll answers, artifacts with their
// players on asset URLs, an expired artifact as a clear state with re-run, re-run (one task per
// click, even a double click), cancel where allowed, open folder, and the music lineage.
import { fireEvent, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeLayout } from "../../components/VirtualList.testing";
import { ARTIFACTS_DIR, fakeTask, installFakeBackend, LOCAL_CANCEL, savedArtifact, taskRow, type FakeTask } from "../../ipc/testing/fakeBackend";
import { $, $$, openTasks, text } from "./tasksTesting";

beforeEach(() => fakeLayout({ viewport: 340, row: 34, tall: 34 }));

const song = (extra: Partial<FakeTask> = {}) =>
  fakeTask(taskRow({ id: "song", route: "suno.generate", label: "Night drive", state: "succeeded", rawStatus: "SUCCESS", artifactCount: 3 }), {
    request: { prompt: "a synthwave night drive", model: "V4_5", customMode: false },
    polls: [
      { seq: 0, at: "2025-03-01T10:00:02Z", httpStatus: null, rawStatus: "PENDING", state: "queued", body: { code: 200, data: { status: "PENDING" } }, error: null },
      { seq: 1, at: "2025-03-01T10:00:09Z", httpStatus: 503, rawStatus: null, state: null, body: "upstream busy", error: "HTTP 503" },
      { seq: 2, at: "2025-03-01T10:00:20Z", httpStatus: null, rawStatus: "SUCCESS", state: "succeeded", body: { code: 200, data: { status: "SUCCESS" } }, error: null },
    ],
    artifacts: [savedArtifact(0, "audio", "night-drive-1.mp3"), savedArtifact(1, "image", "night-drive-cover.jpeg"), savedArtifact(2, "video", "night-drive.mp4")],
    ...extra,
  });

async function openPage(tasks: FakeTask[], id: string) {
  const fake = await openTasks(installFakeBackend({ tasks }));
  fake.taskCenter.click(id);
  await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe(id));
  await waitFor(() => expect($("#task-title")).not.toBeNull());
  return fake;
}

describe("Task page", () => {
  it("shows the request as sent and every poll answer kept", async () => {
    await openPage([song()], "song");
    expect(JSON.parse(text("#task-request"))).toEqual({ prompt: "a synthwave night drive", model: "V4_5", customMode: false });
    const polls = $$("#task-polls li[data-seq]");
    expect(polls.map((p) => p.dataset.seq)).toEqual(["0", "1", "2"]);
    expect(polls[1]?.textContent).toContain("HTTP 503");
    expect(polls[2]?.textContent).toContain("SUCCESS");
  });

  it("plays each saved artifact from its asset URL in the right player", async () => {
    await openPage([song()], "song");
    const url = (name: string) => `asset://localhost/${encodeURIComponent(`${ARTIFACTS_DIR}/${name}`)}`;
    expect($<HTMLAudioElement>("#task-artifacts audio")?.getAttribute("src")).toBe(url("night-drive-1.mp3"));
    expect($<HTMLImageElement>("#task-artifacts img")?.getAttribute("src")).toBe(url("night-drive-cover.jpeg"));
    expect($<HTMLImageElement>("#task-artifacts img")?.getAttribute("alt")).toBe("night-drive-cover.jpeg");
    expect($<HTMLVideoElement>("#task-artifacts video")?.getAttribute("src")).toBe(url("night-drive.mp4"));
    expect($("#task-artifacts audio")?.hasAttribute("controls")).toBe(true);
    // The image viewer: fitted first, actual size on a click.
    const viewer = $<HTMLButtonElement>("#task-artifacts .viewer")!;
    expect(viewer.getAttribute("aria-pressed")).toBe("false");
    await fireEvent.click(viewer);
    expect(viewer.getAttribute("aria-pressed")).toBe("true");
  });

  it("hands a player that cannot read the asset URL the same file as a blob (WebKitGTK)", async () => {
    await openPage([song()], "song");
    const assetUrl = `asset://localhost/${encodeURIComponent(`${ARTIFACTS_DIR}/night-drive-1.mp3`)}`;
    const fetched: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      fetched.push(url);
      return new Response(new Uint8Array([82, 73, 70, 70]), { headers: { "content-type": "audio/wav" } });
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return `blob:fake-${blobs.length}`;
    });
    const revoke = vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const refuse = async (el: Element) => {
      Object.defineProperty(el, "error", { value: { code: 4, message: "" }, configurable: true });
      await fireEvent.error(el);
    };

    await refuse($("#task-artifacts audio")!);
    await waitFor(() => expect($("#task-artifacts audio")?.getAttribute("src")).toBe("blob:fake-1"));
    expect(fetched).toEqual([assetUrl]);
    expect(blobs[0]?.type).toBe("audio/wav");

    // The blob refused too: the format is the problem; say so, once, and keep the file's name.
    await refuse($("#task-artifacts audio")!);
    await waitFor(() => expect($('#task-artifacts [data-kind="audio"] .player-error')).not.toBeNull());
    expect(text('#task-artifacts [data-kind="audio"] .player-error')).toContain("not supported here");
    expect(fetched).toHaveLength(1);
    expect(text('#task-artifacts [data-kind="audio"] figcaption')).toContain("night-drive-1.mp3");

    await fireEvent.click($("#task-back")!);
    await waitFor(() => expect(revoke).toHaveBeenCalledWith("blob:fake-1"));
    vi.unstubAllGlobals();
  });

  it("shows an expired artifact as a clear state with re-run, and re-runs from it", async () => {
    const expired = song({
      artifacts: [{ ...savedArtifact(0, "video", "beach.mp4"), state: "expired", path: null, error: "HTTP 403 from the CDN" }],
    });
    expired.row = { ...expired.row, state: "expired", route: "dashscope.video", family: "dashscope", error: "the file's URL no longer answers" };
    const fake = await openPage([expired], "song");
    const card = $('#task-artifacts [data-artifact-state="expired"]')!;
    expect(card.textContent).toContain("Expired.");
    expect(card.textContent).toContain("HTTP 403 from the CDN");
    expect(card.querySelector("video")).toBeNull();
    expect(text("#task-expired")).toContain("re-run it");
    await fireEvent.click(card.querySelector<HTMLButtonElement>(".artifact-rerun")!);
    await waitFor(() => expect(fake.callsTo("task_rerun")).toHaveLength(1));
    const created = fake.taskCenter.tasks.at(-1)!;
    expect(created.row.rerunOf).toBe("song");
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe(created.row.id));
  });

  it("a double click on re-run creates one task", async () => {
    const fake = await openPage([song()], "song");
    const button = $<HTMLButtonElement>("#task-rerun")!;
    button.click();
    button.click();
    await waitFor(() => expect($("#task-page")?.dataset.taskId).not.toBe("song"));
    expect(fake.taskCenter.tasks).toHaveLength(2);
    expect(fake.callsTo("task_rerun")).toHaveLength(1);
    expect(fake.taskCenter.tasks[1]?.request).toEqual(fake.taskCenter.tasks[0]?.request);
  });

  it("each re-run click is a new submission id: re-running twice on purpose makes two tasks", async () => {
    const fake = await openPage([song()], "song");
    await fireEvent.click($("#task-rerun")!);
    await waitFor(() => expect(fake.taskCenter.tasks).toHaveLength(2));
    fake.taskCenter.click("song");
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("song"));
    await waitFor(() => expect($<HTMLButtonElement>("#task-rerun")?.disabled).toBe(false));
    await fireEvent.click($("#task-rerun")!);
    await waitFor(() => expect(fake.taskCenter.tasks).toHaveLength(3));
    const ids = fake.callsTo("task_rerun").map((c) => c.args.submissionId);
    expect(new Set(ids).size).toBe(2);
  });

  it("offers cancel only while the task runs, says it only stops tracking, and then hides it", async () => {
    const running = fakeTask(taskRow({ id: "r", route: "kling.text2video", label: "Waves", state: "running", rawStatus: "processing" }));
    const fake = await openPage([song(), running], "r");
    expect(text("#task-cancel")).toBe("Stop tracking…");
    expect($("#task-cancel")?.getAttribute("title")).toContain("the gateway may still finish it");
    // It asks first, and saying no changes nothing.
    await fireEvent.click($("#task-cancel")!);
    expect(text("#task-cancel-question")).toContain("no cancel route");
    expect(text("#task-cancel-question")).toContain("may still finish it and charge for it");
    await fireEvent.click($("#task-cancel-no")!);
    expect($("#task-cancel-confirm")).toBeNull();
    expect(fake.callsTo("task_cancel")).toHaveLength(0);
    await fireEvent.click($("#task-cancel")!);
    await fireEvent.click($("#task-cancel-yes")!);
    await waitFor(() => expect($("#task-page")?.dataset.state).toBe("cancelled"));
    expect(fake.taskCenter.tasks[1]?.row.error).toBe(LOCAL_CANCEL);
    expect($("#task-cancel")).toBeNull();
    expect(text("#task-page [role=status]")).toContain("may still finish");

    fake.taskCenter.click("song");
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("song"));
    await waitFor(() => expect($("#task-title")).not.toBeNull());
    expect($("#task-cancel")).toBeNull();
  });

  it("opens the task's folder once something is saved", async () => {
    const waiting = fakeTask(taskRow({ id: "w", state: "running" }), { artifacts: [{ ...savedArtifact(0, "audio", "x.mp3"), state: "downloading", path: null }] });
    const fake = await openPage([song(), waiting], "w");
    expect($<HTMLButtonElement>("#task-open-folder")?.disabled).toBe(true);
    expect(text('#task-artifacts [data-artifact-state="downloading"]')).toContain("Downloading…");
    fake.taskCenter.click("song");
    await waitFor(() => expect($<HTMLButtonElement>("#task-open-folder")?.disabled).toBe(false));
    await fireEvent.click($("#task-open-folder")!);
    await waitFor(() => expect(fake.taskCenter.openedFolders).toEqual(["song"]));
  });

  it("fetches a file that failed to save again on request", async () => {
    const broken = song({ artifacts: [{ ...savedArtifact(0, "audio", "night-drive-1.mp3"), state: "failed", path: null, error: "connection reset" }] });
    const fake = await openPage([broken], "song");
    const card = $('#task-artifacts [data-artifact-state="failed"]')!;
    expect(card.textContent).toContain("connection reset");
    await fireEvent.click(card.querySelector<HTMLButtonElement>(".artifact-redownload")!);
    await waitFor(() => expect($("#task-artifacts audio")).not.toBeNull());
    expect(fake.callsTo("task_redownload").map((c) => c.args.taskId)).toEqual(["song"]);
  });

  it("reloads when its task changes", async () => {
    const running = fakeTask(taskRow({ id: "r", state: "running", rawStatus: "PENDING" }));
    const fake = await openPage([running], "r");
    fake.taskCenter.tasks[0]!.artifacts = [savedArtifact(0, "audio", "done.mp3")];
    fake.taskCenter.transition("r", "succeeded", { rawStatus: "SUCCESS" });
    await waitFor(() => expect($("#task-page")?.dataset.state).toBe("succeeded"));
    await waitFor(() => expect($("#task-artifacts audio")).not.toBeNull());
  });

  it("shows the song's lineage and opens a derived task from it", async () => {
    const root = song();
    const extend = fakeTask(taskRow({ id: "ext", route: "suno.extend", label: "Night drive, longer", state: "succeeded", parentTaskId: "song" }));
    const wav = fakeTask(taskRow({ id: "wav", route: "suno.wav", label: "Night drive WAV", state: "running", parentTaskId: "ext" }));
    const stems = fakeTask(taskRow({ id: "stems", route: "suno.split_stem", label: "Night drive stems", state: "failed", parentTaskId: "song" }));
    await openPage([root, extend, wav, stems], "wav");
    const items = $$("#lineage-tree [role=treeitem]");
    expect(items.map((i) => i.dataset.lineageId)).toEqual(["song", "ext", "wav", "stems"]);
    expect(items.map((i) => i.getAttribute("aria-level"))).toEqual(["1", "2", "3", "2"]);
    expect($('#lineage-tree [data-lineage-id="wav"]')?.getAttribute("aria-current")).toBe("page");
    await fireEvent.click($('#lineage-tree [data-lineage-id="stems"] button.open')!);
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("stems"));
  });

  it("has no lineage section for a song with nothing derived, nor for other families", async () => {
    const video = fakeTask(taskRow({ id: "v", route: "openai.videos", state: "succeeded" }));
    const fake = await openPage([song(), video], "song");
    expect($("#lineage-tree")).toBeNull();
    fake.taskCenter.click("v");
    await waitFor(() => expect($("#task-page")?.dataset.taskId).toBe("v"));
    expect($("#lineage-tree")).toBeNull();
    expect(fake.callsTo("task_lineage").map((c) => c.args.taskId)).toEqual(["song"]);
  });

  it("lists the local files its request names: field, name, size, checksum and where it was uploaded", async () => {
    const file = { name: "take one.wav", mime: "audio/wav", size: 140_044, sha256: "0123456789abcdef".repeat(4), seconds: 70 };
    const cover = fakeTask(taskRow({ id: "cover", route: "suno.upload_cover", label: "Cover", state: "running" }), {
      request: { uploadUrl: { $file: file, hostedUrl: "https://files.example/u/1" }, model: "V5" },
    });
    await openPage([cover], "cover");
    const item = text("#task-inputs li");
    expect(item).toContain("/uploadUrl: take one.wav · 137 KB");
    expect(item).toContain("sha256 0123456789ab…");
    expect(item).toContain("uploaded to https://files.example/u/1");
  });
});
