// The fake backend's shape. Handlers are typed against the generated `Commands` table, so a
// command the Rust side gains, or an answer of the wrong shape, breaks `npm run check` here
// instead of letting tests pass against a backend that no longer exists.
import type {
  AuditEntry,
  CommandName,
  ConnectionTest,
  Commands,
  Connection,
  Conversation,
  Environment,
  IpcError,
  KeyRecord,
  ModelInfo,
  Outcome,
  RotationPlan,
  RunFailure,
  Settings,
  Theme,
  Turn,
} from "../index";
import type { AdvisorFake } from "./advisorHandlers";
import type { CallbackInboxFake } from "./callbackHandlers";
import type { CompareFake } from "./compareHandlers";
import type { ModelChoiceFake } from "./modelChoiceHandlers";
import type { TaskCenterFake } from "./taskHandlers";

/** How the fake answers one command: the arguments as sent, the result as Rust would return it. */
export type Handler<K extends CommandName> = (
  args: Commands[K]["args"],
) => Commands[K]["result"] | Promise<Commands[K]["result"]>;

/** One handler per command of the contract; leaving one out is a type error. */
export type Handlers = { [K in CommandName]: Handler<K> };

/**
 * Who answers what: fakeBackend.ts the connection commands (and the start-up mark),
 * playgroundHandlers.ts the playground, historyHandlers.ts the history, taskHandlers.ts the task
 * center, keyHandlers.ts all the others (so a new command lands there).
 */
export type ConnectionCommand =
  | "connections_list"
  | "connection_add"
  | "connection_update"
  | "connection_activate"
  | "connection_environment"
  | "models_list"
  | "first_screen_shown";
/** Answered by fakeBackend.ts too: the stored theme choice. */
export type AppearanceCommand = "theme_get" | "theme_set";
export type PlaygroundCommand = "playground_send" | "playground_stop" | "count_tokens" | "playground_snippets";
export type HistoryCommand = Extract<CommandName, `history_${string}`>;
/** callbackHandlers.ts: the local callback inbox (its task list too, though it starts `task_`). */
export type CallbackCommand = "callback_inbox_status" | "callback_inbox_set" | "task_callbacks";
export type TaskCommand = Exclude<Extract<CommandName, `task_${string}` | `tasks_${string}`>, CallbackCommand>;
export type SettingsCommand = Extract<CommandName, `settings_${string}`>;
export type ModelChoiceCommand = Extract<
  CommandName,
  `workload_${string}` | `workloads_${string}` | `usage_${string}` | `price_${string}` | `prices_${string}` | "fallback_log"
>;
/** compareHandlers.ts: compare runs and saved comparisons. */
export type CompareCommand = Extract<CommandName, `compare_${string}` | `comparison_${string}` | `comparisons_${string}`>;
/** advisorHandlers.ts: the model advisor and its eval sets. */
export type AdvisorCommand = Extract<CommandName, `advise_${string}` | "advice_list" | "evalset_parse">;
export type KeyCommand = Exclude<
  CommandName,
  | ConnectionCommand
  | AppearanceCommand
  | PlaygroundCommand
  | HistoryCommand
  | TaskCommand
  | CallbackCommand
  | SettingsCommand
  | ModelChoiceCommand
  | CompareCommand
  | AdvisorCommand
>;

/** A recorded call of command `K`, with its arguments as they crossed the boundary. */
export interface CallOf<K extends CommandName> {
  cmd: K;
  args: Commands[K]["args"];
}

/** Any recorded call; narrow on `cmd` to get typed `args`. */
export type Call = { [K in CommandName]: CallOf<K> }[CommandName];

export interface FakeBackend {
  /**
   * The stored connections. `keySource`/`maskedKey` here are what a connection uses when no
   * vault key is bound for its current environment; answers put the bound key on top, as
   * Rust's `describe` does (see `describeConnection`).
   */
  connections: Connection[];
  models: Record<string, ModelInfo[]>;
  calls: Call[];
  /** Next models_list answers with this error instead of a list (once per queued entry). */
  modelsErrors: IpcError[];
  /** Next connection_add rejects with this. */
  addError: IpcError | null;
  fromCache: boolean;
  /** The stored theme choice (theme_get / theme_set). */
  theme: Theme;
  /** When set, models_list waits for this promise before answering (to observe loading). */
  gate: Promise<void> | null;
  callsTo<K extends CommandName>(cmd: K): CallOf<K>[];

  // ---- key vault
  keys: KeyRecord[];
  /** The fake keychain: key id → secret. Test-only; the real secrets never reach the UI. */
  keychain: Record<string, string>;
  /** When set, keychain_status and every keychain write reject with it. */
  keychainError: IpcError | null;
  /** What the gateway says about a secret; unknown secrets are `invalid` (401). */
  gateway: Record<string, { outcome: Outcome; models: string[] }>;
  /** ANYINT_API_KEY as the backend process would see it. */
  envKey: string | null;
  bindings: Binding[];
  /** Rotations verified and not yet committed, by old key id (stored, as in SQLite + keychain). */
  rotations: Record<string, { secret: string; plan: RotationPlan }>;
  audit: AuditEntry[];
  /** The next call of a command rejects with this error (once), e.g. `failNext.key_copy`. */
  failNext: Partial<Record<CommandName, IpcError>>;
  /** The text of the last hand-off file keys_export_handoff "wrote" (see `handoffFile`). */
  lastHandoff: string | null;

  // ---- playground (see playgroundHandlers.ts)
  /**
   * When set, a streamed run pauses after its first chunk (a non-stream run after the response
   * head) until this resolves or the run is stopped: lets a test see the answer growing and
   * press Stop. Every run waits on it while it is set.
   */
  playgroundGate: Promise<void> | null;
  /**
   * The next run ends with this failure (once). Kinds the gateway can only give before an
   * answer (`http`, `unreachable`, `timeout`) fail the run with nothing received (`failed`;
   * `http` with a response head of `status` and an error body); any other kind breaks the
   * stream after its first chunk (`partial`, the text so far kept).
   */
  playgroundFailure: RunFailure | null;
  /** The next playground_send rejects with this (once), before any event, e.g. `no_key`. */
  playgroundError: IpcError | null;

  // ---- history (see historyHandlers.ts); every stored run lands here
  /** Most recently active first, as history_conversations lists them. */
  conversations: Conversation[];
  /** Every conversation's turns; `seq` is gap-free within a conversation. */
  turns: Turn[];
  /** The JSON text of the last conversation history_export "wrote". */
  lastExport: string | null;

  // ---- task center (see taskHandlers.ts)
  taskCenter: TaskCenterFake;
  // ---- settings (see settingsHandlers.ts)
  settings: Settings;
  /** The fake keychain's proxy password entry. Test-only; the UI is never given it. */
  proxyPassword: string | null;
  /** What the next settings_test_connection answers (once); by default every step is ok. */
  nextConnectionTest: ConnectionTest | null;

  // ---- callback inbox (see callbackHandlers.ts)
  callbackInbox: CallbackInboxFake;
  /** Workloads, prices, the fallback log and canned usage (see modelChoiceHandlers.ts). */
  modelChoice: ModelChoiceFake;
  /** Saved comparisons and how each model answers (see compareHandlers.ts). */
  compare: CompareFake;
  /** Past advice and how each model answers each case (see advisorHandlers.ts). */
  advisor: AdvisorFake;
}

/** Which key a connection uses in one environment (Rust's `bindings` table). */
export interface Binding {
  connectionId: string;
  environment: Environment;
  keyId: string;
}
