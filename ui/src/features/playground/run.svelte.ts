// One playground run as the window sees it: the answer growing as chunks arrive, the wire
// (request, response head, SSE timeline) for the inspector, and the summary at the end.
//
// Speed: the backend merges a fast stream's chunks into about one message a frame
// (anyint_core::batch), but messages and frames are not in step. Each message's events are
// folded into plain (non-reactive) buffers at once, and the reactive state is refreshed at
// most once per animation frame, so the DOM work follows the screen's rate, not the wire's.
// The timeline array only ever grows by push; the inspector gets a new array reference per
// frame (a cheap slice of references) so its virtual list sees the change.
import type {
  ChatEvent,
  IpcError,
  PlaygroundEvent,
  RunSummary,
  SentRequest,
  ToolCall,
  WireEvent,
  WireResponse,
  WorkloadRun,
} from "../../ipc";

export interface LiveAnswer {
  text: string;
  thinking: string;
  refusal: string;
  toolCalls: ToolCall[];
}

export class PlaygroundRun {
  request = $state<SentRequest | null>(null);
  response = $state<WireResponse | null>(null);
  /** A non-stream body or an error body, as received (bounded by the backend). */
  body = $state<string | null>(null);
  answer = $state<LiveAnswer>({ text: "", thinking: "", refusal: "", toolCalls: [] });
  events = $state.raw<WireEvent[]>([]);
  summary = $state<RunSummary | null>(null);
  /** The run could not be made at all (no key, no connection): the boundary error. */
  error = $state<IpcError | null>(null);
  /** A run under a workload: its attempts and its fallback, once it ended. */
  workload = $state<WorkloadRun | null>(null);

  // The buffers the wire writes into; flushed into the state above once per frame.
  private text = "";
  private thinking = "";
  private refusal = "";
  private calls = new Map<number, ToolCall>();
  private timeline: WireEvent[] = [];
  private scheduled = false;
  /** Set by `done`: the summary's transcript is the answer now, and no frame may replace it. */
  private finished = false;

  constructor(private readonly frame: (cb: () => void) => void = defaultFrame) {}

  /** Takes one event from the backend's channel. */
  take(event: PlaygroundEvent): void {
    switch (event.type) {
      case "request":
        // A second request is a workload's next attempt (a retry or the fallback): its answer
        // replaces what the failed attempt streamed; the wire timeline keeps both.
        if (this.request !== null) this.resetAnswer();
        this.request = event.request;
        return;
      case "response":
        this.response = event.response;
        return;
      case "body":
        this.body = event.text;
        return;
      case "chunk":
        for (const w of event.wire) this.timeline.push(w);
        for (const c of event.chat) this.fold(c);
        this.schedule();
        return;
      case "done":
        this.flush();
        this.finished = true;
        this.summary = event.summary;
        // The summary's transcript is the backend's whole answer (a JSON reply has no chunks).
        this.answer = {
          text: event.summary.transcript.text,
          thinking: event.summary.transcript.thinking,
          refusal: event.summary.transcript.refusal,
          toolCalls: event.summary.transcript.toolCalls,
        };
        return;
    }
  }

  private resetAnswer(): void {
    this.text = "";
    this.thinking = "";
    this.refusal = "";
    this.calls = new Map();
    this.body = null;
    this.response = null;
    this.schedule();
  }

  private fold(c: ChatEvent): void {
    switch (c.kind) {
      case "text_delta":
        this.text += c.text;
        return;
      case "thinking_delta":
        this.thinking += c.text;
        return;
      case "refusal":
        this.refusal += c.text;
        return;
      case "tool_call_delta": {
        const call = this.calls.get(c.index) ?? { index: c.index, id: null, name: null, arguments: "" };
        this.calls.set(c.index, {
          index: c.index,
          id: call.id ?? c.id,
          name: call.name ?? c.name,
          arguments: call.arguments + c.argumentsFragment,
        });
        return;
      }
      default: {
        // The summary carries these; the live view shows text and tool calls only. Naming
        // them keeps the switch exhaustive: a new kind from Rust is a type error here.
        const ignored: "meta" | "usage" | "finish" | "gateway_error" = c.kind;
        void ignored;
        return;
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.frame(() => {
      this.scheduled = false;
      // A frame asked for before `done` and drawn after it would put the raw buffers back over
      // the backend's transcript.
      if (!this.finished) this.flush();
    });
  }

  private flush(): void {
    this.answer = {
      text: this.text,
      thinking: this.thinking,
      refusal: this.refusal,
      toolCalls: [...this.calls.values()].sort((a, b) => a.index - b.index),
    };
    this.events = this.timeline.slice();
  }
}

function defaultFrame(cb: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
}
