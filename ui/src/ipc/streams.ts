// Streaming commands take a Tauri Channel; features get a plain callback instead, so only this
// folder knows about @tauri-apps/api. Events of one network chunk arrive together (see
// PlaygroundEvent in Rust), so `onEvent` runs once per chunk, not once per token.
import { Channel } from "@tauri-apps/api/core";
import { playgroundSend } from "./bindings/commands";
import type { PlaygroundEvent } from "./bindings/PlaygroundEvent";
import type { PlaygroundRequest } from "./bindings/PlaygroundRequest";
import type { RunSummary } from "./bindings/RunSummary";

/** Runs a playground request; resolves with the summary once the turn is stored. */
export function playgroundRun(request: PlaygroundRequest, onEvent: (event: PlaygroundEvent) => void): Promise<RunSummary> {
  const channel = new Channel<PlaygroundEvent>();
  channel.onmessage = onEvent;
  return playgroundSend(request, channel);
}
