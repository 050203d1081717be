import { describe, expect, it } from "vitest";
import { model } from "../../ipc/testing/fakeBackend";
import { filterModels } from "./filter";

const models = [
  model("gpt-4o", "GPT-4o"),
  model("claude-sonnet-4-5", "Claude Sonnet 4.5"),
  model("suno-v4", null),
];

describe("filterModels", () => {
  it("returns everything for a blank query", () => {
    expect(filterModels(models, "  ").map((m) => m.id)).toEqual(["gpt-4o", "claude-sonnet-4-5", "suno-v4"]);
  });
  it("matches the id case-insensitively", () => {
    expect(filterModels(models, "GPT").map((m) => m.id)).toEqual(["gpt-4o"]);
  });
  it("matches the display name, and tolerates a null one", () => {
    expect(filterModels(models, "sonnet 4.5").map((m) => m.id)).toEqual(["claude-sonnet-4-5"]);
    expect(filterModels(models, "suno").map((m) => m.id)).toEqual(["suno-v4"]);
  });
  it("returns nothing when nothing matches", () => {
    expect(filterModels(models, "llama")).toEqual([]);
  });
});
