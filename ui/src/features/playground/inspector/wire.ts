// Formatting and decoding for the wire inspector. Everything here is O(1) per call or works on
// one event, so that an inspector of 10,000 events does no per-event work beyond what is drawn.
import type { WireEvent } from "./types";

/** JSON pretty-printed with two spaces; anything that is not JSON comes back unchanged. */
export function prettyJson(text: string): { text: string; json: boolean } {
  const trimmed = text.trim();
  if (trimmed === "" || !"{[".includes(trimmed[0] ?? "")) return { text, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

const PREVIEW_SCAN = 400;
const PREVIEW_CHARS = 160;

/** One line of an event's data: whitespace collapsed, cut short (the row also ellipsises). */
export function preview(data: string): string {
  const head = data.length > PREVIEW_SCAN ? data.slice(0, PREVIEW_SCAN) : data;
  const line = head.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_CHARS || data.length > PREVIEW_SCAN ? `${line.slice(0, PREVIEW_CHARS)}…` : line;
}

/** The OpenAI-style end marker is data, not JSON. */
export const DONE = "[DONE]";

export interface Decoded {
  text: string;
  /** What the text is, for the label above it. */
  kind: "json" | "done" | "text";
}

/** An event's data for its unfolded view. Called only when the row is unfolded. */
export function decode(data: string): Decoded {
  if (data.trim() === DONE) return { text: DONE, kind: "done" };
  const pretty = prettyJson(data);
  return { text: pretty.text, kind: pretty.json ? "json" : "text" };
}

/**
 * Does this event end the stream? The terminator is an event name for some families
 * (`message_stop`, `response.completed`), the data itself for others (`[DONE]`), and for Gemini
 * a field of the last chunk (`finishReason`).
 */
export function isTerminator(e: WireEvent, terminator: string): boolean {
  if (terminator === "") return false;
  if (e.event === terminator || e.data.trim() === terminator) return true;
  if (/^[A-Za-z_]\w*$/.test(terminator) && e.data.includes(`"${terminator}"`)) {
    return new RegExp(`"${terminator}"\\s*:\\s*"`).test(e.data);
  }
  return false;
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(2)} MB`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  529: "Overloaded",
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "";
}

/** The app's chip class for a status: the text says the status, the colour only helps. */
export function statusChip(status: number): "chip-ok" | "chip-warn" | "chip-bad" | "chip-muted" {
  if (status >= 200 && status < 300) return "chip-ok";
  if (status === 429) return "chip-warn";
  if (status >= 400) return "chip-bad";
  return "chip-muted";
}

/**
 * Sum of event bytes, kept up to date by adding only the events appended since the last call.
 * Works whether the caller pushes into one array or replaces it with a longer copy; anything
 * else (a new stream, a shorter array) starts the sum again.
 */
export class RunningBytes {
  #count = 0;
  #sum = 0;
  #last: WireEvent | undefined;

  total(events: readonly WireEvent[]): number {
    const n = events.length;
    if (n < this.#count || (this.#count > 0 && events[this.#count - 1] !== this.#last)) {
      this.#count = 0;
      this.#sum = 0;
    }
    for (let i = this.#count; i < n; i++) this.#sum += events[i]?.bytes ?? 0;
    this.#count = n;
    this.#last = events[n - 1];
    return this.#sum;
  }
}
