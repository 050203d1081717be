// Guards design.md's rule that only src/ipc talks to Tauri: a feature importing
// @tauri-apps/api directly would bypass the error normalisation and the generated types.
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "./ipc/bindings/errorCodes";

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

// Issue 7: the UI acts on error codes only through the generated `ErrorCodes` constants and
// exhaustive switches over `ErrorCode`, so a code renamed or removed in Rust is a type error,
// never a comparison that silently stops matching.
const everywhere = import.meta.glob<string>(["./**/*.ts", "./**/*.svelte", "!./ipc/bindings/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("error codes", () => {
  const codes = Object.values(ErrorCodes);
  const literal = new RegExp(`["'\`](${codes.join("|")})["'\`]`);
  // Only a literal that is one of the codes counts: `typeof v.code === "string"` (ipc/call.ts)
  // compares a type name, not a code.
  const comparisons = [
    new RegExp(`\\bcode\\s*[!=]==?\\s*${literal.source}`),
    new RegExp(`${literal.source}\\s*[!=]==?\\s*[\\w.?]*\\bcode\\b`),
    new RegExp(`case\\s+${literal.source}`),
  ];

  it("sees the generated codes", () => {
    expect(codes).toContain("keychain_unavailable");
  });

  it("are never compared as string literals outside the generated bindings", () => {
    const offenders = Object.entries(everywhere)
      .filter(([path]) => path !== "./boundary.test.ts")
      .flatMap(([path, text]) =>
        text
          .split("\n")
          .map((line, i) => ({ line, at: `${path}:${i + 1}` }))
          .filter(({ line }) => comparisons.some((re) => re.test(line)))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
