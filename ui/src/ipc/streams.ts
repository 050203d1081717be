// Streaming commands take a Tauri Channel; features get a plain callback instead, so only this
// folder knows about @tauri-apps/api. Events of one network chunk arrive together (see
// PlaygroundEvent in Rust), so `onEvent` runs once per chunk, not once per token.
import { Channel } from "@tauri-apps/api/core";
import type { Advice } from "./bindings/Advice";
import type { AdviseEvent } from "./bindings/AdviseEvent";
import type { AdviseRequest } from "./bindings/AdviseRequest";
import { adviseRun, compareRun, playgroundSend, taskNotificationClicks, tasksWatch, workloadSend } from "./bindings/commands";
import type { CompareEvent } from "./bindings/CompareEvent";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { Comparison } from "./bindings/Comparison";
import type { PlaygroundEvent } from "./bindings/PlaygroundEvent";
import type { PlaygroundRequest } from "./bindings/PlaygroundRequest";
import type { RunOptions } from "./bindings/RunOptions";
import type { RunSummary } from "./bindings/RunSummary";
import type { WorkloadRun } from "./bindings/WorkloadRun";
import type { TaskTransition } from "./bindings/TaskTransition";

/** Runs a playground request; resolves with the summary once the turn is stored. */
export function playgroundRun(request: PlaygroundRequest, onEvent: (event: PlaygroundEvent) => void): Promise<RunSummary> {
  const channel = new Channel<PlaygroundEvent>();
  channel.onmessage = onEvent;
  return playgroundSend(request, channel);
}

/** Runs a comparison; every column's events arrive on `onEvent`; resolves with the saved comparison. */
export function runCompare(request: CompareRequest, onEvent: (event: CompareEvent) => void): Promise<Comparison> {
  const channel = new Channel<CompareEvent>();
  channel.onmessage = onEvent;
  return compareRun(request, channel);
}

/** Runs the advisor; per-case progress arrives on `onEvent`; resolves with the saved advice. */
export function runAdvise(request: AdviseRequest, onEvent: (event: AdviseEvent) => void): Promise<Advice> {
  const channel = new Channel<AdviseEvent>();
  channel.onmessage = onEvent;
  return adviseRun(request, channel);
}

/**
 * Runs a playground request under workload `workload`: its primary answers, or its fallback
 * where the policy allows; the same events as a plain run (the answering attempt's), then the
 * attempts and the fallback, if any.
 */
export function workloadRun(
  request: PlaygroundRequest,
  workload: string,
  options: RunOptions,
  onEvent: (event: PlaygroundEvent) => void,
): Promise<WorkloadRun> {
  const channel = new Channel<PlaygroundEvent>();
  channel.onmessage = onEvent;
  return workloadSend(request, workload, options, channel);
}

/**
 * Listens to the task center for the window's lifetime: `onTransition` runs for every state
 * change of any task. Resolves with the number of tasks running now, so the status bar is right
 * before the first change arrives.
 */
export function watchTasks(onTransition: (transition: TaskTransition) => void): Promise<number> {
  const channel = new Channel<TaskTransition>();
  channel.onmessage = onTransition;
  return tasksWatch(channel);
}

/**
 * Listens for clicks on task notifications: `onOpen` gets the task's id (Rust has already
 * raised and focused the window). Resolves with a click that arrived before the window
 * listened (the app was started or reloaded by it), if any.
 */
export function watchNotificationClicks(onOpen: (taskId: string) => void): Promise<string | null> {
  const channel = new Channel<string>();
  channel.onmessage = onOpen;
  return taskNotificationClicks(channel);
}
