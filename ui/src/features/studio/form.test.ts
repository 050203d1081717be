// The form logic against the core's real route catalogue: the body the values make, the limit
// in force per mode and model version, required fields, and the core's verdict put back on
// its fields.
import { describe, expect, it } from "vitest";
import { buildBody, initialValues, maxCharsFor, problemsFromMessage, problemsOf, type Values } from "./form";
import { route } from "./studioTesting";

const field = (routeId: string, path: string) => {
  const f = route(routeId).fields.find((x) => x.path === path);
  if (!f) throw new Error(`${routeId} has no ${path}`);
  return f;
};

function check(routeId: string, values: Values) {
  const spec = route(routeId);
  const built = buildBody(spec, { ...initialValues(spec), ...values });
  return { body: built.body, problems: problemsOf(spec, built) };
}

describe("studio form", () => {
  it("builds nested bodies from JSON pointers, hidden fields from their defaults", () => {
    const { body, problems } = check("gemini.image", { "/model": "nano-banana-2", "/contents/0/parts/0/text": "a fox" });
    expect(body).toEqual({
      model: "nano-banana-2",
      contents: [{ parts: [{ text: "a fox" }], role: "user" }],
      generationConfig: { responseModalities: ["TEXT", "IMAGE"] },
    });
    expect(problems).toEqual({});
    const dash = check("dashscope.image", { "/model": "qwen-image-plus", "/input/messages/0/content/0/text": "a lake", "/parameters/seed": "42" });
    expect(dash.body).toEqual({
      model: "qwen-image-plus",
      input: { messages: [{ content: [{ text: "a lake" }], role: "user" }] },
      parameters: { seed: 42 },
    });
  });

  it("takes the length limit per mode and model version, as the catalogue documents", () => {
    const prompt = field("suno.generate", "/prompt");
    const style = field("suno.generate", "/style");
    expect(maxCharsFor(prompt, { customMode: false, model: "V5" })).toBe(500);
    expect(maxCharsFor(prompt, { customMode: true, model: "V4" })).toBe(3000);
    expect(maxCharsFor(prompt, { customMode: true, model: "V5" })).toBe(5000);
    expect(maxCharsFor(style, { customMode: true, model: "V4" })).toBe(200);
    expect(maxCharsFor(style, { customMode: true, model: "V4_5" })).toBe(1000);
    const wan = field("dashscope.video", "/input/prompt");
    expect(maxCharsFor(wan, { model: "wan2.5-t2v-preview" })).toBe(2000);
    expect(maxCharsFor(wan, { model: "wan2.2-t2v-plus" })).toBe(800);
    // Characters, not UTF-16 units: 500 emoji are 500 characters.
    const emoji = check("suno.generate", { "/model": "V5", "/prompt": "🎵".repeat(500), "/callBackUrl": "https://example.com/cb" });
    expect(emoji.problems).toEqual({});
    const over = check("suno.generate", { "/model": "V5", "/prompt": "🎵".repeat(501), "/callBackUrl": "https://example.com/cb" });
    expect(over.problems["/prompt"]).toBe("Prompt or lyrics is 501 characters; at most 500 here");
  });

  it("requires what the route requires in the mode chosen", () => {
    const simple = check("suno.generate", {});
    expect(Object.keys(simple.problems).sort()).toEqual(["/callBackUrl", "/model", "/prompt"]);
    // Custom mode: style and title too; an instrumental needs no lyrics.
    const custom = check("suno.generate", { "/customMode": true, "/instrumental": true, "/model": "V5", "/callBackUrl": "https://example.com/cb" });
    expect(Object.keys(custom.problems).sort()).toEqual(["/style", "/title"]);
    expect(custom.body).toMatchObject({ customMode: true, instrumental: true });
    const video = check("dashscope.video", { "/model": "wan2.2-t2v-plus" });
    expect(video.problems).toEqual({ "/input/prompt": "set at least one of: Prompt, First frame image" });
    const bad = check("kling.text2video", { "/model_name": "kling-v3", "/prompt": "p", "/duration": "99", "/image_tail": "x" });
    expect(bad.problems["/duration"]).toBe("Duration (s) must be between 3 and 15 (got 99)");
    expect(check("openai.images", { "/model": "nano-banana-2", "/prompt": "p", "/n": "1.5" }).problems["/n"]).toBe("Images must be a whole number");
    expect(check("kling.image2video", { "/model_name": "kling-v3", "/image": "file:///tmp/a.png" }).problems["/image"]).toBe(
      "First frame image must be an http(s) URL",
    );
    expect(check("kling.omni_image", { "/model_name": "kling-v3-omni", "/prompt": "p", "/image_list": "[{" }).problems["/image_list"]).toBe(
      "Reference images is not valid JSON",
    );
  });

  it("puts the core's refusal back on the fields it names", () => {
    const spec = route("suno.generate");
    expect(problemsFromMessage(spec, "not sent: /style: Style is required; /title: Title is 81 characters; at most 80 here")).toEqual({
      "/style": "Style is required",
      "/title": "Title is 81 characters; at most 80 here",
    });
    expect(problemsFromMessage(spec, "`x` is not a task route")).toBeNull();
    expect(problemsFromMessage(spec, "not sent: the body must be a JSON object")).toBeNull();
  });
});
