//! AnyInt Desk's Tauri adapter: plugins, managed state, start-up, and the command list.
//! The product lives in `anyint_core`; nothing here decides anything a test would need to check.

mod artifacts;
mod commands;
mod error;
mod events;
mod files;
mod rendering;
mod task_feed;
pub mod tray;
mod window;

use anyint_core::background::BackgroundWork;
use anyint_core::keys::ApiKey;
use anyint_core::{Desk, SandboxEndpoint};
use std::path::PathBuf;
use tauri::Manager;

pub use tray::set_running_tasks;

/// Overrides the data dir (tests give each run a temp dir; people may keep several profiles).
const DATA_DIR_ENV: &str = "ANYINT_DESK_DATA_DIR";
/// Tokens per second the in-process Sandbox streams at (unset: its default).
const SANDBOX_TOKEN_RATE_ENV: &str = "ANYINT_SANDBOX_TOKEN_RATE";
/// A JSON file of seeded answers for the in-app Sandbox (`anyint_sandbox::AnswerRule`): the
/// end-to-end suite and demos make two models answer differently with it.
const SANDBOX_ANSWERS_ENV: &str = "ANYINT_SANDBOX_ANSWERS";
/// How long the in-app Sandbox's media and music tasks take, in seconds (default 4): the
/// end-to-end suite closes the app while one still runs.
const SANDBOX_TASK_SECS_ENV: &str = "ANYINT_SANDBOX_TASK_SECS";

/// Keeps the in-process Sandbox gateway alive for the app's lifetime; dropping it stops it.
struct SandboxGuard(#[allow(dead_code)] anyint_sandbox::Sandbox);

pub fn run() {
    commands::startup::record_start();
    rendering::choose_compositing();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,anyint=debug".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let context = tauri::generate_context!();
    // Read before the builder: the single-instance lock and the window state are per profile.
    let profile_dir = std::env::var_os(DATA_DIR_ENV).map(PathBuf::from);
    let instance_id = window::instance_id(&context.config().identifier, profile_dir.as_deref());
    let mut window_state =
        tauri_plugin_window_state::Builder::new().with_state_flags(window::state_flags());
    if let Some(file) = window::state_file(profile_dir.as_deref()) {
        window_state = window_state.with_filename(file);
    }

    let app = tauri::Builder::default()
        // First, so a second launch hands over and exits before anything else starts.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id)
                .callback(|app, _argv, _cwd| {
                    tracing::info!("the app was launched again: bringing its window forward");
                    window::bring_forward(app);
                })
                .build(),
        )
        .plugin(window_state.build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            commands::startup::mark(format_args!("setup"));
            let data_dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            let sandbox = start_sandbox(&data_dir);
            let endpoint = sandbox.as_ref().and_then(|s| {
                Some(SandboxEndpoint {
                    base_url: s.base_url(),
                    key: ApiKey::new(anyint_sandbox::DEMO_KEY)?,
                })
            });
            if let Some(s) = sandbox {
                app.manage(SandboxGuard(s));
            }
            commands::startup::mark(format_args!("Sandbox started"));
            let desk = Desk::open(&data_dir, endpoint)?;
            commands::startup::mark(format_args!("database open"));
            tracing::info!(data_dir = %data_dir.display(), "AnyInt Desk ready");
            // A theme that cannot be read is not worth failing the start: follow the OS.
            let theme = desk.theme().unwrap_or_else(|e| {
                tracing::warn!("could not read the theme choice: {e}");
                Default::default()
            });
            // Read before the window opens, so the page gets it with its scripts and paints its
            // first screen with data, without a round of commands first. Only a log line if it
            // cannot be read: the page then asks, as it does for anything not handed over.
            let first_screen = desk.first_screen().map_err(|e| {
                tracing::warn!("could not read the first screen's data: {e}");
            });
            window::open_main(app.handle(), theme, first_screen.ok().as_ref())?;
            commands::startup::mark(format_args!("window created"));
            tray::install(app);
            commands::startup::mark(format_args!("tray done"));
            let work = BackgroundWork::new(tauri::async_runtime::handle().inner().clone());
            let app_handle = app.handle().clone();
            desk.start_reminders(&work, anyint_core::desk::REMINDER_CHECK_EVERY, move |r| {
                events::show_reminder(&app_handle, r)
            });
            start_tasks(app, &desk, &work)?;
            app.manage(work);
            app.manage(desk);
            commands::startup::mark(format_args!("setup done: background work started"));
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(context);
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("AnyInt Desk could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            // Every loop the core started ends here, before the runtime goes away.
            if let Some(work) = app.try_state::<BackgroundWork>() {
                tauri::async_runtime::block_on(work.stop());
            }
        }
    });
}

/// The task center's side of start-up: the artifacts folder opened to the players (and only
/// it), clicks on notifications routed to their task, the feed of transitions (window events
/// and one notification per finished task, owed ones first), then the poller, which resumes
/// every task left unfinished.
fn start_tasks(
    app: &mut tauri::App,
    desk: &Desk,
    work: &BackgroundWork,
) -> Result<(), Box<dyn std::error::Error>> {
    // Without the folder the players cannot load anything, but tasks still run and save.
    if let Err(e) = artifacts::allow_artifacts(app, &desk.artifacts_dir()?) {
        tracing::error!("{e}");
    }
    app.manage(task_feed::TaskFeed::default());
    task_feed::handle_clicks(app.handle());
    let (transitions, inbox) = tokio::sync::mpsc::unbounded_channel();
    let (feed_app, feed_desk) = (app.handle().clone(), desk.clone());
    let tray_app = app.handle().clone();
    work.spawn("task notifications", move |shutdown| {
        task_feed::forward(feed_app, feed_desk, inbox, shutdown, move |n| {
            tray::set_running_tasks(&tray_app, n)
        })
    });
    desk.start_task_poller(work, transitions)?;
    // After the poller, so the first callback it takes can already make a poll.
    desk.start_callback_inbox(work);
    Ok(())
}

/// Starts the simulated gateway on loopback. A failure is logged and the app still opens:
/// the Sandbox connection then says it is not running, and real connections keep working.
fn start_sandbox(data_dir: &std::path::Path) -> Option<anyint_sandbox::Sandbox> {
    let mut config = anyint_sandbox::SandboxConfig {
        // Its tasks outlive a restart, as a real gateway's do (the poller resumes them).
        task_file: Some(data_dir.join("sandbox").join("tasks.jsonl")),
        ..Default::default()
    };
    // A slower Sandbox for demos and the end-to-end suite (Stop mid-stream needs time to act).
    if let Some(rate) = std::env::var(SANDBOX_TOKEN_RATE_ENV)
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        // Finite and at least one token in ten seconds: the sandbox sleeps 1/rate per token.
        .filter(|r| r.is_finite() && *r >= 0.1)
    {
        config.token_rate = Some(rate);
    }
    if let Some(secs) = std::env::var(SANDBOX_TASK_SECS_ENV)
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        // Finite and at most a day: Duration::from_secs_f64 panics on what it cannot hold.
        .filter(|s| s.is_finite() && (0.0..=86_400.0).contains(s))
    {
        config.task_duration = std::time::Duration::from_secs_f64(secs);
    }
    if let Some(path) = std::env::var_os(SANDBOX_ANSWERS_ENV) {
        // A bad file is logged and ignored: the Sandbox still starts, answering as usual.
        match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| anyint_sandbox::AnswerRule::parse_list(&text))
        {
            Ok(rules) => config.answer_rules = rules,
            Err(e) => tracing::warn!("{SANDBOX_ANSWERS_ENV} ({}): {e}", path.to_string_lossy()),
        }
    }
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
