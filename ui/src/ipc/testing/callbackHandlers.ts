// The fake's local callback inbox: what Rust's desk/inbox.rs and tasks/inbox.rs answer, over
// one array of records. Tests add records with `receive` (as the loopback receiver would when a
// gateway posts a callback); like the real inbox, a repeat of a task's event is recorded with
// `duplicateOf` pointing at the first, and nothing here ever changes a task's state.
import { ErrorCodes, type CallbackEnvelope, type CallbackRecord, type InboxStatus } from "../index";
import { fail, NOW } from "./records";
import type { CallbackCommand, FakeBackend, Handlers } from "./types";

/** The URL the fake's inbox listens on while it is on. */
export const INBOX_URL = "http://127.0.0.1:47123/callbacks";

export interface CallbackInboxFake {
  enabled: boolean;
  /** Whether the active connection can reach loopback (the Sandbox): then the URL is prefilled. */
  reachable: boolean;
  /** Every record, oldest first (`n` is the position + 1). */
  records: CallbackRecord[];
  /** Records a payload for a task as the receiver would; returns the record. */
  receive(taskId: string | null, event: string, body: unknown, envelope?: CallbackEnvelope): CallbackRecord;
}

/** A record with every field filled; `partial` overrides. */
export function callbackRecord(partial: Partial<CallbackRecord> & Pick<CallbackRecord, "n">): CallbackRecord {
  return {
    receivedAt: NOW,
    taskId: null,
    gatewayTaskId: null,
    envelope: "bare",
    event: "complete",
    claimedStatus: "complete",
    duplicateOf: null,
    raw: "{}",
    rawTruncated: false,
    ...partial,
  };
}

export function callbackInboxFake(): CallbackInboxFake {
  const inbox: CallbackInboxFake = {
    enabled: true,
    reachable: true,
    records: [],
    receive(taskId, event, body, envelope = "bare") {
      const first = inbox.records.find((r) => r.taskId === taskId && r.event === event && r.duplicateOf === null);
      const record = callbackRecord({
        n: inbox.records.length + 1,
        taskId,
        gatewayTaskId: taskId === null ? null : `gw-${taskId}`,
        envelope,
        event,
        claimedStatus: event,
        duplicateOf: taskId === null ? null : (first?.n ?? null),
        raw: JSON.stringify(body),
      });
      inbox.records.push(record);
      return record;
    },
  };
  return inbox;
}

export function callbackHandlers(fake: FakeBackend): Pick<Handlers, CallbackCommand> {
  const inbox = fake.callbackInbox;
  const status = (): InboxStatus => ({
    enabled: inbox.enabled,
    url: inbox.enabled ? INBOX_URL : null,
    prefillUrl: inbox.enabled && inbox.reachable ? INBOX_URL : null,
    received: inbox.records.length,
    error: null,
  });
  return {
    callback_inbox_status: status,
    callback_inbox_set: ({ enabled }) => {
      inbox.enabled = enabled;
      return status();
    },
    // Like Desk::task_callbacks: an unknown task is not found.
    task_callbacks: ({ taskId }) => {
      if (!fake.taskCenter.tasks.some((t) => t.row.id === taskId)) {
        fail(ErrorCodes.NotFound, `no task with id \`${taskId}\``);
      }
      return inbox.records.filter((r) => r.taskId === taskId);
    },
  };
}
