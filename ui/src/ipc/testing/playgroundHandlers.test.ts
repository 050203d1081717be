// Pins what playground and history screen tests take on trust: a run streams over a real
// Channel in the order Rust sends it, is stoppable, and lands in a history that behaves like
// history.rs (search, pages, fork, delete, export).
import { describe, expect, it } from "vitest";
import {
  countTokens,
  ErrorCodes,
  historyConversations,
  historyDeleteConversation,
  historyDeleteTurn,
  historyExport,
  historyFork,
  historySearch,
  historyTurn,
  historyTurns,
  playgroundSnippets,
  playgroundStop,
  type ChatFamily,
  type PlaygroundEvent,
  type PlaygroundRequest,
} from "../index";
import { playgroundRun } from "../streams";
import { EXPORT_PATH, installFakeBackend, sandboxReply, SANDBOX, TOOL_ARGUMENTS } from "./fakeBackend";

const PAGE = { offset: 0, limit: 50 };

function request(prompt: string, extra: Partial<PlaygroundRequest> = {}, body: Record<string, unknown> = {}): PlaygroundRequest {
  return {
    runId: "run-1",
    family: "openai_chat",
    model: "gpt-4o",
    body: { model: "gpt-4o", stream: true, messages: [{ role: "user", content: prompt }], ...body },
    stream: true,
    idleTimeoutMs: null,
    conversationId: null,
    ...extra,
  };
}

function bodyFor(family: ChatFamily, prompt: string, withTool: boolean): Record<string, unknown> {
  const params = { type: "object", properties: { city: { type: "string" } } };
  switch (family) {
    case "openai_chat":
      return {
        model: "gpt-4o",
        stream: true,
        messages: [{ role: "user", content: prompt }],
        ...(withTool ? { tools: [{ type: "function", function: { name: "get_weather", parameters: params } }] } : {}),
      };
    case "openai_responses":
      return { model: "gpt-4o", stream: true, input: prompt, ...(withTool ? { tools: [{ type: "function", name: "get_weather", parameters: params }] } : {}) };
    case "anthropic":
      return {
        model: "claude-sonnet-4-5",
        max_tokens: 256,
        stream: true,
        messages: [{ role: "user", content: [{ type: "text", text: prompt }] }],
        ...(withTool ? { tools: [{ name: "get_weather", input_schema: params }] } : {}),
      };
    case "gemini":
      return {
        contents: [{ role: "user", parts: [{ text: prompt }] }],
        ...(withTool ? { tools: [{ functionDeclarations: [{ name: "get_weather", parameters: params }] }] } : {}),
      };
  }
}

/** Runs a request through the real Channel wrapper, collecting every event. */
async function run(req: PlaygroundRequest) {
  const events: PlaygroundEvent[] = [];
  const summary = await playgroundRun(req, (e) => events.push(e));
  return { events, summary };
}

const textOf = (events: PlaygroundEvent[]) =>
  events
    .flatMap((e) => (e.type === "chunk" ? e.chat : []))
    .map((c) => (c.kind === "text_delta" ? c.text : ""))
    .join("");

/** Resolves once `check` passes (the run goes on in the fake between our awaits). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 0));
  expect(check()).toBe(true);
}

describe("fake playground", () => {
  it("streams request, response, chunks and done over the channel, and stores the turn", async () => {
    installFakeBackend();
    const { events, summary } = await run(request("Why is the sky blue?"));

    expect(events.map((e) => e.type)).toEqual(["request", "response", ...events.slice(2, -1).map(() => "chunk"), "done"]);
    expect(events.filter((e) => e.type === "chunk").length).toBeGreaterThan(2);
    const [sent, head] = events;
    expect(sent).toMatchObject({
      type: "request",
      request: { method: "POST", url: `${SANDBOX.baseUrl}/openai/v1/chat/completions` },
    });
    if (sent?.type !== "request") throw new Error("no request event");
    expect(sent.request.headers).toContainEqual(["authorization", "Bearer sk-…demo"]);
    expect(JSON.parse(sent.request.body)).toEqual(request("Why is the sky blue?").body);
    expect(head).toMatchObject({ type: "response", response: { status: 200 } });
    if (head?.type !== "response") throw new Error("no response event");
    expect(head.response.headers).toContainEqual(["content-type", "text/event-stream"]);
    const wire = events.flatMap((e) => (e.type === "chunk" ? e.wire : []));
    expect(wire.map((w) => w.seq)).toEqual(wire.map((_, i) => i));
    expect(wire.at(-1)?.data).toBe("[DONE]");
    expect(JSON.parse(wire[0]?.data ?? "{}")).toMatchObject({ object: "chat.completion.chunk" });

    expect(textOf(events)).toBe(sandboxReply("Why is the sky blue?"));
    expect(summary.transcript.text).toBe(textOf(events));
    expect(events.at(-1)).toEqual({ type: "done", summary });
    expect(summary).toMatchObject({
      runId: "run-1",
      status: "complete",
      failure: null,
      terminator: "[DONE]",
      terminatorSeen: true,
      httpStatus: 200,
      transcript: { finishReason: "stop", usage: { outputTokens: 8 } },
      stats: { events: wire.length, tokensEstimated: false },
    });
    expect(summary.stats.ttftMs).toBeGreaterThan(0);
    expect(summary.stats.tokensPerS).toBeGreaterThan(0);

    const turn = await historyTurn(summary.turnId ?? "");
    expect(turn).toMatchObject({ conversationId: summary.conversationId, seq: 0, prompt: "Why is the sky blue?", answer: summary.transcript.text, status: "complete", finishReason: "stop" });
    // The next turn of the same conversation follows it.
    const next = await playgroundRun(request("And sunsets?", { runId: "run-2", conversationId: summary.conversationId }), () => {});
    expect(next.conversationId).toBe(summary.conversationId);
    expect((await historyTurns(summary.conversationId ?? "", PAGE)).items.map((t) => [t.seq, t.prompt])).toEqual([
      [0, "Why is the sky blue?"],
      [1, "And sunsets?"],
    ]);
  });

  it.each([
    ["openai_chat", "/openai/v1/chat/completions", "stop", "tool_calls", "[DONE]"],
    ["openai_responses", "/openai/v1/responses", "completed", "completed", "response.completed"],
    ["anthropic", "/anthropic/v1/messages", "end_turn", "tool_use", "message_stop"],
    ["gemini", "/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "STOP", "STOP", "finishReason"],
  ] as const)("answers %s in its own words, with a tool call when tools are declared", async (family, path, stop, toolStop, terminator) => {
    installFakeBackend();
    const model = family === "gemini" ? "gemini-2.5-pro" : "m";
    const plain = await run(request("", { family, model, body: bodyFor(family, "hello there", false) }));
    expect(plain.summary.request.url).toBe(`${SANDBOX.baseUrl}${path}`);
    expect(plain.summary.transcript.text).toBe("Sandbox reply to: hello there");
    expect(textOf(plain.events)).toBe(plain.summary.transcript.text);
    expect(plain.summary).toMatchObject({ status: "complete", terminator, terminatorSeen: true, transcript: { finishReason: stop, toolCalls: [] } });

    const tool = await run(request("", { runId: "run-2", family, model, body: bodyFor(family, "weather?", true) }));
    expect(tool.summary.transcript.text).toBe("");
    expect(tool.summary.transcript.toolCalls).toEqual([{ index: 0, id: expect.any(String) as string, name: "get_weather", arguments: TOOL_ARGUMENTS }]);
    expect(tool.summary.transcript.finishReason).toBe(toolStop);
    expect(tool.events.some((e) => e.type === "chunk" && e.chat.some((c) => c.kind === "tool_call_delta"))).toBe(true);
  });

  it("answers a non-stream request with one JSON body", async () => {
    installFakeBackend();
    const { events, summary } = await run(request("hi", { stream: false }, { stream: false }));
    expect(events.map((e) => e.type)).toEqual(["request", "response", "body", "done"]);
    expect(summary).toMatchObject({ status: "complete", terminatorSeen: true, transcript: { text: "Sandbox reply to: hi" } });
  });

  it("a tool result turn is answered in text", async () => {
    installFakeBackend();
    const body = bodyFor("openai_chat", "weather?", true);
    body.messages = [...(body.messages as unknown[]), { role: "assistant", tool_calls: [] }, { role: "tool", tool_call_id: "c", content: "sunny" }];
    const { summary } = await run(request("", {}, body));
    expect(summary.transcript.toolCalls).toEqual([]);
    expect(summary.transcript.finishReason).toBe("stop");
  });

  it("stops a gated run: partial, the text so far kept, still stored", async () => {
    const fake = installFakeBackend();
    let open = () => {};
    fake.playgroundGate = new Promise<void>((r) => (open = r));
    const events: PlaygroundEvent[] = [];
    const pending = playgroundRun(request("tell me a long story"), (e) => events.push(e));
    await until(() => events.some((e) => e.type === "chunk"));
    const shown = textOf(events);
    expect(shown).not.toBe("");
    expect(await playgroundStop("run-1")).toBe(true);
    expect(await playgroundStop("run-1")).toBe(false);
    const summary = await pending;
    open();
    expect(summary).toMatchObject({ status: "partial", failure: { kind: "stopped" }, terminatorSeen: false, transcript: { text: shown } });
    expect(await historyTurn(summary.turnId ?? "")).toMatchObject({ status: "partial", answer: shown, error: expect.stringContaining("stopped") as string });
    expect(await playgroundStop("nope")).toBe(false);
  });

  it("breaks after the first chunk with playgroundFailure, and rejects with playgroundError", async () => {
    const fake = installFakeBackend();
    fake.playgroundFailure = { kind: "reset", message: "the connection broke mid-stream", gatewayMessage: null, status: null, retryAfterS: null };
    const broken = await run(request("story"));
    expect(broken.summary).toMatchObject({ status: "partial", failure: { kind: "reset" } });
    expect(broken.summary.transcript.text).toBe(textOf(broken.events));
    expect(broken.summary.transcript.text.length).toBeLessThan(sandboxReply("story").length);

    fake.playgroundFailure = { kind: "http", message: "rate limited", gatewayMessage: "slow down", status: 429, retryAfterS: 3 };
    const refused = await run(request("story", { runId: "run-2" }));
    expect(refused.summary).toMatchObject({ status: "failed", httpStatus: 429, transcript: { text: "" } });
    expect(refused.events.map((e) => e.type)).toEqual(["request", "response", "body", "done"]);

    fake.playgroundError = { code: ErrorCodes.NoKey, message: "no key" };
    await expect(run(request("story", { runId: "run-3" }))).rejects.toEqual({ code: ErrorCodes.NoKey, message: "no key" });
    expect((await run(request("story", { runId: "run-4" }))).summary.status).toBe("complete");
  });
});

describe("fake history", () => {
  it("finds a turn by search and lists its conversation newest first", async () => {
    installFakeBackend();
    const first = await playgroundRun(request("Explain the Kármán line"), () => {});
    const second = await playgroundRun(request("noise", { runId: "run-2" }), () => {});

    const hits = await historySearch("KARMAN", 10);
    expect(hits.map((h) => h.turnId)).toEqual([first.turnId]);
    expect(hits[0]?.title).toBe("Explain the Kármán line");
    expect(hits[0]?.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(["Kármán"]);
    expect(hits[0]?.snippet.map((p) => p.text).join("")).toBe("Explain the Kármán line");
    expect((await historySearch("reply", 10)).length).toBe(2);
    expect(await historySearch(" - ", 10)).toEqual([]);

    const list = await historyConversations(PAGE);
    expect(list.total).toBe(2);
    expect(list.items.map((c) => c.id)).toEqual([second.conversationId, first.conversationId]);
    expect(list.items[1]).toMatchObject({ title: "Explain the Kármán line", family: "openai_chat", turnCount: 1, forkedFrom: null });
    expect(await historyConversations({ offset: 1, limit: 0 })).toEqual({ items: [], total: 2 });
  });

  it("forks up to a turn, deletes turns (renumbering) and conversations, exports", async () => {
    const fake = installFakeBackend();
    const t0 = await playgroundRun(request("zero"), () => {});
    const cid = t0.conversationId ?? "";
    const t1 = await playgroundRun(request("one", { conversationId: cid }), () => {});
    await playgroundRun(request("two", { conversationId: cid }), () => {});

    const fork = await historyFork(cid, t1.turnId ?? "");
    expect(fork).toMatchObject({ turnCount: 2, forkedFrom: { conversationId: cid, turnId: t1.turnId } });
    const copies = (await historyTurns(fork.id, PAGE)).items;
    expect(copies.map((t) => [t.seq, t.prompt])).toEqual([
      [0, "zero"],
      [1, "one"],
    ]);
    expect(copies[1]?.id).not.toBe(t1.turnId);
    expect((await historyConversations(PAGE)).items[0]?.id).toBe(fork.id);
    await expect(historyFork(fork.id, t1.turnId ?? "")).rejects.toMatchObject({ code: ErrorCodes.NotFound });

    await historyDeleteTurn(t1.turnId ?? "");
    const left = (await historyTurns(cid, PAGE)).items;
    expect(left.map((t) => [t.seq, t.prompt])).toEqual([
      [0, "zero"],
      [1, "two"],
    ]);
    expect((await historySearch("one", 10)).map((h) => h.conversationId)).toEqual([fork.id]);

    expect(await historyExport(cid)).toBe(EXPORT_PATH);
    const exported = JSON.parse(fake.lastExport ?? "{}") as { format: string; turns: unknown[]; conversation: { id: string } };
    expect(exported).toMatchObject({ format: "anyint-desk-conversation", conversation: { id: cid } });
    expect(exported.turns).toHaveLength(2);

    await historyDeleteConversation(cid);
    await expect(historyTurns(cid, PAGE)).rejects.toMatchObject({ code: ErrorCodes.NotFound });
    await expect(historyTurn(t0.turnId ?? "")).rejects.toMatchObject({ code: ErrorCodes.NotFound });
    await expect(historyDeleteConversation(cid)).rejects.toMatchObject({ code: ErrorCodes.NotFound });
    await expect(historyDeleteTurn("turn-gone")).rejects.toMatchObject({ code: ErrorCodes.NotFound });
    await expect(historyExport(cid)).rejects.toMatchObject({ code: ErrorCodes.NotFound });
    expect((await historyConversations(PAGE)).items.map((c) => c.id)).toEqual([fork.id]);
  });
});

describe("fake token counts and snippets", () => {
  it("counts Anthropic and Gemini prompts, growing with the prompt; rejects for OpenAI", async () => {
    installFakeBackend();
    for (const family of ["anthropic", "gemini"] as const) {
      const short = await countTokens({ family, model: "m", body: bodyFor(family, "hi", false) });
      const long = await countTokens({ family, model: "m", body: bodyFor(family, "hi ".repeat(40), false) });
      expect(short).toBeGreaterThan(0);
      expect(long).toBeGreaterThan(short);
    }
    expect(await countTokens({ family: "gemini", model: "m", body: { contents: [{ parts: [{ text: "abcdefg" }] }] } })).toBe(2);
    for (const family of ["openai_chat", "openai_responses"] as const) {
      await expect(countTokens({ family, model: "m", body: bodyFor(family, "hi", false) })).rejects.toMatchObject({ code: ErrorCodes.Unsupported });
    }
  });

  it("exports five snippets with the URL and the env var, never a key", async () => {
    installFakeBackend();
    const body = bodyFor("anthropic", "hi", false);
    const snippets = await playgroundSnippets({ family: "anthropic", baseUrl: `${SANDBOX.baseUrl}/`, model: "m", body, stream: true });
    expect(snippets.map((s) => s.lang)).toEqual(["curl", "python_sdk", "typescript_sdk", "python_requests", "javascript_fetch"]);
    for (const s of snippets) {
      expect(s.code).toContain(`${SANDBOX.baseUrl}/anthropic/v1/messages`);
      expect(s.code).toContain("ANYINT_API_KEY");
      expect(s.code).toContain('"text": "hi"');
      expect(s.code).not.toMatch(/sk-/);
    }
    // curl sends the body through a quoted heredoc, byte for byte.
    const heredoc = /<<'JSON'\n([\s\S]*)\nJSON\n$/.exec(snippets[0]?.code ?? "")?.[1];
    expect(JSON.parse(heredoc ?? "null")).toEqual(body);
  });
});
