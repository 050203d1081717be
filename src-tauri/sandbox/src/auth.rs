//! Authentication, per-key allowlists and per-key rate limits (contract §1.2, §5, §7.3, §9.2–3).
//!
//! Every family takes `Authorization: Bearer <key>`; `/anthropic` also takes `x-api-key` and
//! requires `anthropic-version` (decision 2). Errors come back in the family's own envelope.

use axum::http::HeaderMap;

use crate::catalogue::family_of;
use crate::config::SandboxKey;
use crate::errors::{ApiError, ErrorKind, Family};
use crate::state::AppState;

/// The documented 401 message (§7.3).
pub(crate) const INVALID_KEY_MESSAGE: &str = "Invalid or missing API key";

/// The key a request presents, if any.
fn presented_key(family: Family, headers: &HeaderMap) -> Option<String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if family == Family::Anthropic {
        if let Some(k) = header("x-api-key") {
            return Some(k.trim().to_owned());
        }
    }
    let auth = header("authorization")?;
    let (scheme, token) = auth.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Checks the key, the Anthropic version header and the key's rate limit, in that order, and
/// returns the caller's key.
pub(crate) fn authorize(
    state: &AppState,
    family: Family,
    headers: &HeaderMap,
) -> Result<SandboxKey, ApiError> {
    let unauthorized = |msg: &str| ApiError::new(family, ErrorKind::Authentication, msg);
    let secret = presented_key(family, headers).ok_or_else(|| unauthorized(INVALID_KEY_MESSAGE))?;
    let key = state
        .config
        .keys
        .iter()
        .find(|k| k.secret == secret)
        .ok_or_else(|| unauthorized(INVALID_KEY_MESSAGE))?;
    if key.disabled {
        // Contract §5.2 keys have status Active | Disabled; the body stays the documented 401
        // shape so clients map it the same way, only the message says why.
        return Err(unauthorized("API key is disabled"));
    }
    if family == Family::Anthropic && !headers.contains_key("anthropic-version") {
        // [UPSTREAM] Anthropic rejects requests without the version header with a 400.
        return Err(ApiError::new(
            family,
            ErrorKind::InvalidRequest,
            "anthropic-version: header is required",
        ));
    }
    if let Some(limit) = key.requests_per_minute {
        state
            .take_request_slot(&key.secret, limit)
            .map_err(|wait| {
                ApiError::new(family, ErrorKind::RateLimit, "Rate limit exceeded")
                    .with_retry_after(wait)
            })?;
    }
    Ok(key.clone())
}

/// Checks that `model` exists and that `key` may use it: an unknown model gets the family's own
/// error, a model outside the key's allowlist a 403 (§7.3: "access blocked by subscription or
/// policy").
pub(crate) fn check_model(family: Family, key: &SandboxKey, model: &str) -> Result<(), ApiError> {
    if family_of(model).is_none() {
        return Err(unknown_model(family, model));
    }
    if !key.allows(model) {
        return Err(ApiError::new(
            family,
            ErrorKind::Permission,
            format!("This API key is not allowed to use model `{model}`."),
        ));
    }
    Ok(())
}

/// What each upstream answers for a model it does not know: OpenAI, Anthropic and Gemini a 404;
/// [UPSTREAM] DashScope a 400 `InvalidParameter` "Model not exist."; Kling a 400 with business
/// code 1201 (invalid parameter value); Suno API a 400 in its envelope (its 404 means "wrong
/// method or path").
pub(crate) fn unknown_model(family: Family, model: &str) -> ApiError {
    match family {
        Family::DashScope => ApiError::invalid(family, "Model not exist."),
        Family::Kling => {
            ApiError::invalid(family, format!("model_name {model} is invalid")).with_code(1201)
        }
        Family::Suno => ApiError::invalid(
            family,
            format!("model {model} is not supported (V4, V4_5, V4_5PLUS, V4_5ALL, V5)"),
        ),
        _ => ApiError::new(
            family,
            ErrorKind::NotFound,
            format!("The model `{model}` does not exist or you do not have access to it."),
        ),
    }
}

/// The exhausted-balance error for `key`, if its balance is used up or the request carries the
/// `exhausted` fault. Only paid requests (the POST routes) check it; polls and lists still work.
pub(crate) fn check_balance(
    state: &AppState,
    family: Family,
    key: &SandboxKey,
    fault: Option<crate::faults::Fault>,
) -> Result<(), ApiError> {
    if key.exhausted || fault == Some(crate::faults::Fault::Exhausted) {
        let kind = ErrorKind::Exhausted(state.config.exhausted_status);
        return Err(ApiError::new(
            family,
            kind,
            crate::errors::EXHAUSTED_MESSAGE,
        ));
    }
    Ok(())
}
