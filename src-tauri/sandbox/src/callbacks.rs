//! Music task callbacks (contract §3.10, §4.1, §9.7): POSTs the `text`, `first` and `complete`
//! stages (or `error`) to the task's `callBackUrl`, bare or wrapped in `{code,msg,data}`, once or
//! twice (to exercise idempotent receivers). A tiny HTTP/1.1 client over plain TCP is enough:
//! callbacks go to local receivers in tests and development, and no extra dependency is needed.

use std::io;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::config::CallbackEnvelope;
use crate::faults::Fault;
use crate::state::Shared;
use crate::tasks::Task;

/// [UPSTREAM] Suno API gives receivers 15 s to answer.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(15);

/// One stage to deliver: its `callbackType`, when (fraction of the task's life) and the items.
pub(crate) struct Stage {
    pub name: &'static str,
    pub at: f64,
    pub items: Value,
}

/// Spawns delivery of `stages` for `task` to `url`; a failed task gets an `error` stage instead
/// of its final ones, a stuck task never gets its `complete`.
pub(crate) fn schedule(state: &Shared, task: &Task, url: String, stages: Vec<Stage>) {
    let state = state.clone();
    let task = task.clone();
    tokio::spawn(async move {
        let mut shutdown = state.shutdown.clone();
        for stage in stages {
            let failing = task.fault == Some(Fault::TaskFail) && stage.at >= 1.0;
            if task.fault == Some(Fault::TaskStuck) && stage.at >= 1.0 {
                return;
            }
            let due = task.created + task.duration.mul_f64(stage.at);
            tokio::select! {
                () = tokio::time::sleep_until(due.into()) => {}
                _ = shutdown.wait_for(|s| *s) => return,
            }
            let (kind, code, msg, items) = if failing {
                (
                    "error",
                    501,
                    "Audio generation failed (sandbox task-fail fault).",
                    Value::Null,
                )
            } else {
                let msg = match stage.name {
                    "text" => "Text generation completed successfully.",
                    "first" => "First track generated successfully.",
                    _ => "All generated successfully.",
                };
                (stage.name, 200, msg, stage.items)
            };
            let inner = json!({"callbackType": kind, "task_id": task.id, "data": items});
            let body = match state.config.callback_envelope {
                CallbackEnvelope::Bare => inner,
                CallbackEnvelope::Wrapped => json!({"code": code, "msg": msg, "data": inner}),
            };
            let bytes = body.to_string();
            let times = if state.config.callback_duplicates {
                2
            } else {
                1
            };
            for _ in 0..times {
                if let Err(e) = post_json(&url, bytes.as_bytes()).await {
                    tracing::warn!("callback to {url} failed: {e}");
                }
            }
            if failing {
                return;
            }
        }
    });
}

/// Spawns one POST of `build(task)` to `url` when the task reaches its terminal state (never for a
/// stuck task). Used for Kling's `callback_url`, whose body is the task object itself [UPSTREAM].
pub(crate) fn schedule_final<F>(state: &Shared, task: &Task, url: String, build: F)
where
    F: FnOnce(&Shared, &Task) -> Value + Send + 'static,
{
    if task.fault == Some(Fault::TaskStuck) {
        return;
    }
    let state = state.clone();
    let task = task.clone();
    tokio::spawn(async move {
        let mut shutdown = state.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep_until((task.created + task.duration).into()) => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        let body = build(&state, &task).to_string();
        let times = if state.config.callback_duplicates {
            2
        } else {
            1
        };
        for _ in 0..times {
            if let Err(e) = post_json(&url, body.as_bytes()).await {
                tracing::warn!("callback to {url} failed: {e}");
            }
        }
    });
}

/// POSTs JSON to an `http://` URL and returns the response status.
pub(crate) async fn post_json(url: &str, body: &[u8]) -> io::Result<u16> {
    let invalid = |m: &str| io::Error::new(io::ErrorKind::InvalidInput, m.to_owned());
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| invalid("only http:// callback URLs are delivered by the sandbox"))?;
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let addr = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let exchange = async {
        let mut stream = TcpStream::connect(&addr).await?;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nUser-Agent: anyint-sandbox\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        let text = String::from_utf8_lossy(&response);
        text.split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "no HTTP status in callback response",
                )
            })
    };
    tokio::time::timeout(CALLBACK_TIMEOUT, exchange)
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "callback receiver timed out"))?
}
