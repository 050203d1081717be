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
  ];
  // A `case "timeout":` is a code only inside a switch over a `.code`: other unions share some
  // words (a run's failure kind, a chat event's kind), and their switches are not about codes.
  const caseLiteral = new RegExp(`case\\s+${literal.source}`);
  const switchOnCode = /switch\s*\([^)]*\bcode\s*\)/;
  const switchOnOther = /switch\s*\(/;

  function offendingLines(text: string): number[] {
    const found: number[] = [];
    let inCodeSwitch = false;
    text.split("\n").forEach((line, i) => {
      if (switchOnCode.test(line)) inCodeSwitch = true;
      else if (switchOnOther.test(line)) inCodeSwitch = false;
      if (comparisons.some((re) => re.test(line)) || (inCodeSwitch && caseLiteral.test(line))) found.push(i);
    });
    return found;
  }

  it("sees the generated codes", () => {
    expect(codes).toContain("keychain_unavailable");
  });

  it("catches each way a code can be compared as a literal", () => {
    expect(offendingLines('if (err.code === "not_found") x();')).toEqual([0]);
    expect(offendingLines('if ("internal" !== e.code) x();')).toEqual([0]);
    expect(offendingLines('switch (err.code) {\n  case "timeout":\n}')).toEqual([1]);
    expect(offendingLines('switch (f.kind) {\n  case "timeout":\n}')).toEqual([]);
    expect(offendingLines('typeof v.code === "string"')).toEqual([]);
  });

  it("are never compared as string literals outside the generated bindings", () => {
    const offenders = Object.entries(everywhere)
      .filter(([path]) => path !== "./boundary.test.ts")
      .flatMap(([path, text]) => offendingLines(text).map((i) => `${path}:${i + 1}: ${text.split("\n")[i]?.trim()}`));
    expect(offenders).toEqual([]);
  });
});
