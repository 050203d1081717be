//! The playground's view of one HTTP exchange: the request exactly as sent (key masked), the
//! response head as received, and the body as a byte stream, whatever the status. The typed
//! calls in `super` turn a non-2xx answer into an error at once; the playground shows it.
//!
//! Redirects: reqwest drops `Authorization` when a redirect leaves the origin, but not a custom
//! header such as Anthropic's `x-api-key`. So the client follows a redirect only within the
//! base URL's origin and stops at any other: the 3xx itself is then the answer, and no key
//! header ever reaches another host.

use super::{Family, GatewayClient, GatewayError};
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE};
use std::time::{Duration, Instant};
use url::Url;

/// How many same-origin hops are followed (a gateway rewriting `/v1` paths needs one or two).
const MAX_REDIRECTS: usize = 5;

pub(super) fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        let same = first.is_some_and(|from| origin(&from) == origin(attempt.url()));
        if same && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn origin(url: &Url) -> (String, Option<String>, Option<u16>) {
    (
        url.scheme().to_owned(),
        url.host_str().map(str::to_owned),
        url.port_or_known_default(),
    )
}

/// A request as it went on the wire, for the inspector and the history. The key is masked.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The answer's head and its body, not yet read.
#[derive(Debug)]
pub struct OpenResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// From sending the request to the response head.
    pub head_after: Duration,
    pub is_event_stream: bool,
    pub response: reqwest::Response,
}

impl OpenResponse {
    /// The request id a gateway or provider stamped on the answer, if any.
    pub fn request_id(&self) -> Option<String> {
        self.headers
            .iter()
            .find(|(name, _)| name.ends_with("request-id"))
            .map(|(_, value)| value.clone())
    }

    pub fn retry_after(&self) -> Option<Duration> {
        self.headers
            .iter()
            .find(|(name, _)| name == "retry-after")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    }
}

impl GatewayClient {
    /// What `open` would send, with the key masked: the inspector shows this before a reply.
    pub fn describe_request(
        &self,
        family: Family,
        path: &str,
        body: &[u8],
        event_stream: bool,
    ) -> SentRequest {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if event_stream {
            headers.push(("accept".to_owned(), "text/event-stream".to_owned()));
        }
        let masked = self.key.masked();
        if family.uses_x_api_key() {
            headers.push(("x-api-key".to_owned(), masked));
            headers.push((
                "anthropic-version".to_owned(),
                super::ANTHROPIC_VERSION.to_owned(),
            ));
        } else {
            headers.push(("authorization".to_owned(), format!("Bearer {masked}")));
        }
        SentRequest {
            method: "POST".to_owned(),
            url: self.url(family, path),
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// POSTs `body` (JSON bytes, sent exactly as given) and returns the response head and the
    /// unread body, whatever the status. Only the wait for the head is bounded here; the
    /// caller bounds the body (an idle timeout per chunk). Dropping the response cancels it.
    pub async fn open(
        &self,
        family: Family,
        path: &str,
        body: Vec<u8>,
        event_stream: bool,
    ) -> Result<OpenResponse, GatewayError> {
        let host = self.host();
        let mut request = self
            .http
            .post(self.url(family, path))
            .headers(self.auth_headers(family)?)
            .header(CONTENT_TYPE, "application/json")
            .headers(self.extra_headers.clone())
            .body(body);
        if event_stream {
            request = request.header(ACCEPT, "text/event-stream");
        }
        let timeout = self.timeouts.request;
        let started = Instant::now();
        let response = match tokio::time::timeout(timeout, request.send()).await {
            Ok(sent) => sent.map_err(|e| GatewayError::from_reqwest(&host, e, timeout))?,
            Err(_) => {
                return Err(GatewayError::Timeout {
                    host,
                    seconds: timeout.as_secs(),
                })
            }
        };
        let head_after = started.elapsed();
        // The inspector shows these; a debugging proxy may echo the auth header back.
        let headers: Vec<(String, String)> = header_list(response.headers())
            .into_iter()
            .map(|(name, value)| (name, self.scrub(&value).into_owned()))
            .collect();
        let is_event_stream = headers.iter().any(|(n, v)| {
            n == "content-type" && v.to_ascii_lowercase().starts_with("text/event-stream")
        });
        Ok(OpenResponse {
            status: response.status().as_u16(),
            headers,
            head_after,
            is_event_stream,
            response,
        })
    }
}

fn header_list(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}
