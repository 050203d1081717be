// The window's IPC contract: every command, declared once. `commands!` (see `mod.rs`) turns
// each line into the `#[tauri::command]` wrapper, the invoke handler's list, and the spec the
// TypeScript wrappers in ui/src/ipc/bindings/commands.ts are generated from (with the `///`
// comment as their JSDoc); build.rs reads this same file for the permission manifest, and a
// test checks capabilities/default.json against it.
//
// A line: `sync|async name(arg: Type, ...) -> Result = module::function;`. `sync` commands run
// on the main thread (quick SQLite and keychain work); `async` ones on the async runtime (they
// wait on the network). The function takes `&Ctx` then the arguments, in order.
commands! {
    sync connections_list() -> Vec<Connection> = connections::list;
    /// Rejects plain http:// to another host with `insecure_http` unless `allowInsecureHttp`.
    sync connection_add(input: NewConnection) -> Connection = connections::add;
    /// Edits an AnyInt connection (name, URL, ANYINT_API_KEY opt-in), with the same checks as adding.
    sync connection_update(id: String, input: NewConnection) -> Connection = connections::update;
    /// Makes the connection the one every screen uses.
    sync connection_activate(id: String) -> Connection = connections::activate;
    /// Makes `environment` the connection's current one (its key there, if bound, is used).
    sync connection_environment(id: String, environment: Environment) -> Connection = connections::set_environment;

    /// The stored colour theme choice (`system` until one is made).
    sync theme_get() -> Theme = appearance::get;
    sync theme_set(theme: Theme) -> () = appearance::set;

    /// The active connection's models; `refresh` bypasses the cache and asks the gateway.
    async models_list(refresh: bool) -> ModelsView = models::list;

    /// The page calls this once its first screen shows data: the app logs the time since it
    /// started (the start-up benchmark reads that line).
    sync first_screen_shown() -> () = startup::first_screen_shown;

    // Playground (issue 8). A run streams over `onEvent` and resolves with its summary once
    // the turn is stored; `playground_stop` ends it from another call, keeping what arrived.

    /// Sends the exact body to the active connection; events arrive on `onEvent` as they happen.
    async playground_send(request: PlaygroundRequest) -> RunSummary, streams PlaygroundEvent = playground::send;
    /// Stops a run by its id; false when it already ended.
    sync playground_stop(run_id: String) -> bool = playground::stop;
    /// Anthropic and Gemini count a prompt's tokens on their own route (rejects `unsupported` for OpenAI).
    async count_tokens(request: TokenCountRequest) -> u32 = playground::count_tokens;
    /// The exact request as curl, Python and TypeScript (official SDKs and plain HTTP); the
    /// key is read from ANYINT_API_KEY in every one, never written out.
    sync playground_snippets(request: SnippetRequest) -> Vec<Snippet> = playground::snippets;

    /// Conversations, newest first.
    sync history_conversations(page: PageRequest) -> Page<Conversation> = history::conversations;
    /// One conversation's turns in order.
    sync history_turns(conversation_id: String, page: PageRequest) -> Page<Turn> = history::turns;
    sync history_turn(turn_id: String) -> Turn = history::turn;
    /// Full-text search over prompts and answers; any text is a valid query.
    sync history_search(query: String, limit: u32) -> Vec<SearchHit> = history::search;
    /// A new conversation with the turns up to and including `turnId`.
    sync history_fork(conversation_id: String, turn_id: String) -> Conversation = history::fork;
    sync history_delete_conversation(conversation_id: String) -> () = history::delete_conversation;
    sync history_delete_turn(turn_id: String) -> () = history::delete_turn;
    /// Writes the conversation as JSON to the Downloads folder; resolves with the file's path.
    sync history_export(conversation_id: String) -> String = history::export;

    // Key vault. Secrets go in (add, rotation plan) and never come back out: every answer
    // carries masked forms only. Callers drop their copy of a secret once these settle.

    /// Resolves when a keychain answers; rejects with `keychain_unavailable` otherwise.
    sync keychain_status() -> () = keys::keychain_status;
    sync keys_list() -> Vec<KeyRecord> = keys::list;
    /// `input.secret === null` asks the backend to take ANYINT_API_KEY from its environment.
    sync key_add(input: NewKeyInput) -> KeyRecord = keys::add;
    sync key_update(id: String, meta: KeyMetadata) -> KeyRecord = keys::update;
    sync key_delete(id: String, also_keychain: bool) -> () = keys::delete;
    /// Checks the key against its own connection's gateway (never the active one), both Models routes.
    async key_verify(id: String) -> Verification = keys::verify;
    /// Makes `keyId` the key of `connectionId` in `environment`, and that environment current.
    sync key_bind(connection_id: String, environment: Environment, key_id: String) -> Connection = keys::bind;
    /// Empties the connection's slot for `environment`; the key stays in the vault.
    sync key_unbind(connection_id: String, environment: Environment) -> Connection = keys::unbind;
    /// Copies the secret to the clipboard; resolves with the seconds until it is cleared.
    sync key_copy(id: String) -> u32 = keys::copy;
    sync keys_attention() -> Vec<Attention> = keys::attention;

    /// Step 1 of a rotation: verifies the replacement and returns the diff; nothing is swapped yet.
    async rotation_plan(old_key_id: String, new_secret: String) -> RotationPlan = rotation::plan;
    /// Step 2: swaps the verified key into every connection that used the old one.
    sync rotation_commit(old_key_id: String, keep_old: bool) -> RotationResult = rotation::commit;
    sync rotation_cancel(old_key_id: String) -> KeyRecord = rotation::cancel;
    /// Rotations verified but not confirmed yet, also those planned before a restart.
    sync rotations_pending() -> Vec<RotationPlan> = rotation::pending;

    sync audit_list(limit: u32) -> Vec<AuditEntry> = audit::list;
    /// Writes the audit log as CSV; resolves with the file's path.
    sync audit_export() -> String = audit::export;

    // The hand-off's scrypt takes about a second: off the main thread, so the window stays live.
    /// Seals the keys `ids` (metadata and secrets) into an age file encrypted with
    /// `passphrase`, written to the Downloads folder; resolves with the file's path.
    async keys_export_handoff(ids: Vec<String>, passphrase: String) -> String = handoff::export;
    /// Imports a hand-off file (`file` is its ASCII-armored text) straight into the keychain.
    /// Keys already in the vault are skipped and reported.
    async keys_import_handoff(file: String, passphrase: String) -> ImportReport = handoff::import;

    // Task center (issue 9). A task outlives its call: the window subscribes once to its
    // transitions (and to clicks on its notifications) and pages the table from the core.

    /// Writes the task, then sends it. `submit.submissionId` is made once per click: the same
    /// id again gives the first task back and sends nothing.
    async task_submit(submit: TaskSubmit) -> TaskRow = tasks::submit;
    /// One page of the Tasks table, newest first (at most 500 rows).
    sync tasks_list(filter: TaskFilter) -> TaskPage = tasks::list;
    sync task_detail(task_id: String) -> TaskDetail = tasks::detail;
    /// Stops the task; `cancelIsLocal` says the gateway may still finish (and charge for) it.
    sync task_cancel(task_id: String) -> TaskDetail = tasks::cancel;
    /// A new task with the same request, on purpose; `submissionId` as for `taskSubmit`.
    async task_rerun(task_id: String, submission_id: String) -> TaskRow = tasks::rerun;
    /// Fetches again the task's files that are not saved yet (a download failed or waits).
    async task_redownload(task_id: String) -> TaskDetail = tasks::redownload;
    /// The tree the task belongs to, from its furthest ancestor down (music lineage).
    sync task_lineage(task_id: String) -> LineageNode = tasks::lineage;
    /// How many tasks are not finished yet.
    sync tasks_running() -> u32 = tasks::running;
    /// Opens the folder of the task's saved files in the file manager.
    sync task_open_folder(task_id: String) -> () = tasks::open_folder;
    /// Every task route with its fields and their documented limits, for the studios' forms.
    sync task_routes() -> Vec<RouteSpec> = tasks::routes;
    /// Keeps a local file picked in a studio form (`base64` its bytes) for a task input; the
    /// form puts the returned reference's marker (`{"$file": ref}`) in the field.
    sync task_input_file(name: String, mime: String, base64: String) -> TaskFileRef = tasks::input_file;
    /// Every transition of every task arrives on `onEvent` from now on (a later call replaces
    /// this one); resolves with the number of tasks running now.
    async tasks_watch() -> u32, streams TaskTransition = tasks::watch;
    /// The id of each task whose desktop notification is clicked arrives on `onEvent`;
    /// resolves with a click that came before the window listened.
    async task_notification_clicks() -> Option<String>, streams String = tasks::notification_clicks;
    // Settings (issue 10). The proxy password goes in and never comes back out.

    /// The saved settings; `proxyPasswordSaved` says whether the keychain holds a proxy password.
    sync settings_get() -> SettingsView = settings::get;
    /// Validates (rejects `invalid_input` naming the field) and saves; the password goes to the keychain.
    sync settings_save(update: SettingsUpdate) -> SettingsView = settings::save;
    /// Walks DNS, TCP, proxy, TLS and HTTP to a connection's gateway, with the saved settings or
    /// `edited` (not saved), and reports each step; a failed step is a result, not a rejection.
    async settings_test_connection(connection_id: String, edited: Option<SettingsUpdate>) -> ConnectionTest = settings::test_connection;

    // The local callback inbox (issue 9, part 7): a loopback receiver for the Sandbox or a
    // gateway on this machine. A callback is recorded and makes a poll; it never sets a state.

    /// The inbox's switch, its URL while listening, and the URL the studios may prefill as
    /// `callBackUrl` (only when the active connection can reach loopback).
    sync callback_inbox_status() -> InboxStatus = callbacks::status;
    /// Switches the inbox on or off (remembered); switching on listens on a new port.
    sync callback_inbox_set(enabled: bool) -> InboxStatus = callbacks::set;
    /// The callbacks a task received, oldest first; a repeat names its first in `duplicateOf`.
    sync task_callbacks(task_id: String) -> Vec<CallbackRecord> = callbacks::list;

    // Model choice (issue 11). A workload holds the primary, the fallback and when a fallback
    // is allowed; nothing falls back unless a workload says so, and every fallback is logged.

    sync workloads_list() -> Vec<Workload> = model_choice::list;
    /// Creates or replaces a workload by name (rejects `invalid_input` with the reason).
    sync workload_save(workload: Workload) -> Workload = model_choice::save;
    sync workload_delete(name: String) -> bool = model_choice::delete;
    /// Every workload as JSON, TOML or env lines for a team's code.
    sync workloads_export(format: ExportFormat) -> String = model_choice::export;
    /// Writes every workload as JSON, TOML or env into the Downloads folder; resolves with the file's path.
    sync workloads_export_save(format: ExportFormat) -> String = model_choice::save_export;
    /// Puts every workload as JSON, TOML or env on the clipboard.
    sync workloads_export_copy(format: ExportFormat) -> () = model_choice::copy_export;
    /// Reads an export back, whole or not at all; same-named workloads are replaced.
    sync workloads_import(text: String, format: ExportFormat) -> Vec<Workload> = model_choice::import;
    /// What the workload's policy would do for a status and body or a sandbox fault, step by step.
    sync workload_dry_run(name: String, input: DryRunInput, consent: bool) -> Vec<Decision> = model_choice::dry_run;
    /// A playground send under a workload: the primary answers, or the fallback where the policy
    /// allows; events of every attempt arrive on `onEvent`, stoppable by the run id.
    async workload_send(request: PlaygroundRequest, workload: String, options: RunOptions) -> WorkloadRun, streams PlaygroundEvent = model_choice::send;
    /// The latest fallbacks, newest first.
    sync fallback_log(limit: u32) -> Vec<FallbackLogRow> = model_choice::fallback_log;
    /// Usage totals per key fingerprint, model or day, costed where a price is known.
    sync usage_totals(by: GroupBy) -> Vec<UsageTotal> = model_choice::totals;
    /// The whole usage ledger as CSV.
    sync usage_csv() -> String = model_choice::csv;
    /// Writes the usage ledger as CSV into the Downloads folder; resolves with the file's path.
    sync usage_csv_save() -> String = model_choice::save_csv;
    /// Puts the usage ledger as CSV on the clipboard.
    sync usage_csv_copy() -> () = model_choice::copy_csv;
    sync prices_list() -> Vec<Price> = model_choice::prices;
    /// Creates or replaces a model's price (rejects `invalid_input` for a negative amount).
    sync price_save(price: Price) -> Price = model_choice::save_price;
    sync price_delete(model: String) -> bool = model_choice::delete_price;

    // Compare and the model advisor (issue 11). A comparison sends one prompt to up to eight
    // targets at once and is saved with its request; the advisor runs an evaluation set per
    // candidate and recommends, never changing a workload (the window calls `workload_save`).

    /// One prompt to 1-8 targets on the active connection, side by side; events on `onEvent`,
    /// stoppable by `compareId`; resolves with the saved comparison (a failed column does not
    /// fail it). A re-run is a new `compareId` with the saved request.
    async compare_run(request: CompareRequest) -> Comparison, streams CompareEvent = compare::run;
    /// Stops every column of a comparison, keeping the partial answers; false when it ended.
    sync compare_stop(compare_id: String) -> bool = compare::stop;
    /// Saved comparisons, newest first.
    sync comparisons_list() -> Vec<ComparisonSummary> = compare::list;
    sync comparison_get(id: String) -> Comparison = compare::get;
    /// Marks column `column` acceptable or not (rejects `not_found` for no such column).
    sync comparison_keep(id: String, column: u32, kept: bool) -> Comparison = compare::keep;
    sync comparison_delete(id: String) -> bool = compare::delete;
    /// Runs the evaluation set for each model on the workload's family and recommends the
    /// cheapest that meets the bar, with the evidence; stoppable by `adviseId`.
    async advise_run(request: AdviseRequest) -> Advice, streams AdviseEvent = compare::advise;
    sync advise_stop(advise_id: String) -> bool = compare::advise_stop;
    /// Reads an evaluation set, whole or not at all; every regex and schema is compiled first.
    sync evalset_parse(text: String, format: EvalSetFormat) -> EvalSet = compare::evalset_parse;
    /// Past advice, newest first.
    sync advice_list() -> Vec<Advice> = compare::advice_list;
}
