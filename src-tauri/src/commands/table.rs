// The window's IPC contract: every command, declared once. `commands!` (see `mod.rs`) turns
// each line into the `#[tauri::command]` wrapper, the invoke handler's list, and the spec the
// TypeScript wrappers in ui/src/ipc/bindings/commands.ts are generated from; build.rs reads
// this same file for the permission manifest, and a test checks capabilities/default.json.
//
// A line: `sync|async name(arg: Type, ...) -> Result = module::function;`. `sync` commands run
// on the main thread (quick SQLite and keychain work); `async` ones on the async runtime (they
// wait on the network). The function takes `&Ctx` then the arguments, in order.
commands! {
    sync connections_list() -> Vec<Connection> = connections::list;
    sync connection_add(input: NewConnection) -> Connection = connections::add;
    sync connection_activate(id: String) -> Connection = connections::activate;

    async models_list(refresh: bool) -> ModelsView = models::list;

    sync keychain_status() -> () = keys::keychain_status;
    sync keys_list() -> Vec<KeyRecord> = keys::list;
    sync key_add(input: NewKeyInput) -> KeyRecord = keys::add;
    sync key_update(id: String, meta: KeyMetadata) -> KeyRecord = keys::update;
    sync key_delete(id: String, also_keychain: bool) -> () = keys::delete;
    async key_verify(id: String) -> Verification = keys::verify;
    sync key_bind(connection_id: String, environment: Environment, key_id: String) -> Connection = keys::bind;
    sync key_copy(id: String) -> u32 = keys::copy;
    sync keys_attention() -> Vec<Attention> = keys::attention;

    async rotation_plan(old_key_id: String, new_secret: String) -> RotationPlan = rotation::plan;
    sync rotation_commit(old_key_id: String, keep_old: bool) -> RotationResult = rotation::commit;
    sync rotation_cancel(old_key_id: String) -> KeyRecord = rotation::cancel;

    sync audit_list(limit: u32) -> Vec<AuditEntry> = audit::list;
    sync audit_export() -> String = audit::export;

    sync keys_export_handoff(ids: Vec<String>, passphrase: String) -> String = handoff::export;
    sync keys_import_handoff(file: String, passphrase: String) -> ImportReport = handoff::import;
}
