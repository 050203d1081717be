import { describe, expect, it } from "vitest";
import { age, costText, inputFilesOf, progressText, rawStatusTitle, sizeText, stateWord, STATES } from "./format";

describe("task wording", () => {
  it("names every state", () => {
    expect(STATES.map(stateWord)).toEqual(["Submitting", "Queued", "Running", "Partial", "Succeeded", "Failed", "Cancelled", "Expired"]);
  });

  it("gives the raw status on hover, or says why there is none", () => {
    expect(rawStatusTitle({ state: "running", rawStatus: "TEXT_SUCCESS" })).toBe("Gateway status: TEXT_SUCCESS");
    expect(rawStatusTitle({ state: "submitting", rawStatus: null })).toBe("Not answered by the gateway yet");
    expect(rawStatusTitle({ state: "queued", rawStatus: null })).toBe("The gateway gave no status word");
  });

  it("words age in the largest whole unit", () => {
    const at = Date.parse("2025-03-01T10:00:00Z");
    const iso = (ms: number) => new Date(at - ms).toISOString();
    expect(age(iso(2_000), at)).toBe("now");
    expect(age(iso(30_000), at)).toBe("30 s");
    expect(age(iso(5 * 60_000), at)).toBe("5 min");
    expect(age(iso(3 * 3_600_000), at)).toBe("3 h");
    expect(age(iso(3 * 86_400_000), at)).toBe("3 d");
    expect(age(new Date(at + 60_000).toISOString(), at)).toBe("now");
    expect(age("not a date", at)).toBe("—");
  });

  it("shows progress and cost only when known", () => {
    expect(progressText(null)).toBe("");
    expect(progressText(41.6)).toBe("42%");
    expect(progressText(130)).toBe("100%");
    expect(costText(null)).toBe("no price");
    expect(costText({ amount: 12, unit: "credits", basis: "reported by the gateway" })).toBe("12 credits");
    expect(costText({ amount: 0.4, unit: "USD", basis: "2 images × 0.2 USD" })).toBe("0.40 USD");
    expect(sizeText(null)).toBe("");
    expect(sizeText(512)).toBe("512 B");
    expect(sizeText(1_500_000)).toBe("1.4 MB");
  });

  it("finds the local files a request names, where they are and where they were uploaded", () => {
    const file = { name: "take.wav", mime: "audio/wav", size: 2048, sha256: "ab".repeat(32), seconds: 1 };
    const body = { model: "V5", uploadUrl: { $file: file, hostedUrl: "https://f.example/1" }, input: { img_url: { $file: file } }, prompt: "p" };
    expect(inputFilesOf(body)).toEqual([
      { path: "/uploadUrl", name: "take.wav", size: 2048, sha256: "ab".repeat(32), hostedUrl: "https://f.example/1" },
      { path: "/input/img_url", name: "take.wav", size: 2048, sha256: "ab".repeat(32), hostedUrl: null },
    ]);
    expect(inputFilesOf({ prompt: "no files" })).toEqual([]);
    expect(inputFilesOf({ x: { $file: "not a marker" } })).toEqual([]);
  });
});
