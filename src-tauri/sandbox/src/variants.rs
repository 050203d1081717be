//! Wire variants (issue 8, item 10 "tolerant readers, faithful writers"): harmless ways a real
//! gateway or proxy differs from the reference wire format, which a client must read without
//! breaking. Unlike faults (one per request), variants combine, so they have their own header:
//! `x-sandbox-variant: crlf, keep-alive`, or [`crate::SandboxConfig::default_variants`] for every
//! request. The header `x-sandbox-token-rate` slows one request's stream (a slow drip of tokens).
//!
//! Issue 9 adds the ways the AnyInt docs and the upstream APIs they mirror differ, each a variant
//! of the request that reads the answer (for a task: the poll, not the create):
//! - `suno-http-200`: `/suno/*` errors arrive as HTTP 200 with the code only in the body
//!   (`{"code":429,...}` insufficient credits, 430 rate, 455 maintenance), as [UPSTREAM] Suno
//!   API does; by default the sandbox sends the real HTTP status as well.
//! - `kling-http-200`: Kling errors arrive as HTTP 200 with a non-zero `code` in the body.
//! - `lyrics-response-data`: a lyrics poll carries `response.data[]` instead of
//!   `response.lyricsData[]` (both are seen upstream).
//! - `success-flag-int`: `successFlag` is an integer (0 running, 1 success, 2 create failed,
//!   3 generation failed) instead of the status string (`"SUCCESS"`, style's `"1"`).
//! - `create-time-text`: `createTime` is text (`"2025-01-01 00:00:00"`, UTC) instead of
//!   milliseconds since the epoch.

use std::str::FromStr;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::errors::Family;
use crate::state::Shared;

/// The request header that selects variants: a comma-separated list of names, or `none`.
pub const VARIANT_HEADER: &str = "x-sandbox-variant";

/// The request header that sets one request's token rate (tokens per second, a positive number),
/// overriding [`crate::SandboxConfig::token_rate`].
pub const TOKEN_RATE_HEADER: &str = "x-sandbox-token-rate";

/// Every wire variant the sandbox can emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Every SSE line ends in `\r\n`, the blank line between events too.
    Crlf,
    /// SSE comment lines (`: keep-alive`, `: ping`) before the first event and every
    /// [`crate::SandboxConfig::keep_alive_every`] events.
    KeepAlive,
    /// Loose but valid OpenAI chat chunks (no `id` or `index` on some, float `created`, usage
    /// with missing or null fields, a usage chunk with `choices: [{"delta": {}}]`) and error
    /// bodies whose `code` is a string.
    Loose,
    /// Suno errors as HTTP 200 with `code != 200` in the body.
    SunoHttp200,
    /// Kling errors as HTTP 200 with `code != 0` in the body.
    KlingHttp200,
    /// Lyrics polls as `response.data[]` instead of `response.lyricsData[]`.
    LyricsResponseData,
    /// `successFlag` as an integer instead of a string.
    SuccessFlagInt,
    /// `createTime` as text instead of milliseconds.
    CreateTimeText,
}

impl Variant {
    /// Every variant, in documentation order.
    pub const ALL: [Variant; 8] = [
        Variant::Crlf,
        Variant::KeepAlive,
        Variant::Loose,
        Variant::SunoHttp200,
        Variant::KlingHttp200,
        Variant::LyricsResponseData,
        Variant::SuccessFlagInt,
        Variant::CreateTimeText,
    ];

    /// The name used in the header and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Crlf => "crlf",
            Variant::KeepAlive => "keep-alive",
            Variant::Loose => "loose",
            Variant::SunoHttp200 => "suno-http-200",
            Variant::KlingHttp200 => "kling-http-200",
            Variant::LyricsResponseData => "lyrics-response-data",
            Variant::SuccessFlagInt => "success-flag-int",
            Variant::CreateTimeText => "create-time-text",
        }
    }
}

impl FromStr for Variant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Variant::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
                format!("unknown variant `{s}`; known: {}, none", names.join(", "))
            })
    }
}

/// How one response is written: the variants in force and the token rate.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Wire {
    pub crlf: bool,
    pub keep_alive: bool,
    pub loose: bool,
    pub suno_http_200: bool,
    pub kling_http_200: bool,
    pub lyrics_response_data: bool,
    pub success_flag_int: bool,
    pub create_time_text: bool,
    /// Tokens per second; `None` streams as fast as possible.
    pub token_rate: Option<f64>,
}

impl Wire {
    fn with(mut self, variants: &[Variant]) -> Wire {
        for v in variants {
            match v {
                Variant::Crlf => self.crlf = true,
                Variant::KeepAlive => self.keep_alive = true,
                Variant::Loose => self.loose = true,
                Variant::SunoHttp200 => self.suno_http_200 = true,
                Variant::KlingHttp200 => self.kling_http_200 = true,
                Variant::LyricsResponseData => self.lyrics_response_data = true,
                Variant::SuccessFlagInt => self.success_flag_int = true,
                Variant::CreateTimeText => self.create_time_text = true,
            }
        }
        self
    }
}

/// The wire for a request: its headers, else the sandbox defaults. A header replaces the default
/// variants rather than adding to them, as `x-sandbox-fault` replaces the default fault, so one
/// request can opt out with `none`. Bad values are errors so a typo does not test the happy path.
pub(crate) fn requested(state: &Shared, headers: &HeaderMap) -> Result<Wire, String> {
    let config = &state.config;
    let token_rate = match headers.get(TOKEN_RATE_HEADER) {
        None => config.token_rate,
        Some(v) => {
            let rate = v
                .to_str()
                .ok()
                .and_then(|s| s.trim().parse::<f64>().ok())
                .filter(|r| r.is_finite() && *r > 0.0)
                .ok_or_else(|| format!("{TOKEN_RATE_HEADER} must be a positive number"))?;
            Some(rate)
        }
    };
    let base = Wire {
        token_rate,
        ..Wire::default()
    };
    let Some(value) = headers.get(VARIANT_HEADER) else {
        return Ok(base.with(&config.default_variants));
    };
    let value = value
        .to_str()
        .map_err(|_| format!("{VARIANT_HEADER} is not ASCII"))?;
    let mut variants = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !name.eq_ignore_ascii_case("none") {
            variants.push(name.parse::<Variant>()?);
        }
    }
    Ok(base.with(&variants))
}

/// The wire for a request inside a handler (the fault middleware already rejected bad values).
pub(crate) fn of(state: &Shared, headers: &HeaderMap) -> Wire {
    requested(state, headers).unwrap_or_default()
}

/// Under `suno-http-200` / `kling-http-200`, an error of that family keeps its body (the code is
/// in it) but is sent as HTTP 200, as the upstream business-code APIs do. `Retry-After` stays.
pub(crate) fn business_status(family: Family, wire: Wire, mut response: Response) -> Response {
    let status = response.status();
    let moved = match family {
        Family::Suno => wire.suno_http_200,
        Family::Kling => wire.kling_http_200,
        _ => false,
    };
    if moved && (status.is_client_error() || status.is_server_error()) {
        *response.status_mut() = StatusCode::OK;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in Variant::ALL {
            assert_eq!(v.name().parse::<Variant>(), Ok(v));
        }
        assert!("nope".parse::<Variant>().is_err());
    }
}
