//! `anyint task …`: the app's task center from a shell, on the app's own database.
//!
//! The data dir is the app's (`ANYINT_DESK_DATA_DIR`, else the platform's app data dir), so a
//! task submitted here shows in the window's Tasks table and the reverse. A task is submitted on
//! `--base-url` with `ANYINT_API_KEY` (a connection for that URL is found or added), or on the
//! app's active connection with the key the app would use. `wait` runs the core's own poller
//! (the same cadence, compare-and-set transitions and downloads as the app), so the window and
//! this command can both watch one task without finishing it twice.

use crate::task_wait::{download, wait};
use anyint_core::desk::NewConnection;
use anyint_core::gateway::parse_base_url;
use anyint_core::tasks::view::{TaskFilter, TaskRow, TaskSubmit};
use anyint_core::tasks::TaskState;
use anyint_core::{ConnectionKind, Desk, DeskError};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The app's data dir override (the window reads the same variable).
const DATA_DIR_ENV: &str = "ANYINT_DESK_DATA_DIR";
/// The app's bundle identifier: its data dir's name (tauri.conf.json).
const APP_IDENTIFIER: &str = "ai.anyint.desk";
/// The id of the app's in-process Sandbox connection (`desk/mod.rs`).
pub(crate) const SANDBOX_CONNECTION: &str = "sandbox";

/// Exit codes of `task wait`, so a script can tell the outcomes apart.
pub(crate) const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
pub(crate) const EXIT_CANCELLED: u8 = 3;
pub(crate) const EXIT_EXPIRED: u8 = 4;
pub(crate) const EXIT_TIMEOUT: u8 = 5;

#[derive(Args)]
pub struct TaskArgs {
    /// The app's data dir (shared with the window). Default: the app's own.
    #[arg(long, env = DATA_DIR_ENV, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: TaskCommand,
}

#[derive(Subcommand)]
enum TaskCommand {
    /// Submit a task (the row is written before the request is sent) and print its id and state.
    Submit {
        /// A task route id, e.g. `suno.generate`, `openai.videos`, `dashscope.video`.
        #[arg(long)]
        route: String,
        /// The create body: JSON text, `@file` for a file, or `-` for stdin.
        #[arg(long)]
        json: String,
        /// A local file for a field that takes one instead of a URL, as POINTER=PATH
        /// (`/uploadUrl=song.mp3`, `/input/img_url=frame.png`); repeatable. Kept in the data
        /// dir's task-inputs and sent the way the route's upstream takes it.
        #[arg(long = "file", value_name = "POINTER=PATH")]
        files: Vec<String>,
        /// A name for the task (notifications use it); the prompt's first words otherwise.
        #[arg(long)]
        label: Option<String>,
        /// The same id twice gives the first task back instead of paying again (for retried
        /// scripts). Default: a new id, i.e. a new task.
        #[arg(long)]
        submission_id: Option<String>,
        /// Gateway base URL, with the key from ANYINT_API_KEY. Default: the app's active
        /// connection and its key.
        #[arg(long, env = "ANYINT_BASE_URL")]
        base_url: Option<String>,
    },
    /// Print a task's row, raw status and artifacts (`--json`: the whole task page).
    Status {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Poll until the task is terminal. Exit 0 succeeded, 1 failed, 3 cancelled, 4 expired,
    /// 5 timeout.
    Wait {
        id: String,
        /// Give up waiting after this many seconds (the task itself stays tracked).
        #[arg(long)]
        timeout: Option<f64>,
        #[arg(long)]
        json: bool,
    },
    /// Copy a task's artifacts into DIR, each checked against its recorded sha256.
    Download {
        id: String,
        #[arg(long)]
        to: PathBuf,
    },
    /// The newest tasks, as in the Tasks table.
    List {
        /// Only tasks in this state (queued, running, succeeded, failed...).
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

pub async fn task(args: TaskArgs) -> ExitCode {
    let Some(dir) = args.data_dir.or_else(default_data_dir) else {
        eprintln!("error: no data dir: set {DATA_DIR_ENV} or pass --data-dir");
        return ExitCode::from(EXIT_USAGE);
    };
    let desk = match Desk::open(&dir, None) {
        Ok(desk) => desk,
        Err(e) => return fail(e),
    };
    let result = match args.command {
        TaskCommand::Submit {
            route,
            json,
            files,
            label,
            submission_id,
            base_url,
        } => match with_files(&desk, &json, &files) {
            Ok(body) => submit(&desk, route, body, label, submission_id, base_url).await,
            Err(e) => Err(e),
        },
        TaskCommand::Status { id, json } => status(&desk, &id, json),
        TaskCommand::Wait { id, timeout, json } => return wait(&desk, &id, timeout, json).await,
        TaskCommand::Download { id, to } => download(&desk, &id, &to).await,
        TaskCommand::List { state, limit, json } => list(&desk, state.as_deref(), limit, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Why a command stopped: its message and exit code.
pub(crate) struct Fail {
    code: u8,
    message: String,
}

impl From<DeskError> for Fail {
    fn from(e: DeskError) -> Self {
        let code = match e {
            DeskError::InvalidInput(_) | DeskError::NotFound(_) => EXIT_USAGE,
            _ => EXIT_FAILED,
        };
        let mut message = e.to_string();
        if matches!(e, DeskError::SandboxNotRunning) {
            message.push_str(
                "; the Sandbox runs inside the app only: start one (`anyint-sandbox`) and pass \
                 --base-url, or make a gateway connection active in the app",
            );
        }
        Self { code, message }
    }
}

impl Fail {
    pub(crate) fn usage(message: String) -> Self {
        Self {
            code: EXIT_USAGE,
            message,
        }
    }

    pub(crate) fn failed(message: String) -> Self {
        Self {
            code: EXIT_FAILED,
            message,
        }
    }
}

pub(crate) fn fail(e: impl Into<Fail>) -> ExitCode {
    let f = e.into();
    eprintln!("error: {}", f.message);
    ExitCode::from(f.code)
}

/// What the app's `app_data_dir()` resolves to for its identifier.
fn default_data_dir() -> Option<PathBuf> {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    let base = if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support"))
    } else if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home().map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join(APP_IDENTIFIER))
}

pub(crate) fn out(text: impl std::fmt::Display) {
    // A closed stdout (`| head`) is the reader's choice, not a failure.
    let _ = writeln!(std::io::stdout(), "{text}");
}

pub(crate) fn out_json(value: &impl Serialize) -> Result<(), Fail> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Fail::failed(format!("cannot print JSON: {e}")))?;
    out(text);
    Ok(())
}

fn read_body(json: &str) -> Result<serde_json::Value, Fail> {
    let text = if json == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Fail::usage(format!("cannot read the body from stdin: {e}")))?;
        text
    } else if let Some(path) = json.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| Fail::usage(format!("cannot read `{path}`: {e}")))?
    } else {
        json.to_string()
    };
    serde_json::from_str(&text).map_err(|e| Fail::usage(format!("--json is not valid JSON: {e}")))
}

/// The connection for `--base-url`: one already stored for that URL, else a new one.
fn connection_for(desk: &Desk, base_url: &str) -> Result<String, DeskError> {
    let url = parse_base_url(base_url)?;
    let url = url.as_str().trim_end_matches('/');
    let found = desk
        .connections()?
        .into_iter()
        .find(|c| c.kind == ConnectionKind::Anyint && c.base_url == url);
    if let Some(c) = found {
        return Ok(c.id);
    }
    // The key is ANYINT_API_KEY, as for every CLI command; plain http:// to another machine
    // stays refused (`insecure_http`), as it is in the app without a confirmation.
    let added = desk.add_connection(NewConnection {
        name: format!("CLI {url}"),
        base_url: url.to_string(),
        use_env_key: Some(true),
        allow_insecure_http: None,
    })?;
    Ok(added.id)
}

fn new_submission_id() -> String {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    format!("cli-{}-{nanos}", std::process::id())
}

/// The body of `--json` with each `--file POINTER=PATH` kept and its marker put at POINTER.
fn with_files(desk: &Desk, json: &str, files: &[String]) -> Result<serde_json::Value, Fail> {
    let mut body = read_body(json)?;
    for spec in files {
        let Some((pointer, path)) = spec.split_once('=').filter(|(p, _)| p.starts_with('/')) else {
            return Err(Fail::usage(format!(
                "--file `{spec}`: expected POINTER=PATH, e.g. /uploadUrl=song.mp3"
            )));
        };
        let bytes =
            std::fs::read(path).map_err(|e| Fail::usage(format!("cannot read `{path}`: {e}")))?;
        let file = desk.task_input_bytes(path, "", &bytes)?;
        let mut at = &mut body;
        for key in pointer.split('/').skip(1) {
            let Some(object) = at.as_object_mut() else {
                return Err(Fail::usage(format!(
                    "--file `{pointer}`: not an object path in the body"
                )));
            };
            at = object
                .entry(key.replace("~1", "/").replace("~0", "~"))
                .or_insert(serde_json::Value::Null);
            if at.is_null() {
                *at = serde_json::json!({});
            }
        }
        *at = file.marker();
    }
    Ok(body)
}

async fn submit(
    desk: &Desk,
    route: String,
    body: serde_json::Value,
    label: Option<String>,
    submission_id: Option<String>,
    base_url: Option<String>,
) -> Result<(), Fail> {
    let connection_id = match base_url {
        Some(url) => Some(connection_for(desk, &url)?),
        None => None,
    };
    let row = desk
        .tasks_submit(TaskSubmit {
            connection_id,
            route,
            body,
            label,
            submission_id: submission_id.unwrap_or_else(new_submission_id),
            parent_task_id: None,
        })
        .await?;
    out(format!("{} {}", row.id, row.state.as_str()));
    if let Some(error) = &row.error {
        eprintln!("{error}");
    }
    if row.state == TaskState::Failed {
        return Err(Fail::failed(format!("task {} failed at submit", row.id)));
    }
    Ok(())
}

pub(crate) fn print_row(row: &TaskRow) {
    out(format!(
        "{}  {}  raw={}  {}  \"{}\"  gateway={}  files={}",
        row.id,
        row.state.as_str(),
        row.raw_status.as_deref().unwrap_or("-"),
        row.route,
        row.label,
        row.gateway_task_id.as_deref().unwrap_or("-"),
        row.artifact_count
    ));
    if let Some(error) = &row.error {
        out(format!("  error: {error}"));
    }
}

fn status(desk: &Desk, id: &str, json: bool) -> Result<(), Fail> {
    let detail = desk.task_detail(id)?;
    if json {
        return out_json(&detail);
    }
    print_row(&detail.task);
    if let Some(p) = detail.task.progress {
        out(format!("  progress: {p:.0}%"));
    }
    for a in &detail.artifacts {
        out(format!(
            "  [{}] {} {} {}",
            a.index,
            a.state.as_str(),
            a.path.as_deref().unwrap_or(&a.file_name),
            a.sha256.as_deref().unwrap_or("")
        ));
    }
    Ok(())
}

fn list(desk: &Desk, state: Option<&str>, limit: u32, json: bool) -> Result<(), Fail> {
    let states =
        match state {
            Some(s) => vec![TaskState::parse(s)
                .ok_or_else(|| Fail::usage(format!("`{s}` is not a task state")))?],
            None => Vec::new(),
        };
    let page = desk.tasks_list(&TaskFilter {
        states,
        limit,
        ..TaskFilter::default()
    })?;
    if json {
        return out_json(&page);
    }
    for row in &page.rows {
        print_row(row);
    }
    eprintln!("{} of {} tasks", page.rows.len(), page.total);
    Ok(())
}
