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
    sync connection_add(input: NewConnection) -> Connection = connections::add;
    /// Makes the connection the one every screen uses.
    sync connection_activate(id: String) -> Connection = connections::activate;

    /// The active connection's models; `refresh` bypasses the cache and asks the gateway.
    async models_list(refresh: bool) -> ModelsView = models::list;

    // Key vault. Secrets go in (add, rotation plan) and never come back out: every answer
    // carries masked forms only. Callers drop their copy of a secret once these settle.

    /// Resolves when a keychain answers; rejects with `keychain_unavailable` otherwise.
    sync keychain_status() -> () = keys::keychain_status;
    sync keys_list() -> Vec<KeyRecord> = keys::list;
    /// `input.secret === null` asks the backend to take ANYINT_API_KEY from its environment.
    sync key_add(input: NewKeyInput) -> KeyRecord = keys::add;
    sync key_update(id: String, meta: KeyMetadata) -> KeyRecord = keys::update;
    sync key_delete(id: String, also_keychain: bool) -> () = keys::delete;
    /// Checks the key against the active connection's gateway, both Models routes.
    async key_verify(id: String) -> Verification = keys::verify;
    /// Makes `keyId` the key of `connectionId` in `environment`, and that environment current.
    sync key_bind(connection_id: String, environment: Environment, key_id: String) -> Connection = keys::bind;
    /// Copies the secret to the clipboard; resolves with the seconds until it is cleared.
    sync key_copy(id: String) -> u32 = keys::copy;
    sync keys_attention() -> Vec<Attention> = keys::attention;

    /// Step 1 of a rotation: verifies the replacement and returns the diff; nothing is swapped yet.
    async rotation_plan(old_key_id: String, new_secret: String) -> RotationPlan = rotation::plan;
    /// Step 2: swaps the verified key into every connection that used the old one.
    sync rotation_commit(old_key_id: String, keep_old: bool) -> RotationResult = rotation::commit;
    sync rotation_cancel(old_key_id: String) -> KeyRecord = rotation::cancel;

    sync audit_list(limit: u32) -> Vec<AuditEntry> = audit::list;
    /// Writes the audit log as CSV; resolves with the file's path.
    sync audit_export() -> String = audit::export;

    /// Seals the keys `ids` (metadata and secrets) into an age file encrypted with
    /// `passphrase`, written to the Downloads folder; resolves with the file's path.
    sync keys_export_handoff(ids: Vec<String>, passphrase: String) -> String = handoff::export;
    /// Imports a hand-off file (`file` is its ASCII-armored text) straight into the keychain.
    /// Keys already in the vault are skipped and reported.
    sync keys_import_handoff(file: String, passphrase: String) -> ImportReport = handoff::import;
}
