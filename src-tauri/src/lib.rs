//! AnyInt Desk's Tauri adapter: plugins, managed state, start-up, and the command list.
//! The product lives in `anyint_core`; nothing here decides anything a test would need to check.

mod commands;
mod error;
mod events;

use anyint_core::keys::ApiKey;
use anyint_core::{Desk, SandboxEndpoint};
use std::path::PathBuf;
use tauri::Manager;

/// Overrides the data dir (tests give each run a temp dir; people may keep several profiles).
const DATA_DIR_ENV: &str = "ANYINT_DESK_DATA_DIR";

/// Keeps the in-process Sandbox gateway alive for the app's lifetime; dropping it stops it.
struct SandboxGuard(#[allow(dead_code)] anyint_sandbox::Sandbox);

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,anyint=debug".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            let data_dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            let sandbox = start_sandbox();
            let endpoint = sandbox.as_ref().and_then(|s| {
                Some(SandboxEndpoint {
                    base_url: s.base_url(),
                    key: ApiKey::new(anyint_sandbox::DEMO_KEY)?,
                })
            });
            if let Some(s) = sandbox {
                app.manage(SandboxGuard(s));
            }
            let desk = Desk::open(&data_dir, endpoint)?;
            tracing::info!(data_dir = %data_dir.display(), "AnyInt Desk ready");
            events::spawn_reminders(app.handle().clone(), desk.clone());
            app.manage(desk);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::connections::connections_list,
            commands::connections::connection_add,
            commands::connections::connection_activate,
            commands::models::models_list,
            commands::keys::keychain_status,
            commands::keys::keys_list,
            commands::keys::key_add,
            commands::keys::key_update,
            commands::keys::key_delete,
            commands::keys::key_verify,
            commands::keys::key_bind,
            commands::keys::key_copy,
            commands::keys::rotation_plan,
            commands::keys::rotation_commit,
            commands::keys::rotation_cancel,
            commands::keys::audit_list,
            commands::keys::audit_export,
            commands::keys::keys_attention,
            commands::keys::keys_export_handoff,
            commands::keys::keys_import_handoff,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("AnyInt Desk stopped with an error: {e}");
        std::process::exit(1);
    }
}

/// Starts the simulated gateway on loopback. A failure is logged and the app still opens:
/// the Sandbox connection then says it is not running, and real connections keep working.
fn start_sandbox() -> Option<anyint_sandbox::Sandbox> {
    let config = anyint_sandbox::SandboxConfig::default();
    match tauri::async_runtime::block_on(anyint_sandbox::start(config)) {
        Ok(sandbox) => {
            tracing::info!(url = %sandbox.base_url(), "Sandbox gateway started");
            Some(sandbox)
        }
        Err(e) => {
            tracing::error!("could not start the Sandbox gateway: {e}");
            None
        }
    }
}
