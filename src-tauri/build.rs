fn main() {
    // Declaring the app's commands makes each one need an explicit `allow-…` permission, so
    // capabilities/default.json is the complete list of what the window may call.
    let commands = &[
        "connections_list",
        "connection_add",
        "connection_activate",
        "models_list",
        "keychain_status",
        "keys_list",
        "key_add",
        "key_update",
        "key_delete",
        "key_verify",
        "key_bind",
        "key_copy",
        "rotation_plan",
        "rotation_commit",
        "rotation_cancel",
        "audit_list",
        "audit_export",
        "keys_attention",
        "keys_export_handoff",
        "keys_import_handoff",
    ];
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build script failed: {e:#}");
    }
}
