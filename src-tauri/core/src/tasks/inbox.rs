//! The local callback inbox (issue 9, part 7): an optional loopback receiver for task callbacks.
//! A desktop app has no public URL, so polling drives completion (decision 4); this inbox only
//! serves senders on this machine (the Sandbox, a gateway run locally) and is a record plus a
//! nudge, never an authority:
//! - each payload is recorded (time, the task it names, its envelope, the raw body bounded);
//! - a repeat (same task, same event) is recorded as a duplicate and acted on no further;
//! - a first one goes to [`TaskCenter::callback_received`], which asks the poller to poll now.
//!   A callback never sets a task's state: it can be forged, stale or out of order, and the
//!   poll answer decides.
//!
//! Envelopes understood: Suno's bare `{callbackType, task_id, data}` (AnyInt docs) and wrapped
//! `{code, msg, data: {callbackType, task_id, data}}` (upstream Suno API), Kling's task object
//! (`{task_id, task_status, ...}`, bare or under `data`); anything else is kept as `other`.

mod server;

use super::center::TaskCenter;
use crate::background::BackgroundWork;
use crate::error::DeskError;
use crate::store::{NewCallback, Store, StoreError};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// The largest body the receiver reads; a bigger one is refused with 413 before it is buffered.
/// A Suno `complete` callback with its tracks and lyrics is a few KiB.
pub const MAX_BODY: usize = 1024 * 1024;
/// How much of a body is stored; the rest is cut (and the record says so).
pub const MAX_STORED_RAW: usize = 64 * 1024;
/// The path the receiver answers on; the URL handed to studios ends with it.
pub const INBOX_PATH: &str = "/callbacks";

/// How a payload was wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallbackEnvelope {
    /// Suno as the AnyInt docs show it: `{callbackType, task_id, data}`.
    Bare,
    /// Suno as upstream sends it: `{code, msg, data: {callbackType, task_id, data}}`.
    Wrapped,
    /// Kling's task object, `{task_id, task_status, ...}` (or under `data`).
    Kling,
    /// JSON of another shape; matched to a task by the usual id fields if it has one.
    Other,
    /// Not JSON at all: kept so the sender's mistake can be seen.
    Unreadable,
}

impl CallbackEnvelope {
    const ALL: [CallbackEnvelope; 5] = [
        Self::Bare,
        Self::Wrapped,
        Self::Kling,
        Self::Other,
        Self::Unreadable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bare => "bare",
            Self::Wrapped => "wrapped",
            Self::Kling => "kling",
            Self::Other => "other",
            Self::Unreadable => "unreadable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl rusqlite::types::ToSql for CallbackEnvelope {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for CallbackEnvelope {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let word = value.as_str()?;
        Self::parse(word).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(format!("unknown envelope `{word}`").into())
        })
    }
}

/// What the inbox read out of one body.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCallback {
    pub envelope: CallbackEnvelope,
    pub gateway_task_id: Option<String>,
    /// What makes a repeat a repeat: Suno's `callbackType` (`text`, `first`, `complete`,
    /// `error`), Kling's `task_status`, else a digest of the body.
    pub event: String,
    /// The status the sender claims, shown beside the record and never applied.
    pub claimed_status: Option<String>,
    /// The body as JSON, when it was JSON.
    pub json: Option<Value>,
}

/// Reads a callback body. Never fails: what cannot be understood is `Other` or `Unreadable`.
pub fn parse_callback(body: &[u8]) -> ParsedCallback {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        return ParsedCallback {
            envelope: CallbackEnvelope::Unreadable,
            gateway_task_id: None,
            event: digest(body),
            claimed_status: None,
            json: None,
        };
    };
    let text = |v: &Value, keys: &[&str]| {
        keys.iter()
            .find_map(|k| v.get(*k).and_then(id_text))
            .filter(|s| !s.is_empty())
    };
    let suno = |inner: &Value, envelope| {
        let kind = inner.get("callbackType").and_then(Value::as_str)?;
        Some((
            envelope,
            text(inner, &["task_id", "taskId"]),
            kind.to_string(),
        ))
    };
    let kling = |inner: &Value| {
        let status = inner.get("task_status").and_then(Value::as_str)?;
        Some((
            CallbackEnvelope::Kling,
            text(inner, &["task_id"]),
            status.to_string(),
        ))
    };
    let data = json.get("data").unwrap_or(&Value::Null);
    let known = suno(&json, CallbackEnvelope::Bare)
        .or_else(|| suno(data, CallbackEnvelope::Wrapped))
        .or_else(|| kling(&json))
        .or_else(|| kling(data));
    let (envelope, gateway_task_id, event, claimed_status) = match known {
        Some((envelope, id, event)) => (envelope, id, event.clone(), Some(event)),
        None => {
            let id = text(&json, &["task_id", "taskId", "id"])
                .or_else(|| text(data, &["task_id", "taskId", "id"]))
                .or_else(|| text(json.get("output").unwrap_or(&Value::Null), &["task_id"]));
            let status = ["status", "task_status"]
                .iter()
                .find_map(|k| json.get(*k).or_else(|| data.get(*k)))
                .and_then(Value::as_str)
                .map(str::to_string);
            (CallbackEnvelope::Other, id, digest(body), status)
        }
    };
    ParsedCallback {
        envelope,
        gateway_task_id,
        event,
        claimed_status,
        json: Some(json),
    }
}

/// Task ids arrive as text, and now and then as a number.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn digest(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(&Sha256::digest(body)[..8]))
}

/// The body as stored: text (invalid UTF-8 replaced), cut at [`MAX_STORED_RAW`] bytes on a
/// character boundary. True when something was cut.
pub fn bounded_raw(body: &[u8]) -> (String, bool) {
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_STORED_RAW {
        return (text.into_owned(), false);
    }
    let mut end = MAX_STORED_RAW;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text[..end].to_string(), true)
}

/// One recorded payload, as the task's page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallbackRecord {
    /// Its order of arrival among every payload the inbox took in.
    #[ts(type = "number")]
    pub n: i64,
    /// RFC 3339.
    pub received_at: String,
    pub task_id: Option<String>,
    pub gateway_task_id: Option<String>,
    pub envelope: CallbackEnvelope,
    /// `text`, `first`, `complete`, `error` (Suno), `succeed`... (Kling), else a digest.
    pub event: String,
    /// What the sender says happened; the task's state comes from its polls, not from this.
    pub claimed_status: Option<String>,
    /// The `n` of the first payload of the same task and event, when this one repeats it.
    #[ts(type = "number | null")]
    pub duplicate_of: Option<i64>,
    /// The body as received, cut at 64 KiB.
    pub raw: String,
    pub raw_truncated: bool,
}

/// What happened to one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub n: i64,
    pub envelope: CallbackEnvelope,
    pub task_id: Option<String>,
    pub duplicate: bool,
    /// Passed to the task center (kept on the task's page, and the poller asked to poll now).
    pub handed_on: bool,
}

/// The receiving side, without HTTP: record, de-duplicate, hand on.
#[derive(Debug, Clone)]
pub struct Receiver {
    center: Arc<TaskCenter>,
}

impl Receiver {
    pub fn new(center: Arc<TaskCenter>) -> Self {
        Self { center }
    }

    fn store(&self) -> &Store {
        self.center.store()
    }

    pub fn receive(&self, body: &[u8]) -> Result<Received, StoreError> {
        let parsed = parse_callback(body);
        let task_id = match parsed.gateway_task_id.as_deref() {
            Some(gateway) => self.store().task_id_by_gateway_id(gateway)?,
            None => None,
        };
        let (raw, raw_truncated) = bounded_raw(body);
        let received_at = crate::desk::now();
        let (n, first) = self.store().record_callback(&NewCallback {
            received_at: &received_at,
            task_id: task_id.as_deref(),
            gateway_task_id: parsed.gateway_task_id.as_deref(),
            envelope: parsed.envelope,
            event: &parsed.event,
            claimed_status: parsed.claimed_status.as_deref(),
            raw: &raw,
            raw_truncated,
        })?;
        let duplicate = first.is_some();
        let mut handed_on = false;
        if let (false, Some(_), Some(json)) = (duplicate, task_id.as_ref(), parsed.json.as_ref()) {
            handed_on = self.center.callback_received(json)?.is_some();
        }
        Ok(Received {
            n,
            envelope: parsed.envelope,
            task_id,
            duplicate,
            handed_on,
        })
    }
}

/// The inbox's switch: started and stopped at run time, its loop owned by [`BackgroundWork`]
/// (stopped with every other loop on shutdown, or alone when switched off).
#[derive(Debug)]
pub struct CallbackInbox {
    receiver: Receiver,
    work: Mutex<Option<BackgroundWork>>,
    running: Mutex<Option<Running>>,
}

#[derive(Debug)]
struct Running {
    url: String,
    stop: tokio::sync::watch::Sender<bool>,
}

impl CallbackInbox {
    pub fn new(receiver: Receiver) -> Self {
        Self {
            receiver,
            work: Mutex::new(None),
            running: Mutex::new(None),
        }
    }

    /// Hands over the owner of background loops; until then the inbox cannot start (the CLI
    /// never attaches one, so it never listens).
    pub fn attach(&self, work: &BackgroundWork) {
        *lock(&self.work) = Some(work.clone());
    }

    /// Listens on 127.0.0.1 on a port the OS picks (a fixed one could be taken, and a new
    /// one per start is harmless: polling finishes tasks sent to an old URL). Returns the URL;
    /// already running gives the same URL back.
    pub fn start(&self) -> Result<String, DeskError> {
        let mut running = lock(&self.running);
        if let Some(r) = running.as_ref() {
            return Ok(r.url.clone());
        }
        let work = lock(&self.work).clone().ok_or_else(|| {
            DeskError::InvalidInput("the callback inbox runs only inside the app".into())
        })?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| {
                DeskError::InvalidInput(format!(
                    "the callback inbox could not listen on 127.0.0.1: {e}"
                ))
            })?;
        let addr = listener.local_addr().map_err(|e| {
            DeskError::InvalidInput(format!("the callback inbox has no address: {e}"))
        })?;
        let url = format!("http://{addr}{INBOX_PATH}");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let receiver = self.receiver.clone();
        work.spawn("callback inbox", move |shutdown| {
            server::serve(listener, receiver, shutdown, stopped)
        });
        tracing::info!(%url, "callback inbox listening");
        *running = Some(Running {
            url: url.clone(),
            stop,
        });
        Ok(url)
    }

    /// Stops listening (payloads already recorded stay). Nothing happens when it is off.
    pub fn stop(&self) {
        if let Some(r) = lock(&self.running).take() {
            r.stop.send_replace(true);
            tracing::info!(url = %r.url, "callback inbox stopped");
        }
    }

    /// The URL while listening.
    pub fn url(&self) -> Option<String> {
        lock(&self.running).as_ref().map(|r| r.url.clone())
    }

    pub fn receiver(&self) -> &Receiver {
        &self.receiver
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain slots: a panic elsewhere cannot leave them half-written.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
