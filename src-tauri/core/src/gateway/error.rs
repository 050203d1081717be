//! Gateway errors: what went wrong on the way to the gateway or in its answer, keeping the
//! HTTP status and the family's own error body so the user sees the gateway's words.

use super::Family;
use crate::error::ErrorCode;
use crate::keys::ApiKey;
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
    /// A non-2xx answer. Built only by the client, which passes its own key: gateways echo
    /// the presented key in their errors, so every occurrence of it is masked in whatever the
    /// error keeps (message, body), and so in every log line and window that shows them.
    pub(super) fn from_status(
        family: Family,
        status: u16,
        retry_after: Option<Duration>,
        body: &[u8],
        key: &ApiKey,
    ) -> Self {
        let raw_body = kept(body, key);
        let scrub = |field: Option<String>| field.map(|f| key.scrub(&f).into_owned());
        let envelope = FamilyError::parse(body);
        let message = scrub(envelope.message).unwrap_or_else(|| default_message(status, &raw_body));
        GatewayError::Status {
            family: family.name(),
            status,
            message,
            error_type: scrub(envelope.error_type),
            error_code: scrub(envelope.code),
            retry_after,
            raw_body,
        }
    }

    /// An answer that is not what the route documents; masked as in `from_status`.
    pub(super) fn decode(reason: impl ToString, body: &[u8], key: &ApiKey) -> Self {
        let raw_body = kept(body, key);
        let preview: String = raw_body.chars().take(120).collect();
        GatewayError::Decode {
            reason: key.scrub(&reason.to_string()).into_owned(),
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

fn kept(body: &[u8], key: &ApiKey) -> String {
    masked_text(body, KEPT_BODY_BYTES, key)
}

/// The first `max` bytes of `body` as text, the key masked. A little more than that is
/// scrubbed before the cut, so a key straddling the cut is masked whole, not left half shown.
pub(super) fn masked_text(body: &[u8], max: usize, key: &ApiKey) -> String {
    let end = body.len().min(max.saturating_add(key.expose().len()));
    let mut text = key
        .scrub(&String::from_utf8_lossy(&body[..end]))
        .into_owned();
    let mut cut = text.len().min(max);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
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

    // Test data, not a real key.
    const KEY: &str = "sk-plan-test-echoed-0123456789SECRET";

    fn key() -> ApiKey {
        ApiKey::new(KEY).unwrap()
    }

    #[test]
    fn parses_each_family_envelope() {
        let openai = br#"{"error":{"message":"Invalid or missing API key","type":"authentication_error","code":"invalid_api_key"}}"#;
        let e = GatewayError::from_status(Family::OpenAi, 401, None, openai, &key());
        assert_eq!(e.code(), ErrorCode::InvalidKey);
        assert!(e.to_string().contains("Invalid or missing API key"));

        let anthropic = br#"{"type":"error","error":{"type":"permission_error","message":"model not allowed"}}"#;
        let e = GatewayError::from_status(Family::Anthropic, 403, None, anthropic, &key());
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(
            matches!(&e, GatewayError::Status { error_type: Some(t), .. } if t == "permission_error")
        );

        let gemini = br#"{"error":{"code":400,"message":"bad arg","status":"INVALID_ARGUMENT"}}"#;
        let e = GatewayError::from_status(Family::Gemini, 400, None, gemini, &key());
        assert!(
            matches!(&e, GatewayError::Status { message, error_code: Some(c), .. } if message == "bad arg" && c == "400")
        );

        let suno = br#"{"code":430,"msg":"request rate too high","data":null}"#;
        let e = GatewayError::from_status(Family::Suno, 429, None, suno, &key());
        assert!(e.to_string().contains("request rate too high"));
        assert!(e.is_transient());
    }

    #[test]
    fn non_json_error_bodies_keep_their_text_bounded() {
        let html = "<html>".repeat(10_000);
        let e = GatewayError::from_status(Family::OpenAi, 502, None, html.as_bytes(), &key());
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
            assert!(
                !GatewayError::from_status(Family::OpenAi, status, None, b"{}", &key())
                    .is_transient()
            );
        }
    }

    #[test]
    fn an_echoed_key_is_masked_in_every_field() {
        let body = format!(
            r#"{{"error":{{"message":"Invalid key {KEY}","type":"auth {KEY}","code":"{KEY}"}}}}"#
        );
        let e = GatewayError::from_status(Family::OpenAi, 401, None, body.as_bytes(), &key());
        let GatewayError::Status {
            message,
            error_type,
            error_code,
            raw_body,
            ..
        } = &e
        else {
            panic!("unexpected {e:?}");
        };
        let all = format!("{e} {e:?} {message} {error_type:?} {error_code:?} {raw_body}");
        assert!(!all.contains("SECRET"), "{all}");
        assert_eq!(message, "Invalid key sk-plan-…CRET");

        let e = GatewayError::decode("not JSON", format!("<p>{KEY}</p>").as_bytes(), &key());
        let all = format!("{e} {e:?}");
        assert!(
            !all.contains("SECRET") && all.contains("sk-plan-…CRET"),
            "{all}"
        );
    }

    /// The kept body is cut at `KEPT_BODY_BYTES`; a key across the cut must not leave its
    /// first characters in the body, nor in the message built from it.
    #[test]
    fn a_key_straddling_the_cut_is_masked_whole() {
        let body = format!("{}{KEY}", "x".repeat(KEPT_BODY_BYTES - 10));
        let e = GatewayError::from_status(Family::OpenAi, 500, None, body.as_bytes(), &key());
        let GatewayError::Status { raw_body, .. } = &e else {
            panic!("unexpected {e:?}");
        };
        assert!(raw_body.len() <= KEPT_BODY_BYTES);
        // "plan-te" is in the key's first ten characters and not in its mask.
        assert!(
            !raw_body.contains("plan-te"),
            "{}",
            &raw_body[raw_body.len() - 20..]
        );
        let short = format!("{}{KEY}", "x".repeat(190));
        let e = GatewayError::from_status(Family::OpenAi, 500, None, short.as_bytes(), &key());
        assert!(!e.to_string().contains("plan-te"), "{e}");
    }
}
