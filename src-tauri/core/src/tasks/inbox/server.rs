//! The inbox's HTTP side: one axum route on loopback, `POST /callbacks`, the body bounded by
//! [`super::MAX_BODY`] (413 beyond it, before it is buffered). Answers `{"code":200,"msg":..}`,
//! which is what Suno's and Kling's senders look for; a payload it cannot read is still
//! recorded and answered 200, so the sender does not retry a body that will never parse.
//!
//! Refused with 403 and not recorded: a request with an `Origin` header (a web page in a
//! browser can POST to loopback, a gateway's callback sender never sets one) or a `Host` that
//! is not a loopback name (DNS rebinding: a page's own name pointed at 127.0.0.1).

use super::{Receiver, INBOX_PATH, MAX_BODY};
use crate::background::Shutdown;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::watch;

pub(super) async fn serve(
    listener: std::net::TcpListener,
    receiver: Receiver,
    mut shutdown: Shutdown,
    mut stopped: watch::Receiver<bool>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!("callback inbox could not start: {e}");
            return;
        }
    };
    let app = Router::new()
        .route(INBOX_PATH, post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(receiver);
    let until = async move {
        tokio::select! {
            () = shutdown.stopped() => {}
            // Switched off, or the switch itself dropped: both end the loop.
            _ = stopped.wait_for(|s| *s) => {}
        }
    };
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(until)
        .await
    {
        tracing::error!("callback inbox ended: {e}");
    }
}

async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    if let Some(why) = refusal(&headers) {
        tracing::warn!("callback refused: {why}");
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"code": 403, "msg": why})),
        );
    }
    match receiver.receive(&body) {
        Ok(got) => {
            tracing::debug!(
                n = got.n,
                envelope = got.envelope.as_str(),
                task = got.task_id.as_deref().unwrap_or("-"),
                duplicate = got.duplicate,
                "callback received"
            );
            (
                StatusCode::OK,
                Json(json!({"code": 200, "msg": "received"})),
            )
        }
        Err(e) => {
            tracing::error!("callback not recorded: {e}");
            // 500 so a sender that retries tries again once the database answers.
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"code": 500, "msg": "not recorded"})),
            )
        }
    }
}

/// Why a request is not a gateway's callback, if it is not.
fn refusal(headers: &HeaderMap) -> Option<&'static str> {
    if headers.contains_key(header::ORIGIN) {
        return Some("requests from web pages are not callbacks");
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok())?;
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    let loopback = matches!(name, "127.0.0.1" | "localhost" | "[::1]");
    (!loopback).then_some("the Host is not this machine")
}
