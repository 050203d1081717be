//! Local files given to a task (issue 9 part 5): kept once by checksum in
//! `<data dir>/task-inputs`, named in the request body by a marker (`tasks::inputs`), and, for a
//! route that takes only a URL (Suno `uploadUrl`), uploaded to the gateway before the task's
//! row is written, so a gateway without a file route costs nothing and the form keeps its
//! values.

use super::Desk;
use crate::error::DeskError;
use crate::tasks::inputs::{InputStore, TaskFileRef};
use base64::Engine;
use std::path::PathBuf;

impl Desk {
    /// Where input files are kept: next to the database (a per-process temp folder for an
    /// in-memory store).
    pub fn task_inputs(&self) -> InputStore {
        let dir: PathBuf = self.inner.store.data_dir().map_or_else(
            || std::env::temp_dir().join(format!("anyint-desk-inputs-{}", std::process::id())),
            |dir| dir.join("task-inputs"),
        );
        InputStore::new(dir)
    }

    /// Keeps a file the window read (its bytes as base64) and describes it; the form puts the
    /// returned reference's marker in the field.
    pub fn task_input_file(
        &self,
        name: &str,
        mime: &str,
        base64: &str,
    ) -> Result<TaskFileRef, DeskError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|e| {
                DeskError::InvalidInput(format!("the file's bytes are not base64: {e}"))
            })?;
        self.task_input_bytes(name, mime, &bytes)
    }

    /// Keeps `bytes` as an input file (the CLI reads them from a path).
    pub fn task_input_bytes(
        &self,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<TaskFileRef, DeskError> {
        self.task_inputs()
            .save(name, mime, bytes)
            .map_err(|e| DeskError::InvalidInput(format!("`{name}`: {e}")))
    }
}
