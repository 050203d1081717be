//! The Sandbox's tasks kept across restarts ([`crate::SandboxConfig::task_file`]).
//!
//! A real gateway remembers the tasks it accepted; the Sandbox, restarted with the app, used
//! to forget them, so a song started on the first-run Sandbox failed after a restart. With a
//! task file each accepted task is appended as one JSON line and read back at start. A task's
//! phase is a function of its age (tasks.rs), so the creation time is all the lifecycle needs:
//! a task restarted mid-way finishes on time, one that finished while the app was closed is
//! finished. The key that made a task is kept as a digest, never the secret; it is matched back
//! to a configured key when the file is read. Uploaded files and artifact registrations are not
//! kept: artifacts are made again from the task's seed when its poll hands out their URLs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::SandboxKey;
use crate::faults::Fault;
use crate::tasks::Task;

/// Most tasks read back: the file is rewritten with the newest ones when it holds more.
const MAX_KEPT: usize = 10_000;

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
struct StoredTask {
    id: String,
    kind: String,
    model: String,
    /// sha256 of the key's secret, hex.
    owner_sha256: String,
    created_unix_ms: u64,
    duration_ms: u64,
    fault: Option<String>,
    request: Value,
    seed: u64,
}

/// The open task file.
#[derive(Debug)]
pub(crate) struct TaskFile {
    path: PathBuf,
    /// Whether the last append failed (the file may end in half a line). Held while appending,
    /// so two creates never interleave their lines.
    append_failed: Mutex<bool>,
}

fn owner_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl TaskFile {
    /// Reads the tasks kept in `path` (none if it does not exist yet) and opens it for appends.
    /// A line that cannot be parsed (a write cut short by a crash) is skipped with a warning and
    /// dropped from the file; a task of a key not configured now is kept in the file (another
    /// run may configure it) but not served.
    pub(crate) fn open(path: &Path, keys: &[SandboxKey]) -> std::io::Result<(TaskFile, Vec<Task>)> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Bytes, not `lines()`: a write cut short may end inside a UTF-8 sequence, and that
        // line alone should be skipped, not the whole file.
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut records = Vec::new();
        let mut lines = 0usize;
        for line in bytes.split(|b| *b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            lines += 1;
            match serde_json::from_slice::<StoredTask>(line) {
                Ok(stored) => records.push(stored),
                Err(e) => tracing::warn!("sandbox task file: a line is skipped: {e}"),
            }
        }
        let file = TaskFile {
            path: path.to_owned(),
            append_failed: Mutex::new(false),
        };
        if records.len() > MAX_KEPT || lines > records.len() {
            // Keep the newest, and drop what could not be parsed so it is not warned about
            // again. The records are written back as read, times included.
            records.sort_by_key(|r| r.created_unix_ms);
            let drop = records.len().saturating_sub(MAX_KEPT);
            records.drain(..drop);
            if let Err(e) = file.rewrite(&records) {
                // The tasks read are still served and new ones still appended.
                tracing::warn!(path = %path.display(), "sandbox task file: not compacted: {e}");
            }
        }
        let now = (Instant::now(), unix_ms(SystemTime::now()));
        let mut tasks = Vec::new();
        let mut unknown = 0usize;
        for record in records {
            match revive(record, keys, now) {
                Some(task) => tasks.push(task),
                None => unknown += 1,
            }
        }
        if unknown > 0 {
            tracing::warn!(
                "sandbox task file: {unknown} task(s) of keys not configured now are not served"
            );
        }
        Ok((file, tasks))
    }

    /// Appends one accepted task. A failure is logged: the task still lives in memory.
    pub(crate) fn append(&self, task: &Task) {
        let mut append_failed = self.append_failed.lock().unwrap_or_else(|e| e.into_inner());
        let written = serde_json::to_string(&stored(task))
            .map_err(std::io::Error::other)
            .and_then(|line| {
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)?;
                // After a failed append the file may end in half a line: start a new one, so
                // this task is not glued to it and lost with it.
                let lead = if *append_failed { "\n" } else { "" };
                file.write_all(format!("{lead}{line}\n").as_bytes())
            });
        *append_failed = written.is_err();
        if let Err(e) = written {
            tracing::warn!(path = %self.path.display(), "sandbox task file: not written: {e}");
        }
    }

    /// Replaces the file with `records`, through a temp file renamed over it.
    fn rewrite(&self, records: &[StoredTask]) -> std::io::Result<()> {
        let tmp = self.path.with_extension("jsonl.tmp");
        let mut out = String::new();
        for r in records {
            out.push_str(&serde_json::to_string(r).map_err(std::io::Error::other)?);
            out.push('\n');
        }
        std::fs::write(&tmp, out)?;
        std::fs::rename(&tmp, &self.path)
    }
}

fn stored(task: &Task) -> StoredTask {
    let created = SystemTime::now()
        .checked_sub(task.created.elapsed())
        .unwrap_or(UNIX_EPOCH);
    StoredTask {
        id: task.id.clone(),
        kind: task.kind.clone(),
        model: task.model.clone(),
        owner_sha256: owner_digest(&task.owner),
        created_unix_ms: unix_ms(created),
        duration_ms: u64::try_from(task.duration.as_millis()).unwrap_or(u64::MAX),
        fault: task.fault.map(|f| f.name().to_owned()),
        request: task.request.clone(),
        seed: task.seed,
    }
}

/// The task as it stands now, `now` being (monotonic, Unix ms) read once for the whole file;
/// `None` when its key is not configured.
fn revive(stored: StoredTask, keys: &[SandboxKey], now: (Instant, u64)) -> Option<Task> {
    let owner = keys
        .iter()
        .find(|k| owner_digest(&k.secret) == stored.owner_sha256)?
        .secret
        .clone();
    let age = Duration::from_millis(now.1.saturating_sub(stored.created_unix_ms));
    let duration = Duration::from_millis(stored.duration_ms);
    // Some platforms' Instant cannot reach back that far (before boot); a task that old is
    // long finished, and any creation time at least its duration ago says so.
    let created = now
        .0
        .checked_sub(age)
        .or_else(|| now.0.checked_sub(duration.min(age)))
        .unwrap_or(now.0);
    Some(Task {
        id: stored.id,
        kind: stored.kind,
        model: stored.model,
        owner,
        created,
        created_unix: stored.created_unix_ms / 1000,
        duration,
        // An unknown name (a newer Sandbox's fault) is dropped rather than the task.
        fault: stored.fault.and_then(|f| f.parse::<Fault>().ok()),
        request: stored.request,
        seed: stored.seed,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::tasks::Phase;

    fn task(id: &str, owner: &str, age: Duration, duration: Duration) -> Task {
        Task {
            id: id.into(),
            kind: "suno.generate".into(),
            model: "V5".into(),
            owner: owner.into(),
            created: Instant::now() - age,
            created_unix: 0,
            duration,
            fault: Some(Fault::TaskFail),
            request: serde_json::json!({"prompt": "night drive"}),
            seed: 7,
        }
    }

    #[test]
    fn tasks_come_back_with_their_age_their_owner_and_no_secret_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox").join("tasks.jsonl");
        let keys = SandboxKey::defaults();
        let secret = keys[0].secret.clone();
        let (file, none) = TaskFile::open(&path, &keys).unwrap();
        assert!(none.is_empty());
        file.append(&task(
            "t1",
            &secret,
            Duration::from_secs(2),
            Duration::from_secs(10),
        ));
        file.append(&task(
            "t2",
            &secret,
            Duration::from_secs(90),
            Duration::from_secs(60),
        ));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(&secret),
            "the key's secret is on disk: {text}"
        );

        let (_file, back) = TaskFile::open(&path, &keys).unwrap();
        assert_eq!(back.len(), 2);
        let (t1, t2) = (&back[0], &back[1]);
        assert_eq!((t1.id.as_str(), t1.owner.as_str()), ("t1", secret.as_str()));
        assert_eq!(t1.fault, Some(Fault::TaskFail));
        assert_eq!(t1.request["prompt"], "night drive");
        let age = t1.created.elapsed();
        assert!(
            age >= Duration::from_secs(2) && age < Duration::from_secs(10),
            "{age:?}"
        );
        // 2 s into 10: past the queued first 15%, not done.
        assert_eq!(t1.phase(), Phase::Running);
        // Finished while the app was closed: finished now, failed by its fault.
        assert_eq!(t2.phase(), Phase::Failed);
    }

    #[test]
    fn a_torn_line_is_dropped_and_a_task_of_a_key_not_configured_is_kept_but_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tasks.jsonl");
        let keys = SandboxKey::defaults();
        let (file, _) = TaskFile::open(&path, &keys).unwrap();
        file.append(&task(
            "ok",
            &keys[0].secret,
            Duration::ZERO,
            Duration::from_secs(5),
        ));
        file.append(&task(
            "gone",
            "sk-sandbox-a-key-not-configured",
            Duration::ZERO,
            Duration::from_secs(5),
        ));
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        // A crash in the middle of an append, inside a three-byte character.
        f.write_all(
            "{\"id\":\"torn\",\"kind\":\"“"
                .as_bytes()
                .split_last()
                .unwrap()
                .1,
        )
        .unwrap();
        drop(f);

        let (_, back) = TaskFile::open(&path, &keys).unwrap();
        assert_eq!(
            back.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["ok"]
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let ids: Vec<String> = text
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
            .collect();
        assert_eq!(ids, [r#""ok""#, r#""gone""#], "{text}");
    }
}
