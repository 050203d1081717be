// State of the Playground screen: one body per family (the editors' single source of truth),
// the run in flight or last finished, the live token count, the code export, and which
// conversation new turns join. Kept outside the component so switching screens keeps a
// half-written prompt and the last answer.
import * as ipc from "../../ipc";
import type { ChatFamily, IpcError, ModelInfo, PlaygroundRequest, Snippet, Workload } from "../../ipc";
import { toIpcError } from "../../ipc";
import * as anthropic from "./editors/anthropic";
import type { ModelChoice } from "./editors/family";
import * as gemini from "./editors/gemini";
import type { Obj } from "./editors/json";
import * as openaiChat from "./editors/openaiChat";
import * as responses from "./editors/responses";
import { appendAssistantText, appendUser, followUp, type ToolResult } from "./editors/tools";
import { PlaygroundRun } from "./run.svelte";

/** The model each family starts with when the Models list has it (the Sandbox does). */
const PREFERRED: Record<ChatFamily, string[]> = {
  openai_chat: ["gpt-5", "gpt-5-mini"],
  openai_responses: ["gpt-5", "gpt-5-mini"],
  anthropic: ["claude-sonnet-4-6", "claude-haiku-4-5"],
  gemini: ["gemini-2.5-pro", "gemini-2.0-flash"],
};
const PREFIX: Record<ChatFamily, string> = { openai_chat: "gpt", openai_responses: "gpt", anthropic: "claude", gemini: "gemini" };

/** How long the live count waits after the last keystroke before asking the gateway. */
export const COUNT_DEBOUNCE_MS = 400;

function starterBody(family: ChatFamily, model: string): Obj {
  switch (family) {
    case "openai_chat":
      return openaiChat.toBody(openaiChat.defaultForm(model), { stream: true });
    case "openai_responses":
      return responses.toBody(responses.defaultForm(model), { stream: true });
    case "anthropic":
      return anthropic.toBody(anthropic.defaultForm(model), { stream: true });
    case "gemini":
      return gemini.toBody(gemini.defaultForm(model), { stream: true });
  }
}

/** An empty or unusable field leaves the backend's default, rather than `Math.max(1, null)`'s one
 *  second, which would end any stream pausing for longer. */
function idleMs(seconds: number | null): number | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return null;
  return Math.round(Math.max(1, seconds) * 1000);
}

let runCounter = 0;
function newRunId(): string {
  runCounter += 1;
  return `run-${Date.now().toString(36)}-${runCounter}`;
}

export class PlaygroundStore {
  family = $state<ChatFamily>("anthropic");
  bodies = $state<Record<ChatFamily, Obj>>({
    openai_chat: starterBody("openai_chat", "gpt-5"),
    openai_responses: starterBody("openai_responses", "gpt-5"),
    anthropic: starterBody("anthropic", "claude-sonnet-4-6"),
    gemini: starterBody("gemini", "gemini-2.5-pro"),
  });
  /** Gemini names the model and streaming in the path, not the body. */
  geminiModel = $state("gemini-2.5-pro");
  geminiStream = $state(true);
  models = $state<ModelChoice[]>([]);
  /** What stops sending now (invalid raw JSON, a missing required field), per family. */
  problems = $state<Record<ChatFamily, string | null>>({ openai_chat: null, openai_responses: null, anthropic: null, gemini: null });
  /** Seconds; bound to a number input, which gives null while it is empty. */
  idleTimeoutS = $state<number | null>(60);
  run = $state<PlaygroundRun | null>(null);
  running = $state(false);
  runId: string | null = null;
  /** The conversation each family's next turn joins (a conversation has one family); null
   *  starts a new one. */
  conversations = $state<Record<ChatFamily, string | null>>({ openai_chat: null, openai_responses: null, anthropic: null, gemini: null });
  tokenCount = $state<number | null>(null);
  tokenError = $state<IpcError | null>(null);
  snippets = $state<Snippet[]>([]);
  snippetsError = $state<IpcError | null>(null);
  /** The saved workloads (Choice screen); a send under one goes through its fallback policy. */
  workloads = $state<Workload[]>([]);
  /** The chosen workload's name; null is a plain send to the editor's model. */
  workloadName = $state<string | null>(null);
  /** Consent, given before the send, to a paid-tier workload's fallback. */
  consent = $state(false);
  /** A Sandbox fault put on the primary's attempts (a rehearsal); "" for none. */
  rehearseFault = $state("");
  /** The active connection is the Sandbox (set by the screen): only there is a rehearsal sent. */
  sandbox = $state(false);

  private countTimer: ReturnType<typeof setTimeout> | null = null;
  private modelsPicked = false;
  private countSeq = 0;
  private snippetsSeq = 0;

  body = $derived(this.bodies[this.family]);
  conversationId = $derived(this.conversations[this.family]);
  problem = $derived(this.problems[this.family]);
  canSend = $derived(!this.running && this.problem === null);
  stream = $derived(this.family === "gemini" ? this.geminiStream : this.bodies[this.family].stream === true);
  model = $derived(this.family === "gemini" ? this.geminiModel : String(this.bodies[this.family].model ?? ""));
  /** The chosen workload, when it is for the family shown (a fallback keeps the family). */
  workload = $derived(this.workloads.find((w) => w.name === this.workloadName && w.family === this.family) ?? null);

  async loadWorkloads(): Promise<void> {
    try {
      this.workloads = await ipc.workloadsList();
    } catch {
      // No list: the picker offers "none", which is the plain send.
      this.workloads = [];
    }
  }

  /** Picks a workload (null: none); the editor's model becomes its primary, which it sends to. */
  chooseWorkload(name: string | null): void {
    this.workloadName = name;
    this.consent = false;
    const w = this.workload;
    if (!w) return;
    if (this.family === "gemini") this.geminiModel = w.primary;
    else this.bodies[this.family] = { ...this.bodies[this.family], model: w.primary };
    this.scheduleCount();
  }

  /** Fills the model pickers from the Models cache and picks each family's starting model. */
  async loadModels(): Promise<void> {
    try {
      const view = await ipc.modelsList(false);
      this.models = view.models.map((m: ModelInfo) => ({ id: m.id, displayName: m.displayName }));
      // Only the first list picks the starting models: the screen loads the list each time it
      // mounts, and a model the user typed since (free text, maybe not listed) must stay.
      if (this.modelsPicked || this.models.length === 0) return;
      this.modelsPicked = true;
      for (const family of Object.keys(PREFERRED) as ChatFamily[]) {
        const ids = this.models.map((m) => m.id);
        const pick = PREFERRED[family].find((id) => ids.includes(id)) ?? ids.find((id) => id.startsWith(PREFIX[family]));
        if (pick && family === "gemini") this.geminiModel = pick;
        else if (pick && !ids.includes(String(this.bodies[family].model ?? ""))) {
          this.bodies[family] = { ...this.bodies[family], model: pick };
        }
      }
    } catch {
      // The pickers take free text: no list is an inconvenience, not an error to show here.
      this.models = [];
    }
  }

  setBody(family: ChatFamily, body: Obj): void {
    this.bodies[family] = body;
    if (family === this.family) this.scheduleCount();
  }

  setProblem(family: ChatFamily, problem: string | null): void {
    this.problems[family] = problem;
  }

  selectFamily(family: ChatFamily): void {
    // The family's editor is built anew from its body, which is always the last sendable one:
    // a problem the old editor reported (its raw text is gone with it) no longer holds.
    if (family !== this.family) this.problems[family] = null;
    this.family = family;
    this.tokenCount = null;
    this.tokenError = null;
    this.scheduleCount();
  }

  /** Starts a new conversation: the next turn does not join the previous one. */
  newConversation(): void {
    this.conversations[this.family] = null;
    this.run = null;
    const family = this.family;
    this.bodies[family] = starterBody(family, family === "gemini" ? this.geminiModel : this.model);
    this.scheduleCount();
  }

  /** A conversation was deleted from the history: a family that was continuing it starts anew
   *  (the backend would not store turns joining a conversation that is gone). */
  forget(conversationId: string): void {
    for (const family of Object.keys(this.conversations) as ChatFamily[]) {
      if (this.conversations[family] === conversationId) this.conversations[family] = null;
    }
  }

  async send(): Promise<void> {
    if (!this.canSend) return;
    const run = new PlaygroundRun();
    const runId = newRunId();
    this.run = run;
    this.runId = runId;
    this.running = true;
    const request: PlaygroundRequest = {
      runId,
      family: this.family,
      model: this.model,
      body: this.body,
      stream: this.stream,
      idleTimeoutMs: idleMs(this.idleTimeoutS),
      conversationId: this.conversationId,
    };
    const workload = this.workload;
    try {
      let summary;
      if (workload) {
        const result = await ipc.workloadRun(
          { ...request, model: workload.primary },
          workload.name,
          { consent: workload.paidTier && this.consent, rehearseFault: this.sandbox && this.rehearseFault ? this.rehearseFault : null, connectionId: null },
          (event) => run.take(event),
        );
        run.workload = result;
        summary = result.summary;
      } else {
        summary = await ipc.playgroundRun(request, (event) => run.take(event));
      }
      // A Done event may have been the last message; the resolved summary is the same one.
      if (!run.summary) run.take({ type: "done", summary });
      this.conversations[summary.family] = summary.conversationId ?? this.conversations[summary.family];
    } catch (e) {
      run.error = toIpcError(e);
    } finally {
      this.running = false;
      this.runId = null;
    }
  }

  /** Stop: the backend drops the stream (closing the connection); the answer so far stays. */
  async stop(): Promise<void> {
    if (!this.runId) return;
    await ipc.playgroundStop(this.runId);
  }

  /** After a reply: appends it and the user's next message in the family's own shape. */
  continueWith(text: string): void {
    const answer = this.run?.summary?.transcript.text ?? "";
    let body = appendAssistantText(this.family, this.body, answer);
    body = appendUser(this.family, body, text);
    this.setBody(this.family, body);
  }

  /** Sends the tool results the user typed, as the family's follow-up turn. */
  async sendToolResults(results: ToolResult[]): Promise<void> {
    const t = this.run?.summary?.transcript;
    if (!t) return;
    const body = followUp(this.family, this.body, { text: t.text, thinking: t.thinking, toolCalls: t.toolCalls, responseId: t.responseId }, results);
    this.setBody(this.family, body);
    await this.send();
  }

  /** Loads a stored request into its editor (reopen, fork, re-run). */
  load(family: ChatFamily, request: unknown, model: string, conversationId: string | null): void {
    // The editor is locked while a run is in flight, and that run's end would overwrite the
    // conversation chosen here.
    if (this.running) return;
    if (family !== this.family) {
      this.problems[family] = null;
      this.tokenCount = null;
      this.tokenError = null;
    }
    this.family = family;
    if (request && typeof request === "object" && !Array.isArray(request)) {
      this.bodies[family] = request as Obj;
    }
    if (family === "gemini") this.geminiModel = model;
    this.conversations[family] = conversationId;
    this.run = null;
    this.scheduleCount();
  }

  async loadSnippets(baseUrl: string): Promise<void> {
    // Reloaded on every edit while the code view is open: an older answer arriving late must
    // not replace the code of the newer body.
    const seq = ++this.snippetsSeq;
    try {
      const snippets = await ipc.playgroundSnippets({ family: this.family, baseUrl, model: this.model, body: this.body, stream: this.stream });
      if (seq !== this.snippetsSeq) return;
      this.snippets = snippets;
      this.snippetsError = null;
    } catch (e) {
      if (seq === this.snippetsSeq) this.snippetsError = toIpcError(e);
    }
  }

  /** Anthropic and Gemini count tokens on their own route, debounced as the prompt changes. */
  scheduleCount(): void {
    if (this.countTimer) clearTimeout(this.countTimer);
    // A count still in flight is for a body (or family) that is no longer current.
    this.countSeq++;
    if (this.family !== "anthropic" && this.family !== "gemini") {
      this.tokenCount = null;
      return;
    }
    this.countTimer = setTimeout(() => void this.count(), COUNT_DEBOUNCE_MS);
  }

  /** The screen is gone: no count is asked for, and one in flight is dropped. */
  cancelCount(): void {
    if (this.countTimer) clearTimeout(this.countTimer);
    this.countTimer = null;
    this.countSeq++;
  }

  private async count(): Promise<void> {
    const seq = ++this.countSeq;
    try {
      const n = await ipc.countTokens({ family: this.family, model: this.model, body: this.body });
      // An older answer arriving late must not overwrite a newer count.
      if (seq === this.countSeq) {
        this.tokenCount = n;
        this.tokenError = null;
      }
    } catch (e) {
      if (seq === this.countSeq) {
        this.tokenCount = null;
        this.tokenError = toIpcError(e);
      }
    }
  }
}
