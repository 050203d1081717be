//! The common start of every generating route: authenticate, parse the JSON body, pick the
//! fault and seed the generator; then check the requested model against the route and the key.

use axum::http::HeaderMap;
use serde_json::Value;

use crate::auth::{authorize, check_model};
use crate::catalogue::{family_of, ModelFamily};
use crate::config::SandboxKey;
use crate::errors::{ApiError, ErrorKind, Family};
use crate::faults::{self, Fault};
use crate::state::Shared;
use crate::text::{all_text, hash, SplitMix64};

/// An authenticated call with its parsed body.
pub(crate) struct Call {
    pub family: Family,
    pub key: SandboxKey,
    pub fault: Option<Fault>,
    pub body: Value,
    /// The request's text, which (with the seed) determines the generated output.
    pub prompt: String,
    pub rng: SplitMix64,
    pub seed: u64,
}

impl Call {
    pub(crate) fn bad(&self, msg: impl Into<String>) -> ApiError {
        ApiError::new(self.family, ErrorKind::InvalidRequest, msg)
    }

    /// A required string field.
    pub(crate) fn str_field(&self, name: &str) -> Result<String, ApiError> {
        self.body
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| self.bad(format!("{name}: field required (string)")))
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

/// Authenticates and parses a JSON object body.
pub(crate) fn begin(
    state: &Shared,
    family: Family,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Call, ApiError> {
    let key = authorize(state, family, headers)?;
    let body: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            family,
            ErrorKind::InvalidRequest,
            format!("Request body is not valid JSON: {e}"),
        )
    })?;
    if !body.is_object() {
        return Err(ApiError::new(
            family,
            ErrorKind::InvalidRequest,
            "Request body must be a JSON object",
        ));
    }
    let prompt = all_text(&body);
    let seed = state.config.seed;
    Ok(Call {
        family,
        key,
        fault: faults::of(state, headers),
        rng: SplitMix64::new(seed ^ hash(&prompt)),
        prompt,
        body,
        seed,
    })
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
