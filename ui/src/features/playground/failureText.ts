// What broke, in words: chosen by the failure's kind only (the gateway's message is shown
// underneath). No `default`: a kind added in Rust is a type error here until it is worded.
import type { RunFailure } from "../../ipc";

export function describeFailure(f: RunFailure): { title: string; action: string } {
  switch (f.kind) {
    case "http":
      return {
        title: `The gateway answered HTTP ${f.status ?? "?"}.`,
        action:
          f.retryAfterS !== null
            ? `It asks to wait ${f.retryAfterS} s before trying again.`
            : f.status !== null && f.status >= 500
              ? "The gateway or the model is having trouble: try again, or another model."
              : "Check the request (the gateway's words are below).",
      };
    case "unreachable":
      return { title: "The gateway could not be reached.", action: "Check the connection's base URL and your network." };
    case "timeout":
      return { title: "The gateway did not answer in time.", action: "Try again; a long prompt may need a larger timeout." };
    case "reset":
      return { title: "The connection broke mid-stream.", action: "Everything received is kept above; send again to retry." };
    case "truncated":
      return { title: "The stream ended before the answer was finished.", action: "What arrived is kept above; send again to retry." };
    case "inStreamError":
      return { title: "The gateway reported an error inside the stream.", action: "What arrived before it is kept above." };
    case "malformed":
      return { title: "The gateway sent something that is not this family's format.", action: "What arrived before it is kept above; the wire tab shows the event." };
    case "idleTimeout":
      return { title: "The stream went silent.", action: "It ended on the idle timeout; what arrived is kept. Raise the timeout for slow models." };
    case "stopped":
      return { title: "Stopped.", action: "The answer so far is kept." };
  }
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
