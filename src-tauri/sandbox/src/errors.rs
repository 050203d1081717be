//! Error responses in each route family's own envelope (contract §7.3).
//!
//! A client must be able to tell a 401 from a 403 from a 429 by status *and* by the family's body,
//! exactly as it would against the real gateway, so every error the sandbox returns goes through
//! [`ApiError`]. It is axum's `IntoResponse`, so handlers return `Result<_, ApiError>` and use `?`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::config::ExhaustedStatus;

/// The message of an exhausted balance, in every family.
pub(crate) const EXHAUSTED_MESSAGE: &str =
    "Insufficient balance: top up your AnyInt account to continue (sandbox exhausted balance)";

/// The route family a request belongs to, chosen by path prefix (contract §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    OpenAi,
    Anthropic,
    Gemini,
    DashScope,
    Kling,
    Suno,
}

impl Family {
    /// The family whose envelope a path's errors use. Paths outside every family (e.g. the
    /// unpublished `/v1/models`) get the OpenAI envelope, the gateway's documented default.
    pub(crate) fn from_path(path: &str) -> Family {
        let prefixes = [
            ("/anthropic", Family::Anthropic),
            ("/gemini", Family::Gemini),
            ("/dashscope", Family::DashScope),
            ("/transtreams", Family::Kling),
            ("/suno", Family::Suno),
        ];
        prefixes
            .iter()
            .find(|(p, _)| path == *p || path.starts_with(&format!("{p}/")))
            .map_or(Family::OpenAi, |(_, f)| *f)
    }
}

/// The kinds of failure the sandbox reports; each family spells them its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    InvalidRequest,
    Authentication,
    Permission,
    NotFound,
    MethodNotAllowed,
    RateLimit,
    Server,
    Unavailable,
    /// The balance is used up; the status is configurable (contract §7.3, §9.3).
    Exhausted(ExhaustedStatus),
}

impl ErrorKind {
    pub(crate) fn status(self) -> StatusCode {
        match self {
            ErrorKind::Exhausted(s) => match s {
                ExhaustedStatus::PaymentRequired => StatusCode::PAYMENT_REQUIRED,
                ExhaustedStatus::Forbidden => StatusCode::FORBIDDEN,
                ExhaustedStatus::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            },
            ErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Authentication => StatusCode::UNAUTHORIZED,
            ErrorKind::Permission => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::RateLimit => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Server => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// An error response: family, kind, message and an optional `Retry-After` in seconds.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub family: Family,
    pub kind: ErrorKind,
    pub message: String,
    pub retry_after: Option<u64>,
    /// A family business code that replaces the default one (e.g. Suno 413 "text too long",
    /// Kling 1201 "invalid parameter"); only the Suno and Kling envelopes carry one.
    pub code: Option<u16>,
    /// `data` of a Suno error (upstream names the existing task of a repeated cover there).
    pub data: Option<Value>,
}

impl ApiError {
    pub(crate) fn new(family: Family, kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            family,
            kind,
            message: message.into(),
            retry_after: None,
            code: None,
            data: None,
        }
    }

    /// A 400 in the family's envelope.
    pub(crate) fn invalid(family: Family, message: impl Into<String>) -> Self {
        ApiError::new(family, ErrorKind::InvalidRequest, message)
    }

    /// A 404 in the family's envelope.
    pub(crate) fn not_found(family: Family, message: impl Into<String>) -> Self {
        ApiError::new(family, ErrorKind::NotFound, message)
    }

    pub(crate) fn with_code(mut self, code: u16) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    pub(crate) fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The JSON body in the family's envelope.
    pub(crate) fn body(&self) -> Value {
        let msg = self.message.as_str();
        match self.family {
            // The two bodies documented by AnyInt use exactly these type/code pairs (§7.3);
            // the others follow the same pattern. [UPSTREAM] OpenAI: `{error:{message,type,code}}`.
            Family::OpenAi => {
                let (ty, code) = match self.kind {
                    ErrorKind::InvalidRequest => ("invalid_request_error", "invalid_request"),
                    ErrorKind::Authentication => ("authentication_error", "invalid_api_key"),
                    ErrorKind::Permission => ("permission_error", "model_not_allowed"),
                    ErrorKind::NotFound => ("invalid_request_error", "not_found"),
                    ErrorKind::MethodNotAllowed => ("invalid_request_error", "method_not_allowed"),
                    ErrorKind::RateLimit => ("rate_limit_error", "rate_limit_exceeded"),
                    ErrorKind::Server => ("server_error", "internal_error"),
                    ErrorKind::Unavailable => ("server_error", "service_unavailable"),
                    // [UPSTREAM] OpenAI's word for a used-up balance, whatever the status.
                    ErrorKind::Exhausted(_) => ("insufficient_quota", "insufficient_quota"),
                };
                json!({"error": {"message": msg, "type": ty, "code": code}})
            }
            // [UPSTREAM] Anthropic: `{type:"error", error:{type, message}}`.
            Family::Anthropic => {
                let ty = match self.kind {
                    ErrorKind::InvalidRequest => "invalid_request_error",
                    ErrorKind::Authentication => "authentication_error",
                    ErrorKind::Permission => "permission_error",
                    ErrorKind::NotFound => "not_found_error",
                    ErrorKind::MethodNotAllowed => "invalid_request_error",
                    ErrorKind::RateLimit => "rate_limit_error",
                    ErrorKind::Server => "api_error",
                    ErrorKind::Unavailable => "overloaded_error",
                    // [UPSTREAM] Anthropic answers a billing problem with 402 `billing_error`.
                    ErrorKind::Exhausted(ExhaustedStatus::PaymentRequired) => "billing_error",
                    ErrorKind::Exhausted(ExhaustedStatus::Forbidden) => "permission_error",
                    ErrorKind::Exhausted(ExhaustedStatus::TooManyRequests) => "rate_limit_error",
                };
                json!({"type": "error", "error": {"type": ty, "message": msg}})
            }
            // [UPSTREAM] Google: `{error:{code, message, status}}` with google.rpc status names.
            Family::Gemini => {
                let status = match self.kind {
                    ErrorKind::InvalidRequest => "INVALID_ARGUMENT",
                    ErrorKind::Authentication => "UNAUTHENTICATED",
                    ErrorKind::Permission => "PERMISSION_DENIED",
                    ErrorKind::NotFound => "NOT_FOUND",
                    ErrorKind::MethodNotAllowed => "INVALID_ARGUMENT",
                    ErrorKind::RateLimit => "RESOURCE_EXHAUSTED",
                    ErrorKind::Server => "INTERNAL",
                    ErrorKind::Unavailable => "UNAVAILABLE",
                    ErrorKind::Exhausted(ExhaustedStatus::PaymentRequired) => "FAILED_PRECONDITION",
                    ErrorKind::Exhausted(ExhaustedStatus::Forbidden) => "PERMISSION_DENIED",
                    ErrorKind::Exhausted(ExhaustedStatus::TooManyRequests) => "RESOURCE_EXHAUSTED",
                };
                json!({"error": {"code": self.kind.status().as_u16(), "message": msg, "status": status}})
            }
            // [UPSTREAM] DashScope: `{code:"<CamelCase>", message, request_id}`.
            Family::DashScope => {
                let code = match self.kind {
                    ErrorKind::InvalidRequest => "InvalidParameter",
                    ErrorKind::Authentication => "InvalidApiKey",
                    ErrorKind::Permission => "AccessDenied",
                    ErrorKind::NotFound => "NotFound",
                    ErrorKind::MethodNotAllowed => "InvalidParameter",
                    ErrorKind::RateLimit => "Throttling.RateQuota",
                    ErrorKind::Server => "InternalError",
                    ErrorKind::Unavailable => "ServiceUnavailable",
                    // [UPSTREAM] DashScope: an account in arrears.
                    ErrorKind::Exhausted(_) => "Arrearage",
                };
                json!({"code": code, "message": msg, "request_id": request_id()})
            }
            // [UPSTREAM] Kling: numeric business codes (1000s auth, 1200s request, 1300s policy
            // and limits, 5000s server) in `{code, message, request_id}`.
            Family::Kling => {
                let code = self.code.map(u32::from).unwrap_or(match self.kind {
                    ErrorKind::InvalidRequest => 1200,
                    ErrorKind::Authentication => 1002,
                    ErrorKind::Permission => 1103,
                    ErrorKind::NotFound => 1203,
                    ErrorKind::MethodNotAllowed => 1200,
                    ErrorKind::RateLimit => 1302,
                    ErrorKind::Server => 5000,
                    ErrorKind::Unavailable => 5001,
                    // [UPSTREAM] Kling 1102: the resource pack is used up.
                    ErrorKind::Exhausted(_) => 1102,
                });
                json!({"code": code, "message": msg, "request_id": request_id()})
            }
            // AnyInt's music error codes (§3.10): 430 is "request rate too high". Upstream Suno API
            // answers HTTP 200 with the code in the body; AnyInt is silent, so the sandbox sends the
            // real HTTP status as well, which a client handling either convention copes with.
            Family::Suno => {
                let code = self.code.unwrap_or(match self.kind {
                    ErrorKind::RateLimit => 430,
                    // AnyInt music code 429: "quota exhausted" ([UPSTREAM] insufficient credits).
                    ErrorKind::Exhausted(_) => 429,
                    // 405 means "frequency limit exceeded" in AnyInt's music codes, so a wrong
                    // HTTP method is reported as a plain 400 in the body.
                    ErrorKind::MethodNotAllowed => 400,
                    other => other.status().as_u16(),
                });
                json!({"code": code, "msg": msg, "data": self.data.clone().unwrap_or(Value::Null)})
            }
        }
    }
}

/// The `loose` variant's error body: `code` as a string, as some gateways and proxies send it.
/// Numeric codes (Gemini's `error.code`, Kling's and Suno's `code`) become strings, and the
/// OpenAI envelope's `error.code` becomes the HTTP status as a string (`"429"`, Azure OpenAI's
/// style). Bodies without a `code` (Anthropic's) are left alone.
pub(crate) fn loosen(body: &mut Value, status: u16) {
    if let Some(error) = body.get_mut("error").and_then(Value::as_object_mut) {
        if error.contains_key("code") {
            error.insert("code".into(), json!(status.to_string()));
        }
    } else if let Some(code) = body.get_mut("code") {
        if let Some(n) = code.as_i64() {
            *code = json!(n.to_string());
        }
    }
}

impl ApiError {
    /// [`ApiError::body`], loosened as the `loose` variant sends it.
    pub(crate) fn loose_body(&self) -> Value {
        let mut body = self.body();
        loosen(&mut body, self.kind.status().as_u16());
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.kind.status(), Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response
    }
}

/// A request ID in the style of the upstream providers; unique per call, not seeded, because it
/// identifies a call rather than content.
pub(crate) fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("sbx-req-{:08x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_is_chosen_by_prefix() {
        assert_eq!(Family::from_path("/anthropic/v1/x"), Family::Anthropic);
        assert_eq!(Family::from_path("/anthropicx"), Family::OpenAi);
        assert_eq!(Family::from_path("/suno/query/task"), Family::Suno);
        assert_eq!(Family::from_path("/v1/models"), Family::OpenAi);
    }

    #[test]
    fn loose_bodies_carry_string_codes() {
        let gemini = ApiError::new(Family::Gemini, ErrorKind::RateLimit, "slow down");
        assert_eq!(gemini.loose_body()["error"]["code"], json!("429"));
        let openai = ApiError::new(Family::OpenAi, ErrorKind::Unavailable, "busy");
        assert_eq!(openai.loose_body()["error"]["code"], json!("503"));
        let suno = ApiError::new(Family::Suno, ErrorKind::RateLimit, "busy");
        assert_eq!(suno.loose_body()["code"], json!("430"));
        let anthropic = ApiError::new(Family::Anthropic, ErrorKind::Server, "boom");
        assert_eq!(anthropic.loose_body(), anthropic.body());
    }

    #[test]
    fn documented_openai_401_body() {
        let e = ApiError::new(
            Family::OpenAi,
            ErrorKind::Authentication,
            "Invalid or missing API key",
        );
        assert_eq!(
            e.body(),
            json!({"error":{"message":"Invalid or missing API key","type":"authentication_error","code":"invalid_api_key"}})
        );
    }
}
