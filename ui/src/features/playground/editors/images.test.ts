import { describe, expect, it } from "vitest";
import { MAX_IMAGE_BYTES, base64Bytes, checkImage, dataUrl, parseDataUrl, readImage } from "./images";

// A 1x1 PNG.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const bytes = () => Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));

describe("images", () => {
  it("reads a file into base64 with its MIME type", async () => {
    const read = await readImage(new File([bytes()], "dot.png", { type: "image/png" }));
    expect(read).toEqual({ ok: true, image: { mime: "image/png", data: PNG, name: "dot.png", size: bytes().length } });
  });

  it("refuses files that are not images or are over the cap, saying which", async () => {
    expect(await readImage(new File(["hi"], "notes.txt", { type: "text/plain" }))).toEqual({ ok: false, error: expect.stringContaining("not an image") });
    const big = checkImage({ name: "big.png", type: "image/png", size: MAX_IMAGE_BYTES + 1 });
    expect(big).toContain("3.75 MB");
    expect(checkImage({ name: "ok.png", type: "image/png", size: MAX_IMAGE_BYTES })).toBeNull();
  });

  it("keeps the base64 cap under Anthropic's 5 MB per image", () => {
    expect(Math.ceil(MAX_IMAGE_BYTES / 3) * 4).toBeLessThanOrEqual(5_000_000);
  });

  it("builds and splits data URLs", () => {
    const url = dataUrl({ mime: "image/png", data: PNG });
    expect(url).toBe(`data:image/png;base64,${PNG}`);
    expect(parseDataUrl(url)).toEqual({ mime: "image/png", data: PNG });
    expect(parseDataUrl("https://example.com/a.png")).toBeNull();
    expect(base64Bytes(PNG)).toBe(bytes().length);
  });
});
