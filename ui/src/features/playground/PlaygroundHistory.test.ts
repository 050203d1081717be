// @vitest-environment jsdom
// The Playground's history panel as a user drives it, through App and the fake backend: every
// send lands in a conversation (one per family), search finds it, and a turn can be reopened,
// re-run, forked or deleted. jsdom for the Markdown answer (see PlaygroundScreen.test.ts).
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { installFakeBackend, sandboxReply } from "../../ipc/testing/fakeBackend";
import { $, $$, ask, conversationIds, openPlayground, send, status, text, type } from "./playgroundTesting";

const turns = () => $$("#pg-turns li[data-turn-id]");
const requests = (fake: ReturnType<typeof installFakeBackend>) => fake.callsTo("playground_send").map((c) => c.args.request);

/** Sends one Anthropic prompt and opens its conversation in the panel. */
async function oneConversation(prompt = "Hello there") {
  const fake = await openPlayground();
  await ask(prompt);
  await waitFor(() => expect(conversationIds()).toHaveLength(1));
  await fireEvent.click($("#pg-conversations button.conversation")!);
  await waitFor(() => expect(turns()).toHaveLength(1));
  return fake;
}

describe("Playground history: listing and search", () => {
  it("lists the conversation of a send at once, titled by its prompt", async () => {
    const fake = await openPlayground();
    expect(text("#pg-conversations")).toContain("No conversations yet");
    await ask("Hello there");
    await waitFor(() => expect(conversationIds()).toEqual([fake.conversations[0]?.id]));
    expect(text("#pg-conversations")).toContain("Hello there");
    expect(text("#pg-conversations")).toContain("anthropic");
    expect(text("#pg-conversations")).toContain("1 turn");
  });

  it("finds the turn by a word of its answer once the typing pauses, and opens it", async () => {
    await openPlayground();
    await ask("Hello there");
    await waitFor(() => expect(conversationIds()).toHaveLength(1));
    await type("#pg-history-search", "sandbox");
    await waitFor(() => expect($$("#pg-history-hits button.hit")).toHaveLength(1));
    expect(text("#pg-history-hits mark").toLowerCase()).toBe("sandbox");

    await type("#pg-history-search", "nothing-like-it");
    await waitFor(() => expect(text("#pg-history-hits")).toContain("No turn matches"));
    await type("#pg-history-search", "hello");
    await waitFor(() => expect($$("#pg-history-hits button.hit")).toHaveLength(1));
    await fireEvent.click($("#pg-history-hits button.hit")!);
    await waitFor(() => expect(turns()).toHaveLength(1));
    await type("#pg-history-search", "");
    expect($("#pg-history-hits")).toBeNull();
  });
});

describe("Playground history: a conversation's turns", () => {
  it("shows each turn with Reopen, Re-run, Fork here and Delete", async () => {
    await oneConversation();
    const turn = turns()[0]!;
    expect(turn.dataset.status).toBe("complete");
    expect(turn.textContent).toContain("Hello there");
    expect(turn.textContent).toContain(sandboxReply("Hello there"));
    expect([...turn.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Reopen", "Re-run", "Fork here", "Delete"]);
  });

  it("reopens a turn into the editor, joining its conversation", async () => {
    const fake = await oneConversation();
    await fireEvent.click($("#pg-new")!);
    expect($<HTMLTextAreaElement>("#an-msg-0-text-0")?.value).toBe("");
    await fireEvent.click($("#pg-turns .turn-reopen")!);
    await waitFor(() => expect($<HTMLTextAreaElement>("#an-msg-0-text-0")?.value).toBe("Hello there"));
    expect(text(".request")).toContain(`Continuing conversation ${fake.conversations[0]?.id ?? "?"}`);
    await send();
    expect(requests(fake)[1]?.conversationId).toBe(fake.conversations[0]?.id);
  });

  it("re-runs a turn in its conversation, and the open list of turns grows", async () => {
    const fake = await oneConversation();
    await fireEvent.click($("#pg-turns .turn-rerun")!);
    await waitFor(() => expect(requests(fake)).toHaveLength(2));
    await waitFor(() => expect(status()).toBe("complete"));
    expect(requests(fake)[1]?.conversationId).toBe(fake.conversations[0]?.id);
    expect(requests(fake)[1]?.body).toEqual(requests(fake)[0]?.body);
    await waitFor(() => expect(turns()).toHaveLength(2));
    expect(text("#pg-conversations")).toContain("2 turns");
  });

  it("forks a conversation at a turn: a new conversation the next send joins", async () => {
    const fake = await oneConversation();
    const original = fake.conversations[0]?.id;
    await fireEvent.click($("#pg-turns .turn-fork")!);
    await waitFor(() => expect(conversationIds()).toHaveLength(2));
    const fork = fake.conversations.find((c) => c.forkedFrom !== null);
    expect(fork?.forkedFrom?.conversationId).toBe(original);
    expect(conversationIds()[0]).toBe(fork?.id);
    await waitFor(() => expect(text(".request")).toContain(`Continuing conversation ${fork?.id ?? "?"}`));
    await send();
    expect(requests(fake)[1]?.conversationId).toBe(fork?.id);
    expect(fake.turns.filter((t) => t.conversationId === fork?.id)).toHaveLength(2);
  });

  it("deletes a turn, then the whole conversation", async () => {
    const fake = await oneConversation();
    await fireEvent.click($("#pg-turns .turn-rerun")!);
    await waitFor(() => expect(turns()).toHaveLength(2));
    await fireEvent.click(turns()[1]!.querySelector(".turn-delete")!);
    await waitFor(() => expect(turns()).toHaveLength(1));
    expect(fake.turns).toHaveLength(1);

    await fireEvent.click($("#pg-history-delete")!);
    await waitFor(() => expect(conversationIds()).toEqual([]));
    expect($("#pg-turns")).toBeNull();
    expect(fake.conversations).toEqual([]);
  });

  it("starts a new conversation after deleting the one being continued, so the next turn is stored", async () => {
    const fake = await oneConversation();
    await fireEvent.click($("#pg-history-delete")!);
    await waitFor(() => expect(conversationIds()).toEqual([]));
    await waitFor(() => expect(text(".request")).not.toContain("Continuing conversation"));
    await send();
    expect(requests(fake)[1]?.conversationId).toBeNull();
    await waitFor(() => expect(conversationIds()).toHaveLength(1));
    expect(fake.turns).toHaveLength(1);
  });

  it("locks Reopen, Re-run and Fork while a run is in flight", async () => {
    const fake = await oneConversation();
    fake.playgroundGate = new Promise<void>(() => {});
    await fireEvent.click($("#pg-send")!);
    await waitFor(() => expect($("#pg-stop")).not.toBeNull());
    for (const cls of ["turn-reopen", "turn-rerun", "turn-fork"]) {
      expect($<HTMLButtonElement>(`#pg-turns .${cls}`)?.disabled).toBe(true);
    }
    await fireEvent.click($("#pg-stop")!);
    await waitFor(() => expect($<HTMLButtonElement>("#pg-turns .turn-rerun")?.disabled).toBe(false));
  });
});

describe("Playground history: one conversation per family", () => {
  it("starts a new conversation for a Gemini send after an Anthropic one, and each family continues its own", async () => {
    const fake = await openPlayground();
    await ask("Hello there");
    await waitFor(() => expect(conversationIds()).toHaveLength(1));
    const anthropic = fake.conversations[0]?.id;

    await fireEvent.click($("#pg-family-gemini")!);
    await type("#ge-content-0-text-0", "Hallo Gemini");
    await send();
    await waitFor(() => expect(conversationIds()).toHaveLength(2));
    expect(requests(fake)[1]?.family).toBe("gemini");
    expect(requests(fake)[1]?.conversationId).toBeNull();
    const gemini = fake.conversations.find((c) => c.family === "gemini")?.id;
    expect(gemini).not.toBe(anthropic);

    await fireEvent.click($("#pg-family-anthropic")!);
    await send();
    expect(requests(fake)[2]?.conversationId).toBe(anthropic);
    await fireEvent.click($("#pg-family-gemini")!);
    await send();
    expect(requests(fake)[3]?.conversationId).toBe(gemini);
    await waitFor(() => expect(text("#pg-conversations")).not.toContain("1 turn"));
  });
});
