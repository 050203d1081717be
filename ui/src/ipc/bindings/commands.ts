// Generated from src-tauri/src/commands/table.rs by src-tauri/src/commands/contract.rs.
// Do not edit: `UPDATE_BINDINGS=1 cargo test -p anyint-desk` rewrites it.
import type { Channel } from "@tauri-apps/api/core";
import { call } from "../call";
import type { Advice } from "./Advice";
import type { AdviseEvent } from "./AdviseEvent";
import type { AdviseRequest } from "./AdviseRequest";
import type { Attention } from "./Attention";
import type { AuditEntry } from "./AuditEntry";
import type { CallbackRecord } from "./CallbackRecord";
import type { CompareEvent } from "./CompareEvent";
import type { CompareRequest } from "./CompareRequest";
import type { Comparison } from "./Comparison";
import type { ComparisonSummary } from "./ComparisonSummary";
import type { Connection } from "./Connection";
import type { ConnectionTest } from "./ConnectionTest";
import type { Conversation } from "./Conversation";
import type { Decision } from "./Decision";
import type { DryRunInput } from "./DryRunInput";
import type { Environment } from "./Environment";
import type { EvalSet } from "./EvalSet";
import type { EvalSetFormat } from "./EvalSetFormat";
import type { ExportFormat } from "./ExportFormat";
import type { FallbackLogRow } from "./FallbackLogRow";
import type { GroupBy } from "./GroupBy";
import type { ImportReport } from "./ImportReport";
import type { InboxStatus } from "./InboxStatus";
import type { KeyMetadata } from "./KeyMetadata";
import type { KeyRecord } from "./KeyRecord";
import type { LineageNode } from "./LineageNode";
import type { ModelsView } from "./ModelsView";
import type { NewConnection } from "./NewConnection";
import type { NewKeyInput } from "./NewKeyInput";
import type { Page } from "./Page";
import type { PageRequest } from "./PageRequest";
import type { PlaygroundEvent } from "./PlaygroundEvent";
import type { PlaygroundRequest } from "./PlaygroundRequest";
import type { Price } from "./Price";
import type { RotationPlan } from "./RotationPlan";
import type { RotationResult } from "./RotationResult";
import type { RouteSpec } from "./RouteSpec";
import type { RunOptions } from "./RunOptions";
import type { RunSummary } from "./RunSummary";
import type { SearchHit } from "./SearchHit";
import type { SettingsUpdate } from "./SettingsUpdate";
import type { SettingsView } from "./SettingsView";
import type { Snippet } from "./Snippet";
import type { SnippetRequest } from "./SnippetRequest";
import type { TaskDetail } from "./TaskDetail";
import type { TaskFileRef } from "./TaskFileRef";
import type { TaskFilter } from "./TaskFilter";
import type { TaskPage } from "./TaskPage";
import type { TaskRow } from "./TaskRow";
import type { TaskSubmit } from "./TaskSubmit";
import type { TaskTransition } from "./TaskTransition";
import type { Theme } from "./Theme";
import type { TokenCountRequest } from "./TokenCountRequest";
import type { Turn } from "./Turn";
import type { UsageTotal } from "./UsageTotal";
import type { Verification } from "./Verification";
import type { Workload } from "./Workload";
import type { WorkloadRun } from "./WorkloadRun";

/** Every command the window may call: its arguments as sent, and what it resolves with. */
export interface Commands {
  connections_list: { args: Record<string, never>; result: Array<Connection> };
  connection_add: { args: { input: NewConnection }; result: Connection };
  connection_update: { args: { id: string; input: NewConnection }; result: Connection };
  connection_activate: { args: { id: string }; result: Connection };
  connection_environment: { args: { id: string; environment: Environment }; result: Connection };
  theme_get: { args: Record<string, never>; result: Theme };
  theme_set: { args: { theme: Theme }; result: null };
  models_list: { args: { refresh: boolean }; result: ModelsView };
  first_screen_shown: { args: Record<string, never>; result: null };
  playground_send: { args: { request: PlaygroundRequest; onEvent: Channel<PlaygroundEvent> }; result: RunSummary };
  playground_stop: { args: { runId: string }; result: boolean };
  count_tokens: { args: { request: TokenCountRequest }; result: number };
  playground_snippets: { args: { request: SnippetRequest }; result: Array<Snippet> };
  history_conversations: { args: { page: PageRequest }; result: Page<Conversation> };
  history_turns: { args: { conversationId: string; page: PageRequest }; result: Page<Turn> };
  history_turn: { args: { turnId: string }; result: Turn };
  history_search: { args: { query: string; limit: number }; result: Array<SearchHit> };
  history_fork: { args: { conversationId: string; turnId: string }; result: Conversation };
  history_delete_conversation: { args: { conversationId: string }; result: null };
  history_delete_turn: { args: { turnId: string }; result: null };
  history_export: { args: { conversationId: string }; result: string };
  keychain_status: { args: Record<string, never>; result: null };
  keys_list: { args: Record<string, never>; result: Array<KeyRecord> };
  key_add: { args: { input: NewKeyInput }; result: KeyRecord };
  key_update: { args: { id: string; meta: KeyMetadata }; result: KeyRecord };
  key_delete: { args: { id: string; alsoKeychain: boolean }; result: null };
  key_verify: { args: { id: string }; result: Verification };
  key_bind: { args: { connectionId: string; environment: Environment; keyId: string }; result: Connection };
  key_unbind: { args: { connectionId: string; environment: Environment }; result: Connection };
  key_copy: { args: { id: string }; result: number };
  keys_attention: { args: Record<string, never>; result: Array<Attention> };
  rotation_plan: { args: { oldKeyId: string; newSecret: string }; result: RotationPlan };
  rotation_commit: { args: { oldKeyId: string; keepOld: boolean }; result: RotationResult };
  rotation_cancel: { args: { oldKeyId: string }; result: KeyRecord };
  rotations_pending: { args: Record<string, never>; result: Array<RotationPlan> };
  audit_list: { args: { limit: number }; result: Array<AuditEntry> };
  audit_export: { args: Record<string, never>; result: string };
  keys_export_handoff: { args: { ids: Array<string>; passphrase: string }; result: string };
  keys_import_handoff: { args: { file: string; passphrase: string }; result: ImportReport };
  task_submit: { args: { submit: TaskSubmit }; result: TaskRow };
  tasks_list: { args: { filter: TaskFilter }; result: TaskPage };
  task_detail: { args: { taskId: string }; result: TaskDetail };
  task_cancel: { args: { taskId: string }; result: TaskDetail };
  task_rerun: { args: { taskId: string; submissionId: string }; result: TaskRow };
  task_redownload: { args: { taskId: string }; result: TaskDetail };
  task_lineage: { args: { taskId: string }; result: LineageNode };
  tasks_running: { args: Record<string, never>; result: number };
  task_open_folder: { args: { taskId: string }; result: null };
  task_routes: { args: Record<string, never>; result: Array<RouteSpec> };
  task_input_file: { args: { name: string; mime: string; base64: string }; result: TaskFileRef };
  tasks_watch: { args: { onEvent: Channel<TaskTransition> }; result: number };
  task_notification_clicks: { args: { onEvent: Channel<string> }; result: string | null };
  settings_get: { args: Record<string, never>; result: SettingsView };
  settings_save: { args: { update: SettingsUpdate }; result: SettingsView };
  settings_test_connection: { args: { connectionId: string; edited: SettingsUpdate | null }; result: ConnectionTest };
  callback_inbox_status: { args: Record<string, never>; result: InboxStatus };
  callback_inbox_set: { args: { enabled: boolean }; result: InboxStatus };
  task_callbacks: { args: { taskId: string }; result: Array<CallbackRecord> };
  workloads_list: { args: Record<string, never>; result: Array<Workload> };
  workload_save: { args: { workload: Workload }; result: Workload };
  workload_delete: { args: { name: string }; result: boolean };
  workloads_export: { args: { format: ExportFormat }; result: string };
  workloads_export_save: { args: { format: ExportFormat }; result: string };
  workloads_export_copy: { args: { format: ExportFormat }; result: null };
  workloads_import: { args: { text: string; format: ExportFormat }; result: Array<Workload> };
  workload_dry_run: { args: { name: string; input: DryRunInput; consent: boolean }; result: Array<Decision> };
  workload_send: { args: { request: PlaygroundRequest; workload: string; options: RunOptions; onEvent: Channel<PlaygroundEvent> }; result: WorkloadRun };
  fallback_log: { args: { limit: number }; result: Array<FallbackLogRow> };
  usage_totals: { args: { by: GroupBy }; result: Array<UsageTotal> };
  usage_csv: { args: Record<string, never>; result: string };
  usage_csv_save: { args: Record<string, never>; result: string };
  usage_csv_copy: { args: Record<string, never>; result: null };
  prices_list: { args: Record<string, never>; result: Array<Price> };
  price_save: { args: { price: Price }; result: Price };
  price_delete: { args: { model: string }; result: boolean };
  compare_run: { args: { request: CompareRequest; onEvent: Channel<CompareEvent> }; result: Comparison };
  compare_stop: { args: { compareId: string }; result: boolean };
  comparisons_list: { args: Record<string, never>; result: Array<ComparisonSummary> };
  comparison_get: { args: { id: string }; result: Comparison };
  comparison_keep: { args: { id: string; column: number; kept: boolean }; result: Comparison };
  comparison_delete: { args: { id: string }; result: boolean };
  advise_run: { args: { request: AdviseRequest; onEvent: Channel<AdviseEvent> }; result: Advice };
  advise_stop: { args: { adviseId: string }; result: boolean };
  evalset_parse: { args: { text: string; format: EvalSetFormat }; result: EvalSet };
  advice_list: { args: Record<string, never>; result: Array<Advice> };
}

export type CommandName = keyof Commands;

export function connectionsList(): Promise<Array<Connection>> {
  return call("connections_list", {});
}

/**
 * Rejects plain http:// to another host with `insecure_http` unless `allowInsecureHttp`.
 */
export function connectionAdd(input: NewConnection): Promise<Connection> {
  return call("connection_add", { input });
}

/**
 * Edits an AnyInt connection (name, URL, ANYINT_API_KEY opt-in), with the same checks as adding.
 */
export function connectionUpdate(id: string, input: NewConnection): Promise<Connection> {
  return call("connection_update", { id, input });
}

/**
 * Makes the connection the one every screen uses.
 */
export function connectionActivate(id: string): Promise<Connection> {
  return call("connection_activate", { id });
}

/**
 * Makes `environment` the connection's current one (its key there, if bound, is used).
 */
export function connectionEnvironment(id: string, environment: Environment): Promise<Connection> {
  return call("connection_environment", { id, environment });
}

/**
 * The stored colour theme choice (`system` until one is made).
 */
export function themeGet(): Promise<Theme> {
  return call("theme_get", {});
}

export function themeSet(theme: Theme): Promise<null> {
  return call("theme_set", { theme });
}

/**
 * The active connection's models; `refresh` bypasses the cache and asks the gateway.
 */
export function modelsList(refresh: boolean): Promise<ModelsView> {
  return call("models_list", { refresh });
}

/**
 * The page calls this once its first screen shows data: the app logs the time since it
 * started (the start-up benchmark reads that line).
 */
export function firstScreenShown(): Promise<null> {
  return call("first_screen_shown", {});
}

/**
 * Sends the exact body to the active connection; events arrive on `onEvent` as they happen.
 */
export function playgroundSend(request: PlaygroundRequest, onEvent: Channel<PlaygroundEvent>): Promise<RunSummary> {
  return call("playground_send", { request, onEvent });
}

/**
 * Stops a run by its id; false when it already ended.
 */
export function playgroundStop(runId: string): Promise<boolean> {
  return call("playground_stop", { runId });
}

/**
 * Anthropic and Gemini count a prompt's tokens on their own route (rejects `unsupported` for OpenAI).
 */
export function countTokens(request: TokenCountRequest): Promise<number> {
  return call("count_tokens", { request });
}

/**
 * The exact request as curl, Python and TypeScript (official SDKs and plain HTTP); the
 * key is read from ANYINT_API_KEY in every one, never written out.
 */
export function playgroundSnippets(request: SnippetRequest): Promise<Array<Snippet>> {
  return call("playground_snippets", { request });
}

/**
 * Conversations, newest first.
 */
export function historyConversations(page: PageRequest): Promise<Page<Conversation>> {
  return call("history_conversations", { page });
}

/**
 * One conversation's turns in order.
 */
export function historyTurns(conversationId: string, page: PageRequest): Promise<Page<Turn>> {
  return call("history_turns", { conversationId, page });
}

export function historyTurn(turnId: string): Promise<Turn> {
  return call("history_turn", { turnId });
}

/**
 * Full-text search over prompts and answers; any text is a valid query.
 */
export function historySearch(query: string, limit: number): Promise<Array<SearchHit>> {
  return call("history_search", { query, limit });
}

/**
 * A new conversation with the turns up to and including `turnId`.
 */
export function historyFork(conversationId: string, turnId: string): Promise<Conversation> {
  return call("history_fork", { conversationId, turnId });
}

export function historyDeleteConversation(conversationId: string): Promise<null> {
  return call("history_delete_conversation", { conversationId });
}

export function historyDeleteTurn(turnId: string): Promise<null> {
  return call("history_delete_turn", { turnId });
}

/**
 * Writes the conversation as JSON to the Downloads folder; resolves with the file's path.
 */
export function historyExport(conversationId: string): Promise<string> {
  return call("history_export", { conversationId });
}

/**
 * Resolves when a keychain answers; rejects with `keychain_unavailable` otherwise.
 */
export function keychainStatus(): Promise<null> {
  return call("keychain_status", {});
}

export function keysList(): Promise<Array<KeyRecord>> {
  return call("keys_list", {});
}

/**
 * `input.secret === null` asks the backend to take ANYINT_API_KEY from its environment.
 */
export function keyAdd(input: NewKeyInput): Promise<KeyRecord> {
  return call("key_add", { input });
}

export function keyUpdate(id: string, meta: KeyMetadata): Promise<KeyRecord> {
  return call("key_update", { id, meta });
}

export function keyDelete(id: string, alsoKeychain: boolean): Promise<null> {
  return call("key_delete", { id, alsoKeychain });
}

/**
 * Checks the key against its own connection's gateway (never the active one), both Models routes.
 */
export function keyVerify(id: string): Promise<Verification> {
  return call("key_verify", { id });
}

/**
 * Makes `keyId` the key of `connectionId` in `environment`, and that environment current.
 */
export function keyBind(connectionId: string, environment: Environment, keyId: string): Promise<Connection> {
  return call("key_bind", { connectionId, environment, keyId });
}

/**
 * Empties the connection's slot for `environment`; the key stays in the vault.
 */
export function keyUnbind(connectionId: string, environment: Environment): Promise<Connection> {
  return call("key_unbind", { connectionId, environment });
}

/**
 * Copies the secret to the clipboard; resolves with the seconds until it is cleared.
 */
export function keyCopy(id: string): Promise<number> {
  return call("key_copy", { id });
}

export function keysAttention(): Promise<Array<Attention>> {
  return call("keys_attention", {});
}

/**
 * Step 1 of a rotation: verifies the replacement and returns the diff; nothing is swapped yet.
 */
export function rotationPlan(oldKeyId: string, newSecret: string): Promise<RotationPlan> {
  return call("rotation_plan", { oldKeyId, newSecret });
}

/**
 * Step 2: swaps the verified key into every connection that used the old one.
 */
export function rotationCommit(oldKeyId: string, keepOld: boolean): Promise<RotationResult> {
  return call("rotation_commit", { oldKeyId, keepOld });
}

export function rotationCancel(oldKeyId: string): Promise<KeyRecord> {
  return call("rotation_cancel", { oldKeyId });
}

/**
 * Rotations verified but not confirmed yet, also those planned before a restart.
 */
export function rotationsPending(): Promise<Array<RotationPlan>> {
  return call("rotations_pending", {});
}

export function auditList(limit: number): Promise<Array<AuditEntry>> {
  return call("audit_list", { limit });
}

/**
 * Writes the audit log as CSV; resolves with the file's path.
 */
export function auditExport(): Promise<string> {
  return call("audit_export", {});
}

/**
 * Seals the keys `ids` (metadata and secrets) into an age file encrypted with
 * `passphrase`, written to the Downloads folder; resolves with the file's path.
 */
export function keysExportHandoff(ids: Array<string>, passphrase: string): Promise<string> {
  return call("keys_export_handoff", { ids, passphrase });
}

/**
 * Imports a hand-off file (`file` is its ASCII-armored text) straight into the keychain.
 * Keys already in the vault are skipped and reported.
 */
export function keysImportHandoff(file: string, passphrase: string): Promise<ImportReport> {
  return call("keys_import_handoff", { file, passphrase });
}

/**
 * Writes the task, then sends it. `submit.submissionId` is made once per click: the same
 * id again gives the first task back and sends nothing.
 */
export function taskSubmit(submit: TaskSubmit): Promise<TaskRow> {
  return call("task_submit", { submit });
}

/**
 * One page of the Tasks table, newest first (at most 500 rows).
 */
export function tasksList(filter: TaskFilter): Promise<TaskPage> {
  return call("tasks_list", { filter });
}

export function taskDetail(taskId: string): Promise<TaskDetail> {
  return call("task_detail", { taskId });
}

/**
 * Stops the task; `cancelIsLocal` says the gateway may still finish (and charge for) it.
 */
export function taskCancel(taskId: string): Promise<TaskDetail> {
  return call("task_cancel", { taskId });
}

/**
 * A new task with the same request, on purpose; `submissionId` as for `taskSubmit`.
 */
export function taskRerun(taskId: string, submissionId: string): Promise<TaskRow> {
  return call("task_rerun", { taskId, submissionId });
}

/**
 * Fetches again the task's files that are not saved yet (a download failed or waits).
 */
export function taskRedownload(taskId: string): Promise<TaskDetail> {
  return call("task_redownload", { taskId });
}

/**
 * The tree the task belongs to, from its furthest ancestor down (music lineage).
 */
export function taskLineage(taskId: string): Promise<LineageNode> {
  return call("task_lineage", { taskId });
}

/**
 * How many tasks are not finished yet.
 */
export function tasksRunning(): Promise<number> {
  return call("tasks_running", {});
}

/**
 * Opens the folder of the task's saved files in the file manager.
 */
export function taskOpenFolder(taskId: string): Promise<null> {
  return call("task_open_folder", { taskId });
}

/**
 * Every task route with its fields and their documented limits, for the studios' forms.
 */
export function taskRoutes(): Promise<Array<RouteSpec>> {
  return call("task_routes", {});
}

/**
 * Keeps a local file picked in a studio form (`base64` its bytes) for a task input; the
 * form puts the returned reference's marker (`{"$file": ref}`) in the field.
 */
export function taskInputFile(name: string, mime: string, base64: string): Promise<TaskFileRef> {
  return call("task_input_file", { name, mime, base64 });
}

/**
 * Every transition of every task arrives on `onEvent` from now on (a later call replaces
 * this one); resolves with the number of tasks running now.
 */
export function tasksWatch(onEvent: Channel<TaskTransition>): Promise<number> {
  return call("tasks_watch", { onEvent });
}

/**
 * The id of each task whose desktop notification is clicked arrives on `onEvent`;
 * resolves with a click that came before the window listened.
 */
export function taskNotificationClicks(onEvent: Channel<string>): Promise<string | null> {
  return call("task_notification_clicks", { onEvent });
}

/**
 * The saved settings; `proxyPasswordSaved` says whether the keychain holds a proxy password.
 */
export function settingsGet(): Promise<SettingsView> {
  return call("settings_get", {});
}

/**
 * Validates (rejects `invalid_input` naming the field) and saves; the password goes to the keychain.
 */
export function settingsSave(update: SettingsUpdate): Promise<SettingsView> {
  return call("settings_save", { update });
}

/**
 * Walks DNS, TCP, proxy, TLS and HTTP to a connection's gateway, with the saved settings or
 * `edited` (not saved), and reports each step; a failed step is a result, not a rejection.
 */
export function settingsTestConnection(connectionId: string, edited: SettingsUpdate | null): Promise<ConnectionTest> {
  return call("settings_test_connection", { connectionId, edited });
}

/**
 * The inbox's switch, its URL while listening, and the URL the studios may prefill as
 * `callBackUrl` (only when the active connection can reach loopback).
 */
export function callbackInboxStatus(): Promise<InboxStatus> {
  return call("callback_inbox_status", {});
}

/**
 * Switches the inbox on or off (remembered); switching on listens on a new port.
 */
export function callbackInboxSet(enabled: boolean): Promise<InboxStatus> {
  return call("callback_inbox_set", { enabled });
}

/**
 * The callbacks a task received, oldest first; a repeat names its first in `duplicateOf`.
 */
export function taskCallbacks(taskId: string): Promise<Array<CallbackRecord>> {
  return call("task_callbacks", { taskId });
}

export function workloadsList(): Promise<Array<Workload>> {
  return call("workloads_list", {});
}

/**
 * Creates or replaces a workload by name (rejects `invalid_input` with the reason).
 */
export function workloadSave(workload: Workload): Promise<Workload> {
  return call("workload_save", { workload });
}

export function workloadDelete(name: string): Promise<boolean> {
  return call("workload_delete", { name });
}

/**
 * Every workload as JSON, TOML or env lines for a team's code.
 */
export function workloadsExport(format: ExportFormat): Promise<string> {
  return call("workloads_export", { format });
}

/**
 * Writes every workload as JSON, TOML or env into the Downloads folder; resolves with the file's path.
 */
export function workloadsExportSave(format: ExportFormat): Promise<string> {
  return call("workloads_export_save", { format });
}

/**
 * Puts every workload as JSON, TOML or env on the clipboard.
 */
export function workloadsExportCopy(format: ExportFormat): Promise<null> {
  return call("workloads_export_copy", { format });
}

/**
 * Reads an export back, whole or not at all; same-named workloads are replaced.
 */
export function workloadsImport(text: string, format: ExportFormat): Promise<Array<Workload>> {
  return call("workloads_import", { text, format });
}

/**
 * What the workload's policy would do for a status and body or a sandbox fault, step by step.
 */
export function workloadDryRun(name: string, input: DryRunInput, consent: boolean): Promise<Array<Decision>> {
  return call("workload_dry_run", { name, input, consent });
}

/**
 * A playground send under a workload: the primary answers, or the fallback where the policy
 * allows; events of every attempt arrive on `onEvent`, stoppable by the run id.
 */
export function workloadSend(request: PlaygroundRequest, workload: string, options: RunOptions, onEvent: Channel<PlaygroundEvent>): Promise<WorkloadRun> {
  return call("workload_send", { request, workload, options, onEvent });
}

/**
 * The latest fallbacks, newest first.
 */
export function fallbackLog(limit: number): Promise<Array<FallbackLogRow>> {
  return call("fallback_log", { limit });
}

/**
 * Usage totals per key fingerprint, model or day, costed where a price is known.
 */
export function usageTotals(by: GroupBy): Promise<Array<UsageTotal>> {
  return call("usage_totals", { by });
}

/**
 * The whole usage ledger as CSV.
 */
export function usageCsv(): Promise<string> {
  return call("usage_csv", {});
}

/**
 * Writes the usage ledger as CSV into the Downloads folder; resolves with the file's path.
 */
export function usageCsvSave(): Promise<string> {
  return call("usage_csv_save", {});
}

/**
 * Puts the usage ledger as CSV on the clipboard.
 */
export function usageCsvCopy(): Promise<null> {
  return call("usage_csv_copy", {});
}

export function pricesList(): Promise<Array<Price>> {
  return call("prices_list", {});
}

/**
 * Creates or replaces a model's price (rejects `invalid_input` for a negative amount).
 */
export function priceSave(price: Price): Promise<Price> {
  return call("price_save", { price });
}

export function priceDelete(model: string): Promise<boolean> {
  return call("price_delete", { model });
}

/**
 * One prompt to 1-8 targets on the active connection, side by side; events on `onEvent`,
 * stoppable by `compareId`; resolves with the saved comparison (a failed column does not
 * fail it). A re-run is a new `compareId` with the saved request.
 */
export function compareRun(request: CompareRequest, onEvent: Channel<CompareEvent>): Promise<Comparison> {
  return call("compare_run", { request, onEvent });
}

/**
 * Stops every column of a comparison, keeping the partial answers; false when it ended.
 */
export function compareStop(compareId: string): Promise<boolean> {
  return call("compare_stop", { compareId });
}

/**
 * Saved comparisons, newest first.
 */
export function comparisonsList(): Promise<Array<ComparisonSummary>> {
  return call("comparisons_list", {});
}

export function comparisonGet(id: string): Promise<Comparison> {
  return call("comparison_get", { id });
}

/**
 * Marks column `column` acceptable or not (rejects `not_found` for no such column).
 */
export function comparisonKeep(id: string, column: number, kept: boolean): Promise<Comparison> {
  return call("comparison_keep", { id, column, kept });
}

export function comparisonDelete(id: string): Promise<boolean> {
  return call("comparison_delete", { id });
}

/**
 * Runs the evaluation set for each model on the workload's family and recommends the
 * cheapest that meets the bar, with the evidence; stoppable by `adviseId`.
 */
export function adviseRun(request: AdviseRequest, onEvent: Channel<AdviseEvent>): Promise<Advice> {
  return call("advise_run", { request, onEvent });
}

export function adviseStop(adviseId: string): Promise<boolean> {
  return call("advise_stop", { adviseId });
}

/**
 * Reads an evaluation set, whole or not at all; every regex and schema is compiled first.
 */
export function evalsetParse(text: string, format: EvalSetFormat): Promise<EvalSet> {
  return call("evalset_parse", { text, format });
}

/**
 * Past advice, newest first.
 */
export function adviceList(): Promise<Array<Advice>> {
  return call("advice_list", {});
}
