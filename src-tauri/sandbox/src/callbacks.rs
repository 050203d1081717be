//! Music task callbacks (contract §3.10, §4.1, §9.7): POSTs the `text`, `first` and `complete`
//! stages (or `error`) to the task's `callBackUrl`, bare or wrapped in `{code,msg,data}`, once or
//! twice (to exercise idempotent receivers). A tiny HTTP/1.1 client over plain TCP is enough:
//! callbacks go to local receivers in tests and development, and no extra dependency is needed.
//!
//! Only to this machine: a `callBackUrl` is whatever the caller wrote, and following it to any
//! host would let a script or a web page use the sandbox to send requests elsewhere. A URL
//! that names anything but a loopback address or `localhost` is refused before any lookup or
//! connect, logged, and recorded ([`crate::Sandbox::refused_callbacks`]); the task completes.

use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::config::CallbackEnvelope;
use crate::faults::Fault;
use crate::host::split_host_port;
use crate::state::Shared;
use crate::tasks::Task;

/// [UPSTREAM] Suno API gives receivers 15 s to answer.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(15);
/// Refusals kept for [`crate::Sandbox::refused_callbacks`]; older ones are forgotten.
const KEPT_REFUSALS: usize = 256;

/// Callback URLs refused because they do not name this machine, oldest first.
#[derive(Debug, Default)]
pub(crate) struct RefusedCallbacks(Mutex<VecDeque<String>>);

impl RefusedCallbacks {
    fn record(&self, url: &str) {
        // A poisoned lock only means another task panicked; the list is still usable.
        let mut urls = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if urls.len() == KEPT_REFUSALS {
            urls.pop_front();
        }
        urls.push_back(url.to_owned());
    }

    pub(crate) fn list(&self) -> Vec<String> {
        let urls = self.0.lock().unwrap_or_else(|e| e.into_inner());
        urls.iter().cloned().collect()
    }
}

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
        // A task whose create failed gets its `error` callback at once and nothing else.
        let create_failed = task.fault == Some(Fault::CreateFail);
        for stage in stages {
            let failing = create_failed || (task.fault == Some(Fault::TaskFail) && stage.at >= 1.0);
            if task.fault == Some(Fault::TaskStuck) && stage.at >= 1.0 {
                return;
            }
            let at = if create_failed { 0.0 } else { stage.at };
            let due = task.created + task.duration.mul_f64(at);
            tokio::select! {
                () = tokio::time::sleep_until(due.into()) => {}
                _ = shutdown.wait_for(|s| *s) => return,
            }
            let (kind, code, msg, items) = if failing {
                let msg = if create_failed {
                    "Task creation failed (sandbox create-fail fault)."
                } else {
                    "Audio generation failed (sandbox task-fail fault)."
                };
                (
                    "error",
                    if create_failed { 400 } else { 501 },
                    msg,
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
            deliver(&state, &url, body.to_string().as_bytes()).await;
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
            () = tokio::time::sleep_until(finished_at(&task).into()) => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        let body = build(&state, &task).to_string();
        deliver(&state, &url, body.as_bytes()).await;
    });
}

/// When a task reaches its terminal state: at once when its create failed.
fn finished_at(task: &Task) -> std::time::Instant {
    if task.fault == Some(Fault::CreateFail) {
        task.created
    } else {
        task.created + task.duration
    }
}

/// POSTs one stage to `url` (twice under `callback_duplicates`), or refuses a URL that does
/// not name this machine. A receiver's failure is logged; the task goes on either way.
async fn deliver(state: &Shared, url: &str, body: &[u8]) {
    let target = match Target::of(url) {
        Ok(target) => target,
        Err(reason) => {
            tracing::warn!("callback to {url} refused: {reason}");
            state.refused_callbacks.record(url);
            return;
        }
    };
    let times = if state.config.callback_duplicates {
        2
    } else {
        1
    };
    for _ in 0..times {
        if let Err(e) = post_json(&target, body).await {
            tracing::warn!("callback to {url} failed: {e}");
        }
    }
}

/// Where a callback goes: loopback addresses only, worked out without any lookup.
#[derive(Debug, PartialEq)]
struct Target {
    addrs: Vec<SocketAddr>,
    authority: String,
    path: String,
}

impl Target {
    fn of(url: &str) -> Result<Self, String> {
        // A line break in the URL would end up in the request head as a header of its own.
        if url.chars().any(char::is_control) {
            return Err("the URL has control characters".into());
        }
        let rest = url
            .strip_prefix("http://")
            .ok_or("only http:// callback URLs are delivered by the sandbox")?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        let path = match path {
            "" => "/".to_owned(),
            p if p.starts_with('/') => p.to_owned(),
            p => format!("/{p}"),
        };
        let (name, port) = split_host_port(authority);
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .map_err(|_| format!("`{p}` is not a port"))?,
            None => 80,
        };
        let bare = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        let addrs = if let Ok(ip) = bare.parse::<IpAddr>() {
            if !ip.is_loopback() {
                return Err(format!("{ip} is not a loopback address"));
            }
            vec![SocketAddr::new(ip, port)]
        } else if name.eq_ignore_ascii_case("localhost") {
            // RFC 6761: localhost is loopback; taken as such, not asked of a resolver.
            vec![
                SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port),
                SocketAddr::new(Ipv6Addr::LOCALHOST.into(), port),
            ]
        } else {
            return Err(format!(
                "`{name}` is not this machine (only loopback addresses and localhost are called back)"
            ));
        };
        Ok(Target {
            addrs,
            authority: authority.to_owned(),
            path,
        })
    }
}

/// POSTs JSON to `target` and returns the response status.
async fn post_json(target: &Target, body: &[u8]) -> io::Result<u16> {
    let Target {
        addrs,
        authority,
        path,
    } = target;
    let exchange = async {
        let mut stream = TcpStream::connect(&addrs[..]).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets_are_called_back() {
        let t = Target::of("http://127.0.0.1:9/hook?x=1").unwrap();
        assert_eq!(t.addrs, [SocketAddr::from(([127, 0, 0, 1], 9))]);
        assert_eq!(
            (t.authority.as_str(), t.path.as_str()),
            ("127.0.0.1:9", "/hook?x=1")
        );
        assert_eq!(Target::of("http://[::1]:8080").unwrap().path, "/");
        assert_eq!(Target::of("http://localhost/cb").unwrap().addrs.len(), 2);
        assert_eq!(
            Target::of("http://127.0.0.2:80/").unwrap().addrs[0].port(),
            80
        );
        for refused in [
            "http://192.0.2.1/hook",
            "http://192.0.2.1:8080/hook",
            "http://evil.example/hook",
            "http://localhost.evil.example/hook",
            "http://127.0.0.1.nip.io/hook",
            "http://127.0.0.1@evil.example/hook",
            "http://[::ffff:192.0.2.1]/hook",
            "http://0.0.0.0:9/hook",
            "https://127.0.0.1/hook",
            "http://127.0.0.1:http/hook",
            "http://127.0.0.1/x\r\nX-Injected: 1",
        ] {
            assert!(Target::of(refused).is_err(), "{refused}");
        }
    }
}
