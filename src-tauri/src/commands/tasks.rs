//! The task center: submit (once per click), the Tasks table's pages, a task's page, cancel,
//! re-run, the music lineage, the running count, the route catalogue for the studios, opening
//! a task's folder, and the two subscriptions the window keeps for its lifetime (transitions,
//! notification clicks; see `task_feed`).

use super::Ctx;
use crate::error::IpcError;
use crate::task_feed::TaskFeed;
use anyint_core::tasks::inputs::TaskFileRef;
use anyint_core::tasks::routes::RouteSpec;
use anyint_core::tasks::view::{
    LineageNode, TaskDetail, TaskFilter, TaskPage, TaskRow, TaskSubmit, TaskTransition,
};
use std::path::{Path, PathBuf};
use tauri::ipc::Channel;
use tauri::Manager;
use tauri_plugin_opener::OpenerExt;

pub async fn submit(ctx: &Ctx<'_>, submit: TaskSubmit) -> Result<TaskRow, IpcError> {
    Ok(ctx.desk.tasks_submit(submit).await?)
}

pub fn list(ctx: &Ctx, filter: TaskFilter) -> Result<TaskPage, IpcError> {
    Ok(ctx.desk.tasks_list(&filter)?)
}

pub fn detail(ctx: &Ctx, task_id: String) -> Result<TaskDetail, IpcError> {
    Ok(ctx.desk.task_detail(&task_id)?)
}

/// Answers with the page as it now stands, so the window shows the outcome at once.
pub fn cancel(ctx: &Ctx, task_id: String) -> Result<TaskDetail, IpcError> {
    ctx.desk.task_cancel(&task_id)?;
    Ok(ctx.desk.task_detail(&task_id)?)
}

pub async fn rerun(
    ctx: &Ctx<'_>,
    task_id: String,
    submission_id: String,
) -> Result<TaskRow, IpcError> {
    Ok(ctx.desk.task_rerun(&task_id, &submission_id).await?)
}

/// Fetches again the task's files that are not saved (a download failed or is pending).
pub async fn redownload(ctx: &Ctx<'_>, task_id: String) -> Result<TaskDetail, IpcError> {
    Ok(ctx.desk.task_redownload(&task_id).await?)
}

pub fn lineage(ctx: &Ctx, task_id: String) -> Result<LineageNode, IpcError> {
    Ok(ctx.desk.task_lineage(&task_id)?)
}

pub fn running(ctx: &Ctx) -> Result<u32, IpcError> {
    Ok(ctx.desk.tasks_running_count()?)
}

pub fn routes(_ctx: &Ctx) -> Result<Vec<RouteSpec>, IpcError> {
    Ok(anyint_core::tasks::routes::catalogue())
}

pub fn input_file(
    ctx: &Ctx,
    name: String,
    mime: String,
    base64: String,
) -> Result<TaskFileRef, IpcError> {
    Ok(ctx.desk.task_input_file(&name, &mime, &base64)?)
}

/// Opens the folder of the task's saved files in the file manager. The folder is the one its
/// first saved artifact is in, and only if that is inside the artifacts folder: a path from the
/// database never sends the file manager anywhere else.
pub fn open_folder(ctx: &Ctx, task_id: String) -> Result<(), IpcError> {
    let detail = ctx.desk.task_detail(&task_id)?;
    let root = ctx.desk.artifacts_dir()?;
    let folder = detail
        .artifacts
        .iter()
        .filter_map(|a| a.path.as_deref())
        .find_map(|p| folder_inside(Path::new(p), &root))
        .ok_or_else(|| IpcError::internal("nothing of this task is saved yet"))?;
    ctx.app
        .opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|e| IpcError::internal(format!("could not open {}: {e}", folder.display())))
}

/// The folder holding `file`, when `file` really is under `root` (symlinks and `..` resolved).
fn folder_inside(file: &Path, root: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let folder = file.canonicalize().ok()?.parent()?.to_path_buf();
    folder.starts_with(&root).then_some(folder)
}

pub async fn watch(ctx: &Ctx<'_>, on_event: Channel<TaskTransition>) -> Result<u32, IpcError> {
    ctx.app.state::<TaskFeed>().watch_transitions(on_event);
    Ok(ctx.desk.tasks_running_count()?)
}

pub async fn notification_clicks(
    ctx: &Ctx<'_>,
    on_event: Channel<String>,
) -> Result<Option<String>, IpcError> {
    Ok(ctx.app.state::<TaskFeed>().watch_clicks(on_event))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn only_a_folder_inside_the_artifacts_folder_is_opened() {
        let data = tempfile::tempdir().unwrap();
        let root = data.path().join("artifacts");
        let song = root.join("task-1").join("song.mp3");
        std::fs::create_dir_all(song.parent().unwrap()).unwrap();
        std::fs::write(&song, b"ID3").unwrap();
        let db = data.path().join("anyint.db");
        std::fs::write(&db, b"").unwrap();

        assert_eq!(
            folder_inside(&song, &root),
            Some(root.join("task-1").canonicalize().unwrap())
        );
        assert_eq!(folder_inside(&db, &root), None, "the data dir is not");
        assert_eq!(
            folder_inside(
                &root.join("task-1").join("..").join("..").join("anyint.db"),
                &root
            ),
            None
        );
        assert_eq!(folder_inside(&root.join("gone.mp3"), &root), None);
    }
}
