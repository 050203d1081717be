// @vitest-environment jsdom
// The Playground as a user drives it, through App (Alt+4) and the fake backend: send and
// stream, stop, failures, raw JSON, tools, families, the token count, the wire and the code.
// jsdom, not happy-dom: the answer is Markdown, and DOMPurify needs jsdom (see Markdown.test.ts).
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../ipc";
import { installFakeBackend, sandboxReply, TOOL_ARGUMENTS } from "../../ipc/testing/fakeBackend";
import { $, ask, editRaw, openPlayground, send, sentBody, status, text, type } from "./playgroundTesting";

const REPLY = sandboxReply("Hello there");

/** A gate that never opens: the run waits after its first chunk until it is stopped. */
function gated() {
  const fake = installFakeBackend();
  fake.playgroundGate = new Promise<void>(() => {});
  return fake;
}

describe("Playground: sending", () => {
  it("opens on Alt+4 with the Anthropic family, and Send streams the reply with its figures", async () => {
    const fake = await openPlayground();
    expect($("#pg-family-anthropic")?.getAttribute("aria-selected")).toBe("true");
    expect($("#an-editor")).not.toBeNull();
    await ask("Hello there");
    expect(status()).toBe("complete");
    await waitFor(() => expect(text("#pg-markdown")).toBe(REPLY));
    expect(text("#pg-stat-finish")).toBe("end_turn");
    expect($("#pg-failure")).toBeNull();
    const sent = fake.callsTo("playground_send")[0]?.args.request;
    expect(sent?.family).toBe("anthropic");
    expect(sent?.conversationId).toBeNull();
  });

  it("sends the idle timeout in milliseconds, and none (the backend's default) when the field is empty", async () => {
    const fake = await openPlayground();
    await type("#pg-idle", "5");
    await ask("Hello there");
    await type("#pg-idle", "");
    await send();
    expect(fake.callsTo("playground_send").map((c) => c.args.request.idleTimeoutMs)).toEqual([5000, null]);
  });

  it("sends on Ctrl+Enter", async () => {
    const fake = await openPlayground();
    await type("#an-msg-0-text-0", "Hello there");
    await fireEvent.keyDown(window, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(status()).toBe("complete"));
    await waitFor(() => expect(text("#pg-markdown")).toBe(REPLY));
    expect(fake.callsTo("playground_send")).toHaveLength(1);
  });

  it("shows the partial answer while streaming, and Escape stops it, keeping that text", async () => {
    const fake = await openPlayground(gated());
    await type("#an-msg-0-text-0", "Hello there");
    await fireEvent.click($("#pg-send")!);
    await waitFor(() => expect(text("#pg-markdown")).not.toBe(""));
    const partial = text("#pg-markdown");
    expect(REPLY.startsWith(partial) && partial !== REPLY).toBe(true);
    expect($("#pg-stop")).not.toBeNull();
    expect($("#pg-send")).toBeNull();
    expect(status()).toBe("running");

    await fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(status()).toBe("partial"));
    expect($("#pg-failure")?.getAttribute("data-code")).toBe("stopped");
    expect(text("#pg-markdown")).toBe(partial);
    await waitFor(() => expect($("#pg-send")).not.toBeNull());
    expect(fake.callsTo("playground_stop")).toHaveLength(1);
  });

  it("stops on the Stop button too", async () => {
    await openPlayground(gated());
    await type("#an-msg-0-text-0", "Hello there");
    await fireEvent.click($("#pg-send")!);
    await waitFor(() => expect(text("#pg-markdown")).not.toBe(""));
    await fireEvent.click($("#pg-stop")!);
    await waitFor(() => expect(status()).toBe("partial"));
    expect($("#pg-failure")?.getAttribute("data-code")).toBe("stopped");
    expect(text("#pg-markdown")).not.toBe("");
  });

  it("keeps the partial text of a broken stream and shows what broke under it", async () => {
    const fake = installFakeBackend();
    fake.playgroundFailure = { kind: "reset", message: "connection reset by peer", gatewayMessage: null, status: null, retryAfterS: null };
    await openPlayground(fake);
    await ask("Hello there");
    expect(status()).toBe("partial");
    const banner = $("#pg-failure")!;
    expect(banner.getAttribute("data-code")).toBe("reset");
    expect(banner.textContent).toContain("The connection broke mid-stream.");
    expect(banner.textContent).toContain("connection reset by peer");
    await waitFor(() => expect(text("#pg-markdown")).not.toBe(""));
    const partial = text("#pg-markdown");
    expect(REPLY.startsWith(partial) && partial !== REPLY).toBe(true);
    // Under the answer, never in its place.
    const answer = $("#pg-answer-text")!;
    expect(answer.compareDocumentPosition(banner) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("shows why a run could not be made at all, with the backend's code", async () => {
    const fake = installFakeBackend();
    fake.playgroundError = { code: ErrorCodes.NoKey, message: "connection `Sandbox` has no key" };
    await openPlayground(fake);
    await type("#an-msg-0-text-0", "Hello there");
    await fireEvent.click($("#pg-send")!);
    await waitFor(() => expect($("#pg-send-error")).not.toBeNull());
    expect($("#pg-send-error")?.getAttribute("data-code")).toBe(ErrorCodes.NoKey);
    expect(text("#pg-send-error")).toContain("has no key");
    expect($("#pg-send")?.hasAttribute("disabled")).toBe(false);
  });
});

describe("Playground: the request", () => {
  it("will not send invalid raw JSON, and says why", async () => {
    const fake = await openPlayground();
    await fireEvent.click($("#an-tab-raw")!);
    await type("#an-raw", '{ "model": ');
    expect(text("#pg-problem")).toContain("Raw JSON");
    expect($<HTMLButtonElement>("#pg-send")?.disabled).toBe(true);
    await fireEvent.keyDown(window, { key: "Enter", ctrlKey: true });
    expect(fake.callsTo("playground_send")).toHaveLength(0);
    await type("#an-raw", JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] }));
    expect($("#pg-problem")).toBeNull();
    expect($<HTMLButtonElement>("#pg-send")?.disabled).toBe(false);
  });

  it("does not keep a problem after the family's editor is rebuilt from its valid body", async () => {
    await openPlayground();
    await fireEvent.click($("#an-tab-raw")!);
    await type("#an-raw", "{ nope");
    expect($("#pg-problem")).not.toBeNull();
    await fireEvent.click($("#pg-family-gemini")!);
    expect($("#pg-problem")).toBeNull();
    await fireEvent.click($("#pg-family-anthropic")!);
    // The new editor shows the last valid body, so there is nothing left to fix.
    expect($("#an-raw-error")).toBeNull();
    expect($("#pg-problem")).toBeNull();
    expect($<HTMLButtonElement>("#pg-send")?.disabled).toBe(false);
  });

  it("answers a tool call with the results typed in, and completes with text", async () => {
    const fake = await openPlayground();
    await editRaw("an", (b) => ({
      ...b,
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
    }));
    await send();
    expect(status()).toBe("complete");
    expect(text("#pg-stat-finish")).toBe("tool_use");
    expect(text("#tool-results")).toContain("get_weather");
    expect(JSON.parse($("#tool-results pre")?.textContent ?? "")).toEqual(JSON.parse(TOOL_ARGUMENTS));

    await type("#tool-result-0", '{"temperature": 21}');
    await fireEvent.click($("#tool-results-send")!);
    await waitFor(() => expect(fake.callsTo("playground_send")).toHaveLength(2));
    await waitFor(() => expect(status()).toBe("complete"));
    await waitFor(() => expect(text("#pg-markdown")).toMatch(/^Sandbox reply to:/));
    expect($("#tool-results")).toBeNull();
    const messages = sentBody(fake, 1).messages as { role: string; content: unknown }[];
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(messages[2]?.content)).toContain('"type":"tool_result"');
    expect(JSON.stringify(messages[2]?.content)).toContain("temperature");
    // A follow-up continues the conversation of the call.
    expect(fake.callsTo("playground_send")[1]?.args.request.conversationId).toBe(fake.conversations[0]?.id);
  });
});

describe("Playground: families", () => {
  it("switches editors with the tabs, and the arrow keys move between tabs", async () => {
    await openPlayground();
    await fireEvent.click($("#pg-family-gemini")!);
    expect($("#ge-editor")).not.toBeNull();
    expect($("#an-editor")).toBeNull();
    expect($("#pg-family-gemini")?.getAttribute("aria-selected")).toBe("true");

    await fireEvent.keyDown($("#pg-family-gemini")!, { key: "ArrowRight" });
    expect($("#oa-editor")).not.toBeNull();
    expect(document.activeElement?.id).toBe("pg-family-openai_chat");
    await fireEvent.keyDown($("#pg-family-openai_chat")!, { key: "ArrowRight" });
    expect($("#rs-editor")).not.toBeNull();
    await fireEvent.keyDown($("#pg-family-openai_responses")!, { key: "ArrowLeft" });
    await fireEvent.keyDown($("#pg-family-openai_chat")!, { key: "ArrowLeft" });
    expect($("#ge-editor")).not.toBeNull();
    expect(document.activeElement?.id).toBe("pg-family-gemini");
    expect($("#pg-family-gemini")?.getAttribute("tabindex")).toBe("0");
    expect($("#pg-family-anthropic")?.getAttribute("tabindex")).toBe("-1");
  });

  it("counts input tokens live for Anthropic and Gemini, not for OpenAI", async () => {
    const fake = await openPlayground();
    await waitFor(() => expect(text("#pg-tokens")).toMatch(/^\d+ input tokens$/));
    const before = Number.parseInt(text("#pg-tokens"), 10);
    await type("#an-msg-0-text-0", "a much longer prompt than the empty one the screen started with");
    await waitFor(() => expect(Number.parseInt(text("#pg-tokens"), 10)).toBeGreaterThan(before));

    await fireEvent.click($("#pg-family-gemini")!);
    await waitFor(() => expect(text("#pg-tokens")).toMatch(/^\d+ input tokens$/));
    expect(fake.callsTo("count_tokens").some((c) => c.args.request.family === "gemini")).toBe(true);

    await fireEvent.click($("#pg-family-openai_chat")!);
    expect($("#pg-tokens")).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.callsTo("count_tokens").some((c) => c.args.request.family === "openai_chat")).toBe(false);
  });

  it("keeps the Gemini model chosen when the screen is left and opened again", async () => {
    await openPlayground();
    await fireEvent.click($("#pg-family-gemini")!);
    await type("#ge-model", "gemini-2.0-flash");
    await fireEvent.keyDown(window, { key: "3", code: "Digit3", altKey: true });
    await fireEvent.keyDown(window, { key: "4", code: "Digit4", altKey: true });
    await waitFor(() => expect($<HTMLInputElement>("#ge-model")?.value).toBe("gemini-2.0-flash"));
    // Loading the models again (the screen mounts anew) must not put the preferred one back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect($<HTMLInputElement>("#ge-model")?.value).toBe("gemini-2.0-flash");
  });
});

describe("Playground: wire and code", () => {
  it("shows the request on the wire with its URL and the key masked", async () => {
    await openPlayground();
    await ask("Hello there");
    await fireEvent.click($("#pg-view-wire")!);
    expect($("#pg-wire")).not.toBeNull();
    expect(text("#pg-wire .url")).toBe("http://127.0.0.1:41234/anthropic/v1/messages");
    expect(text("#pg-wire")).toContain("sk-…demo");
    expect(text("#pg-wire-status")).toContain("200");
    await fireEvent.click($("#pg-view-answer")!);
    expect(text("#pg-markdown")).toBe(REPLY);
  });

  it("exports the request as code that reads the key from ANYINT_API_KEY", async () => {
    await openPlayground();
    await type("#an-msg-0-text-0", "Hello there");
    await fireEvent.click($("#pg-view-code")!);
    await waitFor(() => expect($("#pg-code-curl")).not.toBeNull());
    const code = text("#pg-code-text");
    expect($("#pg-code-text")?.getAttribute("data-lang")).toBe("curl");
    expect(code).toContain("ANYINT_API_KEY");
    expect(code).toContain("http://127.0.0.1:41234/anthropic/v1/messages");
    expect(code).toContain("Hello there");
    expect(code).not.toContain("sk-…demo");
    await fireEvent.click($("#pg-code-python_sdk")!);
    expect($("#pg-code-text")?.getAttribute("data-lang")).toBe("python_sdk");
    expect(text("#pg-code-text")).toContain("ANYINT_API_KEY");
    // The code follows the request as it is edited.
    await type("#an-msg-0-text-0", "Changed prompt");
    await waitFor(() => expect(text("#pg-code-text")).toContain("Changed prompt"));
    expect(text("#pg-code-text")).not.toContain("Hello there");
  });
});
