// The studios as a user drives them, through App and the fake backend answering task_routes
// with the core's real catalogue: forms built from the route's fields, limits per model
// version with the live counter, required fields, one task per click (a double click too),
// a retry after a transport error reusing its submission id, the core's refusal shown on the
// fields, and the Music studio's source song picker filling the ids and the lineage edge.
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../ipc";
import { fakeTask, savedArtifact, taskRow } from "../../ipc/testing/fakeBackend";
import { $, choose, openStudio, pickRoute, route, studioBackend, text, type } from "./studioTesting";

const CB = "https://hooks.example.com/suno";

async function fillSimpleSong(prompt = "a synthwave song about a night drive") {
  await choose("#sf-model", "V5");
  await type("#sf-prompt", prompt);
  await type("#sf-callBackUrl", CB);
}

describe("Music studio", () => {
  it("builds the form from the route's fields, with the documented limit counted as you type", async () => {
    await openStudio("music");
    expect($("#studio-form")?.dataset.route).toBe("suno.generate");
    // Every visible field of the spec is there, no more.
    const shown = [...document.querySelectorAll<HTMLElement>("#studio-form .field")].map((f) => f.dataset.path);
    expect(shown).toEqual(route("suno.generate").fields.filter((f) => !f.hidden).map((f) => f.path));
    expect($("#sf-customMode")?.getAttribute("type")).toBe("checkbox");
    expect($("#sf-model")?.tagName).toBe("SELECT");
    expect(text("#sf-prompt-count")).toBe("0 / 500");

    await type("#sf-prompt", "x".repeat(312));
    expect(text("#sf-prompt-count")).toBe("312 / 500");
    expect($("#sf-prompt-problem")).toBeNull();
    await type("#sf-prompt", "x".repeat(501));
    expect($("#sf-prompt-count")?.classList.contains("over")).toBe(true);
    expect(text("#sf-prompt-problem")).toBe("Prompt or lyrics is 501 characters; at most 500 here");

    // Custom mode takes lyrics up to 5000 (V5) or 3000 (V4); the style 1000 or 200.
    await fireEvent.click($("#sf-customMode")!);
    expect(text("#sf-prompt-count")).toBe("501 / 5000");
    expect($("#sf-prompt-problem")).toBeNull();
    await choose("#sf-model", "V4");
    expect(text("#sf-prompt-count")).toBe("501 / 3000");
    expect(text("#sf-style-count")).toBe("0 / 200");
    await type("#sf-style", "s".repeat(201));
    expect(text("#sf-style-problem")).toContain("at most 200");
    await choose("#sf-model", "V4_5");
    expect(text("#sf-style-count")).toBe("201 / 1000");
    expect($("#sf-style-problem")).toBeNull();
  });

  it("sends nothing while a required field is missing, and says which", async () => {
    const fake = await openStudio("music");
    expect($("#sf-callBackUrl-problem")).toBeNull();
    await fireEvent.click($("#studio-submit")!);
    expect(text("#sf-prompt-problem")).toBe("Prompt or lyrics is required");
    expect(text("#sf-model-problem")).toBe("Model is required");
    expect(text("#sf-callBackUrl-problem")).toBe("Callback URL is required");
    expect(text("#studio-problems")).toContain("3 fields need attention");
    expect(fake.callsTo("task_submit")).toHaveLength(0);
  });

  it("creates one task for a double click, and links to it on the Tasks screen", async () => {
    const fake = await openStudio("music");
    await fillSimpleSong();
    const button = $("#studio-submit")!;
    // Both clicks land before the first answer…
    await Promise.all([fireEvent.click(button), fireEvent.click(button)]);
    await waitFor(() => expect($("#studio-created")).not.toBeNull());
    // …and one more right after it (a slow double click).
    await fireEvent.click(button);
    await waitFor(() => expect(fake.callsTo("task_submit").length).toBeGreaterThan(0));
    const ids = new Set(fake.callsTo("task_submit").map((c) => c.args.submit.submissionId));
    expect(ids.size).toBe(1);
    expect(fake.taskCenter.tasks).toHaveLength(1);
    const sent = fake.callsTo("task_submit")[0]!.args.submit;
    expect(sent.route).toBe("suno.generate");
    expect(sent.body).toEqual({ customMode: false, instrumental: false, model: "V5", prompt: "a synthwave song about a night drive", callBackUrl: CB });

    const id = fake.taskCenter.tasks[0]!.row.id;
    expect($("#studio-created")?.dataset.taskId).toBe(id);
    expect($("#studio-created")?.dataset.state).toBe("queued");
    // The card follows the task as it moves on.
    fake.taskCenter.transition(id, "succeeded", { rawStatus: "SUCCESS" });
    await waitFor(() => expect($("#studio-created")?.dataset.state).toBe("succeeded"), { timeout: 4000 });
    await fireEvent.click($("#studio-open-task")!);
    await waitFor(() => expect($(`#task-page[data-task-id='${id}']`)).not.toBeNull());
  });

  it("keeps the values and the submission id after a transport error, and a new click later is a new task", async () => {
    const fake = await openStudio("music");
    await fillSimpleSong();
    fake.failNext.task_submit = { code: ErrorCodes.Unreachable, message: "connection reset by peer" };
    await fireEvent.click($("#studio-submit")!);
    await waitFor(() => expect($("#studio-error")).not.toBeNull());
    expect(text("#studio-error")).toContain("connection reset by peer");
    expect($<HTMLTextAreaElement>("#sf-prompt")?.value).toBe("a synthwave song about a night drive");
    await fireEvent.click($("#studio-submit")!);
    await waitFor(() => expect($("#studio-created")).not.toBeNull());
    const [first, retry] = fake.callsTo("task_submit").map((c) => c.args.submit.submissionId);
    expect(retry).toBe(first);
    expect($("#studio-error")).toBeNull();

    // Later, the same parameters again: a new task on purpose.
    const realNow = Date.now;
    Date.now = () => realNow() + 5_000;
    try {
      await fireEvent.keyDown($("#sf-prompt")!, { key: "Enter", ctrlKey: true });
      await waitFor(() => expect(fake.taskCenter.tasks).toHaveLength(2));
    } finally {
      Date.now = realNow;
    }
    const ids = fake.callsTo("task_submit").map((c) => c.args.submit.submissionId);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("shows the core's refusal next to the fields it names", async () => {
    const fake = await openStudio("music");
    await fillSimpleSong();
    fake.failNext.task_submit = {
      code: ErrorCodes.InvalidInput,
      message: "not sent: /prompt: Prompt or lyrics is 500 characters; at most 400 here; /callBackUrl: Callback URL must be an http(s) URL",
    };
    await fireEvent.click($("#studio-submit")!);
    await waitFor(() => expect($("#sf-callBackUrl-problem")).not.toBeNull());
    expect(text("#sf-prompt-problem")).toBe("Prompt or lyrics is 500 characters; at most 400 here");
    expect(text("#sf-callBackUrl-problem")).toBe("Callback URL must be an http(s) URL");
    expect($("#studio-created")).toBeNull();
    // Editing the field clears the core's verdict on it (it judged the old value).
    await type("#sf-callBackUrl", "https://hooks.example.com/other");
    expect($("#sf-callBackUrl-problem")).toBeNull();
  });

  it("fills a derived route from a finished song and records the song as its parent", async () => {
    const song = fakeTask(taskRow({ id: "song-1", route: "suno.generate", label: "Night drive", state: "succeeded", gatewayTaskId: "gw-77" }), {
      artifacts: [savedArtifact(0, "audio", "night-1.mp3", { itemId: "aud-a" }), savedArtifact(1, "audio", "night-2.mp3", { itemId: "aud-b" })],
    });
    const running = fakeTask(taskRow({ id: "song-2", state: "running", label: "Unfinished" }));
    const fake = await openStudio("music", studioBackend([song, running]));
    await pickRoute("suno.wav");
    await waitFor(() => expect($("#music-source option[value='song-1']")).not.toBeNull());
    expect($("#music-source option[value='song-2']")).toBeNull();
    await choose("#music-source", "song-1");
    await waitFor(() => expect($<HTMLInputElement>("#sf-audioId")?.value).toBe("aud-a"));
    expect($<HTMLInputElement>("#sf-taskId")?.value).toBe("gw-77");
    await choose("#music-source-audio", "aud-b");
    await type("#sf-callBackUrl", CB);
    await fireEvent.click($("#studio-submit")!);
    await waitFor(() => expect(fake.callsTo("task_submit")).toHaveLength(1));
    const sent = fake.callsTo("task_submit")[0]!.args.submit;
    expect(sent.body).toEqual({ taskId: "gw-77", audioId: "aud-b", callBackUrl: CB });
    expect(sent.parentTaskId).toBe("song-1");
  });
});

describe("Media studio", () => {
  it("offers the image and the video routes on two tabs, and Ctrl+Enter submits", async () => {
    const fake = await openStudio("media");
    const imageRoutes = [...document.querySelectorAll<HTMLOptionElement>("#studio-route option")].map((o) => o.value);
    expect(imageRoutes).toEqual(["openai.images", "gemini.image", "dashscope.image", "kling.image", "kling.omni_image"]);
    // An open model field suggests the documented ids and the Models cache's.
    const suggested = () => [...document.querySelectorAll<HTMLOptionElement>("#sf-model-list option")].map((o) => o.value);
    await waitFor(() => expect(suggested()).toContain("gpt-4o"));
    expect(suggested().slice(0, 3)).toEqual(["nano-banana-2", "kling-v2-1", "qwen-image-plus"]);

    await fireEvent.click($("#media-tab-video")!);
    await waitFor(() => expect($("#studio-form")?.dataset.route).toBe("openai.videos"));
    const videoRoutes = [...document.querySelectorAll<HTMLOptionElement>("#studio-route option")].map((o) => o.value);
    expect(videoRoutes).toEqual(["openai.videos", "dashscope.video", "kling.omni_video", "kling.text2video", "kling.image2video"]);
    await pickRoute("dashscope.video");
    await type("#sf-model", "wan2.2-t2v-plus");
    await type("#sf-input-prompt", "w".repeat(900));
    expect(text("#sf-input-prompt-count")).toBe("900 / 800");
    await type("#sf-model", "wan2.5-t2v-preview");
    expect(text("#sf-input-prompt-count")).toBe("900 / 2000");
    await fireEvent.keyDown($("#sf-input-prompt")!, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(fake.callsTo("task_submit")).toHaveLength(1));
    expect(fake.callsTo("task_submit")[0]!.args.submit.body).toEqual({ model: "wan2.5-t2v-preview", input: { prompt: "w".repeat(900) } });
  });
});
