// Guards design.md's rule that only src/ipc talks to Tauri: a feature importing
// @tauri-apps/api directly would bypass the error normalisation and the generated types.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob<string>(["./**/*.ts", "./**/*.svelte", "!./ipc/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("IPC boundary", () => {
  it("sees the source files", () => {
    expect(Object.keys(sources)).toContain("./App.svelte");
    expect(Object.keys(sources)).toContain("./features/models/models.svelte.ts");
  });

  it("has no @tauri-apps import outside src/ipc", () => {
    const offenders = Object.entries(sources)
      .filter(([path, text]) => path !== "./boundary.test.ts" && text.includes("@tauri-apps/"))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
