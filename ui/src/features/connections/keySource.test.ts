import { describe, expect, it } from "vitest";
import { describeKeySource } from "./keySource";

describe("describeKeySource", () => {
  it("words every source the backend reports", () => {
    expect(describeKeySource({ kind: "anyint", keySource: { kind: "vault", label: "Prod CI", environment: "prod" } })).toBe(
      "vault key “Prod CI” (prod)",
    );
    expect(describeKeySource({ kind: "sandbox", keySource: { kind: "sandbox" } })).toBe("the Sandbox's simulated key");
    expect(describeKeySource({ kind: "anyint", keySource: { kind: "environmentVariable" } })).toBe("ANYINT_API_KEY");
    expect(describeKeySource({ kind: "sandbox", keySource: { kind: "missing" } })).toContain("Sandbox is not running");
    expect(describeKeySource({ kind: "anyint", keySource: { kind: "missing" } })).toContain("bind a key");
  });
});
