import { describe, expect, it } from "vitest";
import { validateBaseUrl, validateName } from "./validate";

describe("validateBaseUrl", () => {
  it.each(["https://api.anyint.ai", "https://gateway.api.anyint.ai", "http://127.0.0.1:8080", "https://gw.example.com/prefix"])(
    "accepts %s",
    (url) => expect(validateBaseUrl(url)).toBeNull(),
  );
  it.each([
    ["", /base URL/],
    ["api.anyint.ai", /not a URL/],
    ["not a url", /not a URL/],
    ["ftp://api.anyint.ai", /http/],
    ["file:///etc/passwd", /http/],
    ["https://user:pw@api.anyint.ai", /credentials/],
    ["https://api.anyint.ai/?key=1", /query/],
  ])("rejects %j", (url, why) => {
    expect(validateBaseUrl(url)).toMatch(why);
  });
});

describe("validateName", () => {
  it("requires a non-blank name", () => {
    expect(validateName("   ")).not.toBeNull();
    expect(validateName("Prod")).toBeNull();
    expect(validateName("x".repeat(81))).not.toBeNull();
  });
});
