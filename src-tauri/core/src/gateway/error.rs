//! Gateway errors: what went wrong on the way to the gateway or in its answer, keeping the
//! HTTP status and the family's own error body so the user sees the gateway's words.

use super::Family;
use crate::error::ErrorCode;
use std::time::Duration;

/// The most of a body an error keeps: enough to show and report, bounded so a huge HTML
/// error page cannot bloat memory or the UI.
const KEPT_BODY_BYTES: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("`{input}` is not a usable base URL: {reason}")]
    InvalidBaseUrl { input: String, reason: String },

    /// The key has characters an HTTP header cannot carry (a pasted line break, say).
    #[error("the key contains characters an HTTP header cannot carry; paste it again")]
    KeyNotHeaderSafe,

    /// The route family has no Models route (contract §2: only OpenAI and Anthropic do).
    #[error("the {family} family has no Models route")]
    NoModelsRoute { family: &'static str },

    /// The family has no route for what was asked.
    #[error("not offered by this route family: {what}")]
    Unsupported { what: &'static str },

    #[error("cannot reach {host}: {detail}")]
    Unreachable { host: String, detail: String },

    #[error("{host} did not answer within {seconds} s")]
    Timeout { host: String, seconds: u64 },

    #[error("transport error talking to {host}: {detail}")]
    Transport { host: String, detail: String },

    /// A non-2xx answer. `message` is the family's own error message when its envelope parsed.
    #[error("{family} gateway answered HTTP {status}: {message}")]
    Status {
        family: &'static str,
        status: u16,
        message: String,
        error_type: Option<String>,
        error_code: Option<String>,
        retry_after: Option<Duration>,
        raw_body: String,
    },

    /// A 2xx answer whose body is not what the route documents.
    #[error("the gateway's answer could not be read ({reason}); it began with: {preview}")]
    Decode {
        reason: String,
        preview: String,
        raw_body: String,
    },
}

impl GatewayError {
    pub(crate) fn from_status(
        family: Family,
        status: u16,
        retry_after: Option<Duration>,
        body: &[u8],
    ) -> Self {
        let raw_body = keep(body);
        let envelope = FamilyError::parse(body);
        let message = envelope
            .message
            .clone()
            .unwrap_or_else(|| default_message(status, &raw_body));
        GatewayError::Status {
            family: family.name(),
            status,
            message,
            error_type: envelope.error_type,
            error_code: envelope.code,
            retry_after,
            raw_body,
        }
    }

    pub(crate) fn decode(reason: impl ToString, body: &[u8]) -> Self {
        let raw_body = keep(body);
        let preview: String = raw_body.chars().take(120).collect();
        GatewayError::Decode {
            reason: reason.to_string(),
            preview,
            raw_body,
        }
    }

    pub(crate) fn from_reqwest(host: &str, err: reqwest::Error, timeout: Duration) -> Self {
        let host = host.to_owned();
        if err.is_timeout() {
            return GatewayError::Timeout {
                host,
                seconds: timeout.as_secs(),
            };
        }
        // reqwest hides the root cause (DNS failure, refused) a few sources down.
        let detail = root_cause(&err);
        if err.is_connect() {
            GatewayError::Unreachable { host, detail }
        } else {
            GatewayError::Transport { host, detail }
        }
    }

    /// The HTTP status, when the gateway answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            GatewayError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A stable machine code the UI and scripts act on (contract §7.3, decision 6).
    pub fn code(&self) -> ErrorCode {
        match self {
            GatewayError::InvalidBaseUrl { .. } | GatewayError::KeyNotHeaderSafe => {
                ErrorCode::InvalidInput
            }
            GatewayError::NoModelsRoute { .. } | GatewayError::Unsupported { .. } => {
                ErrorCode::Unsupported
            }
            GatewayError::Unreachable { .. } | GatewayError::Transport { .. } => {
                ErrorCode::Unreachable
            }
            GatewayError::Timeout { .. } => ErrorCode::Timeout,
            GatewayError::Decode { .. } => ErrorCode::BadResponse,
            GatewayError::Status { status, .. } => match status {
                401 => ErrorCode::InvalidKey,
                403 => ErrorCode::Forbidden,
                429 => ErrorCode::RateLimited,
                400 | 404 | 422 => ErrorCode::BadRequest,
                500..=599 => ErrorCode::GatewayUnavailable,
                _ => ErrorCode::GatewayError,
            },
        }
    }

    /// Whether the same request may succeed later: 429, 5xx, timeouts and dropped connections.
    /// 400/401/403 are never retried (contract decision 6).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            GatewayError::Timeout { .. } | GatewayError::Transport { .. }
        ) || matches!(self, GatewayError::Status { status, .. } if *status == 429 || *status >= 500)
    }
}

fn keep(body: &[u8]) -> String {
    let end = body.len().min(KEPT_BODY_BYTES);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

fn default_message(status: u16, raw: &str) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error");
    if raw.trim().is_empty() {
        reason.to_owned()
    } else {
        format!("{reason}: {}", raw.chars().take(200).collect::<String>())
    }
}

fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if std::ptr::eq(cause as *const _ as *const u8, err as *const _ as *const u8) {
        err.to_string()
    } else {
        format!("{err} ({cause})")
    }
}

/// The fields every family's error envelope carries, whichever envelope it is (contract §7.3):
/// OpenAI `{error:{message,type,code}}`, Anthropic `{type:"error",error:{type,message}}`,
/// Gemini `{error:{code,message,status}}`, DashScope/Kling `{code,message}`, Suno `{code,msg}`.
#[derive(Debug, Default)]
struct FamilyError {
    message: Option<String>,
    error_type: Option<String>,
    code: Option<String>,
}

impl FamilyError {
    fn parse(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Self::default();
        };
        let text = |v: Option<&serde_json::Value>| -> Option<String> {
            match v? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let inner = value.get("error").filter(|e| e.is_object());
        match inner {
            Some(e) => FamilyError {
                message: text(e.get("message")),
                error_type: text(e.get("type")).or_else(|| text(e.get("status"))),
                code: text(e.get("code")),
            },
            None => FamilyError {
                message: text(value.get("message")).or_else(|| text(value.get("msg"))),
                error_type: None,
                code: text(value.get("code")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_family_envelope() {
        let openai = br#"{"error":{"message":"Invalid or missing API key","type":"authentication_error","code":"invalid_api_key"}}"#;
        let e = GatewayError::from_status(Family::OpenAi, 401, None, openai);
        assert_eq!(e.code(), ErrorCode::InvalidKey);
        assert!(e.to_string().contains("Invalid or missing API key"));

        let anthropic = br#"{"type":"error","error":{"type":"permission_error","message":"model not allowed"}}"#;
        let e = GatewayError::from_status(Family::Anthropic, 403, None, anthropic);
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(
            matches!(&e, GatewayError::Status { error_type: Some(t), .. } if t == "permission_error")
        );

        let gemini = br#"{"error":{"code":400,"message":"bad arg","status":"INVALID_ARGUMENT"}}"#;
        let e = GatewayError::from_status(Family::Gemini, 400, None, gemini);
        assert!(
            matches!(&e, GatewayError::Status { message, error_code: Some(c), .. } if message == "bad arg" && c == "400")
        );

        let suno = br#"{"code":430,"msg":"request rate too high","data":null}"#;
        let e = GatewayError::from_status(Family::Suno, 429, None, suno);
        assert!(e.to_string().contains("request rate too high"));
        assert!(e.is_transient());
    }

    #[test]
    fn non_json_error_bodies_keep_their_text_bounded() {
        let html = "<html>".repeat(10_000);
        let e = GatewayError::from_status(Family::OpenAi, 502, None, html.as_bytes());
        assert_eq!(e.code(), ErrorCode::GatewayUnavailable);
        match e {
            GatewayError::Status {
                raw_body, message, ..
            } => {
                assert_eq!(raw_body.len(), KEPT_BODY_BYTES);
                assert!(message.starts_with("Bad Gateway"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn auth_and_policy_errors_are_not_transient() {
        for status in [400, 401, 403] {
            assert!(!GatewayError::from_status(Family::OpenAi, status, None, b"{}").is_transient());
        }
    }
}
