import { describe, expect, it } from "vitest";
import { decodeLines, encodeLines, locateJsonError, move, parseJson } from "./json";

describe("parseJson", () => {
  it("parses valid JSON", () => {
    expect(parseJson('{"a": [1, true, null, "x"]}')).toEqual({ ok: true, value: { a: [1, true, null, "x"] } });
  });

  it.each([
    ['{"a": 1,}', 1, 9, "quoted property name"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "Expected ',' or '}'"],
    ['{"a": tru}', 1, 10, "Expected true"],
    ['{"a": "x', 1, 9, "Unterminated string"],
    ["[1, 2", 1, 6, "the text ended"],
    ['{"a": 01}', 1, 8, "Expected ',' or '}'"],
    ['{"a": 1} x', 1, 10, "after the JSON value"],
    ["", 1, 1, "Expected a value"],
  ])("says where %j breaks (line %i, column %i)", (text, line, column, words) => {
    const r = parseJson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.error.line, r.error.column]).toEqual([line, column]);
    expect(r.error.message).toContain(words);
    expect(r.error.offset).toBe(text.split("\n").slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0) + column - 1);
  });

  it("rejects a raw line break inside a string, as JSON.parse does", () => {
    expect(locateJsonError('{"a": "x\ny"}').message).toContain("Control character");
  });
});

describe("lines", () => {
  it("round-trips sequences holding line breaks, tabs and backslashes", () => {
    const items = ["\nUser:", "END", "a\\nb", "tab\there", "\r\n"];
    expect(encodeLines(items)).toBe("\\nUser:\nEND\na\\\\nb\ntab\\there\n\\r\\n");
    expect(decodeLines(encodeLines(items))).toEqual(items);
  });

  it("drops empty lines and keeps unknown escapes as typed", () => {
    expect(decodeLines("a\n\nC:\\path\n")).toEqual(["a", "C:\\path"]);
  });
});

describe("move", () => {
  it("moves an item and ignores moves past either end", () => {
    const list = ["a", "b", "c"];
    move(list, 0, 1);
    expect(list).toEqual(["b", "a", "c"]);
    move(list, 2, 1);
    move(list, 0, -1);
    expect(list).toEqual(["b", "a", "c"]);
  });
});
