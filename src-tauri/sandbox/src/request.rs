//! The common start of every route, as axum extractors, so a handler states what it needs in its
//! signature and gets family-shaped errors for free: [`Caller`] authenticates; [`Call`] also parses
//! the JSON body, picks the fault and seeds the generator, and checks models against the route.
//!
//! Both take the family from the path, as the 404/405 fallbacks and the fault middleware do, so a
//! handler cannot answer in another family's envelope. Routes that must reject an unknown
//! sub-route *before* authenticating (Gemini actions, Kling kinds, Suno routes) call [`begin`]
//! themselves once they have checked it. [`FormCall`] also takes `multipart/form-data`.
//!
//! The header `x-sandbox-task-ms: N` gives one created task its own duration in milliseconds.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::auth::{authorize, check_balance, check_model};
use crate::catalogue::{family_of, ModelFamily};
use crate::config::SandboxKey;
use crate::errors::{ApiError, Family};
use crate::faults::{self, Fault};
use crate::state::Shared;
use crate::text::{all_text, hash, SplitMix64};
use crate::variants::{self, Wire};

/// The request header that sets one created task's duration, in milliseconds.
pub const TASK_MS_HEADER: &str = "x-sandbox-task-ms";

/// An authenticated caller, for routes without a body (polls, lists, retrievals).
pub(crate) struct Caller {
    pub family: Family,
    pub key: SandboxKey,
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let family = Family::from_path(parts.uri.path());
        let key = authorize(state, family, &parts.headers)?;
        Ok(Caller { family, key })
    }
}

/// An authenticated call with its parsed body.
pub(crate) struct Call {
    pub family: Family,
    pub key: SandboxKey,
    pub fault: Option<Fault>,
    /// Wire variants and token rate of this request's stream.
    pub wire: Wire,
    /// This task's duration from `x-sandbox-task-ms`, overriding
    /// [`crate::SandboxConfig::task_duration`].
    pub task_duration: Option<Duration>,
    pub body: Value,
    /// The request's text, which (with the seed) determines the generated output.
    pub prompt: String,
    pub rng: SplitMix64,
    pub seed: u64,
}

impl Call {
    pub(crate) fn bad(&self, msg: impl Into<String>) -> ApiError {
        ApiError::invalid(self.family, msg)
    }

    /// A required string field.
    pub(crate) fn str_field(&self, name: &str) -> Result<String, ApiError> {
        self.body
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| self.bad(format!("{name}: field required (string)")))
    }

    /// An array field; empty when missing or not an array.
    pub(crate) fn array(&self, name: &str) -> Vec<Value> {
        self.body
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    /// A required array field that must not be empty; else a 400 saying `msg`.
    pub(crate) fn non_empty(&self, name: &str, msg: &str) -> Result<Vec<Value>, ApiError> {
        let items = self.array(name);
        if items.is_empty() {
            return Err(self.bad(msg));
        }
        Ok(items)
    }

    /// Checks `model` exists, the key may use it, and it is one of `kinds` for this route.
    pub(crate) fn model(&self, model: &str, kinds: &[ModelFamily]) -> Result<(), ApiError> {
        check_model(self.family, &self.key, model)?;
        match family_of(model) {
            Some(kind) if kinds.contains(&kind) => Ok(()),
            _ => Err(self.bad(format!("Model `{model}` does not support this route"))),
        }
    }
}

impl FromRequest<Shared> for Call {
    /// A body axum cannot read keeps axum's own rejection, as a `Bytes` argument would.
    type Rejection = Response;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Response> {
        let family = Family::from_path(req.uri().path());
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        begin(state, family, &headers, &body).map_err(IntoResponse::into_response)
    }
}

/// Authenticates and parses a JSON object body: the [`Call`] extractor's work, for the handlers
/// that must check their sub-route first.
pub(crate) fn begin(
    state: &Shared,
    family: Family,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Call, ApiError> {
    let key = authorize(state, family, headers)?;
    let body: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid(family, format!("Request body is not valid JSON: {e}")))?;
    finish(state, family, headers, key, body)
}

/// The rest of [`begin`] once the body is a value, whichever encoding it came in.
fn finish(
    state: &Shared,
    family: Family,
    headers: &HeaderMap,
    key: SandboxKey,
    body: Value,
) -> Result<Call, ApiError> {
    if !body.is_object() {
        return Err(ApiError::invalid(
            family,
            "Request body must be a JSON object",
        ));
    }
    let fault = faults::of(state, headers);
    // Every route that takes a body is a paid request; polls and lists are free.
    check_balance(state, family, &key, fault)?;
    let task_duration = match headers.get(TASK_MS_HEADER) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
                .ok_or_else(|| {
                    ApiError::invalid(family, format!("{TASK_MS_HEADER} must be milliseconds"))
                })?,
        ),
    };
    let prompt = all_text(&body);
    let seed = state.config.seed;
    Ok(Call {
        family,
        key,
        fault,
        wire: variants::of(state, headers),
        task_duration,
        rng: SplitMix64::new(seed ^ hash(&prompt)),
        prompt,
        body,
        seed,
    })
}

/// A [`Call`] whose body may also be `multipart/form-data`, for the routes whose upstream takes
/// both (OpenAI `videos`: the official Python SDK's `videos.create` always posts a form). Text
/// fields become strings; a file field becomes `{"file_name", "content_type", "bytes"}` (its
/// size), so handlers check one shape.
pub(crate) struct FormCall(pub Call);

impl FromRequest<Shared> for FormCall {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Response> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if !multipart {
            return Call::from_request(req, state).await.map(FormCall);
        }
        let family = Family::from_path(req.uri().path());
        let headers = req.headers().clone();
        let key = authorize(state, family, &headers).map_err(IntoResponse::into_response)?;
        let body = form_body(family, Multipart::from_request(req, state).await)
            .await
            .map_err(IntoResponse::into_response)?;
        finish(state, family, &headers, key, body)
            .map(FormCall)
            .map_err(IntoResponse::into_response)
    }
}

async fn form_body(
    family: Family,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Value, ApiError> {
    let bad = |e: String| ApiError::invalid(family, format!("Invalid multipart body: {e}"));
    let mut form = form.map_err(|e| bad(e.body_text()))?;
    let mut body = serde_json::Map::new();
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let value = match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                json!({"file_name": file_name, "content_type": content_type, "bytes": bytes.len()})
            }
            None => Value::String(field.text().await.map_err(|e| bad(e.body_text()))?),
        };
        body.insert(name, value);
    }
    Ok(Value::Object(body))
}

/// How many tokens to generate: the request's cap if smaller than the default reply length.
/// Returns (count, truncated_by_cap).
pub(crate) fn reply_len(state: &Shared, cap: Option<u64>) -> (usize, bool) {
    let default = state.config.default_reply_tokens as usize;
    match cap {
        Some(c) if (c as usize) < default => (c as usize, true),
        _ => (default, false),
    }
}
