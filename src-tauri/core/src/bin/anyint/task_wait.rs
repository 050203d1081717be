//! `anyint task wait` and `anyint task download`: the core's poller until a task is terminal
//! (exit code per outcome), and its saved files copied out with their sha256 checked.

use crate::task::{
    fail, out, out_json, print_row, Fail, EXIT_CANCELLED, EXIT_EXPIRED, EXIT_FAILED, EXIT_TIMEOUT,
    SANDBOX_CONNECTION,
};
use anyint_core::background::BackgroundWork;
use anyint_core::tasks::view::{ArtifactState, TaskDetail};
use anyint_core::tasks::TaskState;
use anyint_core::Desk;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

pub async fn wait(desk: &Desk, id: &str, timeout: Option<f64>, json: bool) -> ExitCode {
    let row = match desk.task_center().task(id) {
        Ok(row) => row,
        Err(e) => return fail(e),
    };
    let work = BackgroundWork::new(tokio::runtime::Handle::current());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    if row.connection_id == SANDBOX_CONNECTION && !row.state.is_terminal() {
        // Only the app reaches its in-process Sandbox; the row is still read below, so a
        // task the running app finishes ends the wait.
        eprintln!("note: task {id} is on the app's Sandbox: only the running app can poll it");
    }
    // The poller resumes every tracked task of the data dir, as the app would on start.
    if !row.state.is_terminal() {
        if let Err(e) = desk.start_task_poller(&work, tx) {
            return fail(e);
        }
    }
    let limit = timeout
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let until = limit.map(|l| tokio::time::Instant::now() + l);
    let outcome = loop {
        match desk.task_detail(id) {
            Ok(detail) if done(&detail) => break Ok(detail),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
        let tick = tokio::time::sleep(Duration::from_millis(500));
        let deadline = async {
            match until {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            // Either a transition (of any task) or a tick: the row is read again. The tick
            // also sees a task another process (the window) finished.
            _ = rx.recv() => {}
            _ = tick => {}
            _ = deadline => {
                eprintln!("error: task {id} not finished after {:?}", limit.unwrap_or_default());
                work.stop().await;
                return ExitCode::from(EXIT_TIMEOUT);
            }
        }
    };
    work.stop().await;
    let detail = match outcome {
        Ok(detail) => detail,
        Err(e) => return fail(e),
    };
    if json {
        if let Err(e) = out_json(&detail) {
            return fail(e);
        }
    } else {
        print_row(&detail.task);
    }
    let message = detail.task.error.as_deref().unwrap_or("no reason given");
    match detail.task.state {
        TaskState::Succeeded => ExitCode::SUCCESS,
        TaskState::Cancelled => {
            eprintln!("error: task {id} was cancelled: {message}");
            ExitCode::from(EXIT_CANCELLED)
        }
        TaskState::Expired => {
            eprintln!("error: task {id} expired: {message}");
            ExitCode::from(EXIT_EXPIRED)
        }
        _ => {
            eprintln!("error: task {id} failed: {message}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// Terminal, and (when succeeded) no file still on its way: `wait` then `download` finds
/// the files on disk.
fn done(detail: &TaskDetail) -> bool {
    detail.task.state.is_terminal()
        && (detail.task.state != TaskState::Succeeded
            || detail
                .artifacts
                .iter()
                .all(|a| !matches!(a.state, ArtifactState::Pending | ArtifactState::Downloading)))
}

pub async fn download(desk: &Desk, id: &str, to: &Path) -> Result<(), Fail> {
    let mut detail = desk.task_detail(id)?;
    if detail.task.state != TaskState::Succeeded {
        return Err(Fail::usage(format!(
            "task {id} is {}, not succeeded: nothing to download",
            detail.task.state.as_str()
        )));
    }
    if detail
        .artifacts
        .iter()
        .any(|a| a.state != ArtifactState::Saved)
    {
        detail = desk.task_redownload(id).await?;
    }
    std::fs::create_dir_all(to).map_err(|e| io_error(to, &e))?;
    let mut problems = Vec::new();
    for a in &detail.artifacts {
        let (Some(path), Some(sha)) = (a.path.as_deref(), a.sha256.as_deref()) else {
            problems.push(format!(
                "[{}] {} is {}: {}",
                a.index,
                a.file_name,
                a.state.as_str(),
                a.error.as_deref().unwrap_or("not saved")
            ));
            continue;
        };
        let target = to.join(&a.file_name);
        std::fs::copy(path, &target).map_err(|e| io_error(&target, &e))?;
        let got = sha256_of(&target)?;
        if got != sha {
            problems.push(format!(
                "[{}] {} has sha256 {got}, the task recorded {sha}",
                a.index,
                target.display()
            ));
            continue;
        }
        out(format!("{}  {}", sha, target.display()));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Fail::failed(problems.join("; ")))
    }
}

fn sha256_of(path: &Path) -> Result<String, Fail> {
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| io_error(path, &e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn io_error(path: &Path, e: &std::io::Error) -> Fail {
    Fail::failed(format!("{}: {e}", path.display()))
}
