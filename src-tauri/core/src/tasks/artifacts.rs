//! A task's files, from the answers that name them to the disk: new ones recorded (a file the
//! family names again is matched by item id, or by position when it gives none), then each one
//! not saved yet claimed with a compare-and-set and fetched through `download`. A file saved
//! from a partial answer (Suno's stream preview) is fetched again from the final answer's source.

use super::center::{now, TaskCenter};
use super::download::{ArtifactName, FetchFailure};
use super::view::ArtifactState;
use super::{PollReport, TaskBackend, TaskState};
use crate::store::StoreError;

impl TaskCenter {
    /// Adds the answer's artifacts not known yet; a known one (same item id, or same position
    /// when the family gives none) whose source changed is fetched again from the new source.
    pub(crate) fn merge_artifacts(&self, id: &str, report: &PollReport) -> Result<(), StoreError> {
        if report.artifacts.is_empty() {
            return Ok(());
        }
        let known = self.store().task_artifacts(id)?;
        let Some(task) = self.store().task(id)? else {
            return Ok(());
        };
        let now = now();
        let mut next = known.iter().map(|a| a.view.index + 1).max().unwrap_or(0);
        for (pos, art) in report.artifacts.iter().enumerate() {
            let same = known.iter().find(|k| {
                k.view.kind == art.kind
                    && match (&art.item_id, &k.view.item_id) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => k.view.index as usize == pos,
                        _ => false,
                    }
            });
            match same {
                // A file saved from a partial answer (a stream preview) is replaced by the one
                // the final answer names; a saved file is never re-fetched before that.
                Some(k) if k.source != art.source && k.view.state == ArtifactState::Saved => {
                    if report.state == TaskState::Succeeded {
                        self.store().refetch_saved_task_artifact(
                            id,
                            k.view.index,
                            &art.source,
                            art.name_hint.as_deref(),
                            &now,
                        )?;
                    }
                }
                Some(k) if k.source != art.source && k.view.state != ArtifactState::Downloading => {
                    self.store().update_task_artifact_source(
                        id,
                        k.view.index,
                        &art.source,
                        &now,
                    )?;
                }
                Some(_) => {}
                None => {
                    let name = ArtifactName {
                        task_id: id,
                        label: &task.label,
                        route: &task.route,
                        hint: art.name_hint.as_deref(),
                        index: next,
                    };
                    let ext = super::download::extension(art.kind, None, None);
                    self.store().insert_task_artifact(
                        id,
                        next,
                        art.kind,
                        &art.source,
                        art.name_hint.as_deref(),
                        art.item_id.as_deref(),
                        &super::download::file_name(&name, ext),
                        &now,
                    )?;
                    next += 1;
                }
            }
        }
        Ok(())
    }

    /// Fetches every artifact of `id` not saved yet (pending or failed). Each one is claimed
    /// with a compare-and-set first, so two overlapping callers never fetch the same file.
    pub(crate) async fn fetch_artifacts<B: TaskBackend>(
        &self,
        backend: &B,
        id: &str,
    ) -> Result<Fetched, StoreError> {
        let mut out = Fetched::default();
        let Some(task) = self.store().task(id)? else {
            return Ok(out);
        };
        for art in self.store().task_artifacts(id)? {
            let from = art.view.state;
            if !matches!(from, ArtifactState::Pending | ArtifactState::Failed) {
                if from == ArtifactState::Expired {
                    out.expired
                        .get_or_insert_with(|| expired_text(art.view.error.as_deref()));
                }
                continue;
            }
            let idx = art.view.index;
            let now = now();
            if !self.store().transition_task_artifact(
                id,
                idx,
                from,
                ArtifactState::Downloading,
                None,
                &now,
            )? {
                continue;
            }
            let name = ArtifactName {
                task_id: id,
                label: &task.label,
                route: &task.route,
                hint: art.name_hint.as_deref(),
                index: idx,
            };
            let result = self
                .downloader()
                .fetch(backend, art.view.kind, &art.source, &name)
                .await;
            let now = super::center::now();
            match result {
                Ok(saved) => {
                    // A file fetched again (the preview's final version) under another name:
                    // the old one goes once the new one is on disk.
                    if let Some(old) = art.view.path.as_deref() {
                        if std::path::Path::new(old) != saved.path {
                            let _ = std::fs::remove_file(old);
                        }
                    }
                    self.store().task_artifact_saved(
                        id,
                        idx,
                        &saved.file_name,
                        &saved.path.to_string_lossy(),
                        saved.size,
                        &saved.sha256,
                        saved.mime.as_deref(),
                        &now,
                    )?;
                }
                Err(FetchFailure::Expired(why)) => {
                    self.store().transition_task_artifact(
                        id,
                        idx,
                        ArtifactState::Downloading,
                        ArtifactState::Expired,
                        Some(&why),
                        &now,
                    )?;
                    out.expired.get_or_insert_with(|| expired_text(Some(&why)));
                }
                Err(failure) => {
                    let (why, retry) = match failure {
                        FetchFailure::Retry(why) => (why, true),
                        FetchFailure::Broken(why) | FetchFailure::Expired(why) => (why, false),
                    };
                    self.store().transition_task_artifact(
                        id,
                        idx,
                        ArtifactState::Downloading,
                        ArtifactState::Failed,
                        Some(&why),
                        &now,
                    )?;
                    out.retry_later |= retry;
                    out.failed.get_or_insert(why);
                }
            }
        }
        Ok(out)
    }
}

/// What fetching a task's files found.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    pub expired: Option<String>,
    pub failed: Option<String>,
    pub retry_later: bool,
}

fn expired_text(why: Option<&str>) -> String {
    why.unwrap_or("the file's URL no longer answers; re-run the task for a new one")
        .to_string()
}
