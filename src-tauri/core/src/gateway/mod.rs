//! The HTTP client for the AnyInt gateway: base URL, per-family auth headers, timeouts, and
//! error mapping. It knows routes and headers, not what the answers mean (see `models`, `wire`).

mod error;
mod exchange;
mod family;
pub mod network;
mod raw;

pub use error::GatewayError;
pub use exchange::Exchange;
pub use family::{Family, ANTHROPIC_VERSION};
pub use network::Network;
pub use raw::{OpenResponse, SentRequest};

use crate::keys::ApiKey;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use std::time::Duration;
use url::Url;

/// The documented default host (contract decision 1).
pub const DEFAULT_BASE_URL: &str = "https://api.anyint.ai";
/// The older documented host, offered as the alternative.
pub const ALTERNATIVE_BASE_URL: &str = "https://gateway.api.anyint.ai";

/// The most of a JSON answer the client reads into memory. A models list is kilobytes; a
/// runaway body (a proxy's error page looping, a fault) should fail clearly, not exhaust RAM.
const MAX_JSON_BODY: usize = 32 * 1024 * 1024;
/// How much of a failed stream's body is read to report it.
const MAX_ERROR_PEEK: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// A client for one base URL and one key. Cheap to clone (reqwest pools connections inside).
#[derive(Debug, Clone)]
pub struct GatewayClient {
    http: reqwest::Client,
    base: Url,
    key: ApiKey,
    timeouts: Timeouts,
    /// Extra headers on every `open` (the playground's path): a sandbox fault rehearsal.
    extra_headers: HeaderMap,
}

/// Checks and normalises a base URL typed by a user: http(s) only, a host, no query or
/// fragment, trailing slashes dropped so route paths join cleanly.
pub fn parse_base_url(input: &str) -> Result<Url, GatewayError> {
    let invalid = |reason: &str| GatewayError::InvalidBaseUrl {
        input: input.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    let url = Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("only http:// and https:// are supported"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials do not belong in the URL; use a key"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let mut url = url;
    url.set_path(&path);
    Ok(url)
}

impl GatewayClient {
    pub fn new(base_url: &str, key: ApiKey) -> Result<Self, GatewayError> {
        Self::with_timeouts(base_url, key, Timeouts::default())
    }

    pub fn with_timeouts(
        base_url: &str,
        key: ApiKey,
        timeouts: Timeouts,
    ) -> Result<Self, GatewayError> {
        let network = Network {
            timeouts,
            ..Network::default()
        };
        Self::with_network(base_url, key, &network)
    }

    /// A client that reaches its host the way `network` says (proxy, TLS roots, timeouts):
    /// every client the app and the CLI make comes through here.
    pub fn with_network(
        base_url: &str,
        key: ApiKey,
        network: &Network,
    ) -> Result<Self, GatewayError> {
        let base = parse_base_url(base_url)?;
        let transport = |e: reqwest::Error| GatewayError::Transport {
            host: host_of(&base),
            detail: e.to_string(),
        };
        let http = network
            .client_builder(&base)
            .map_err(transport)?
            .user_agent(concat!("anyint-desk/", env!("CARGO_PKG_VERSION")))
            .redirect(raw::same_origin_redirects())
            .build()
            .map_err(transport)?;
        Ok(Self {
            http,
            base,
            key,
            timeouts: network.timeouts.clone(),
            extra_headers: HeaderMap::new(),
        })
    }

    /// This client with one more header on every playground request. Used to rehearse a
    /// Sandbox fault (`x-sandbox-fault`) on one model of a workload; an auth header is refused
    /// so the key's header stays the only one.
    pub fn with_header(&self, name: &str, value: &str) -> Result<Self, String> {
        let invalid = |reason: &str| format!("header `{name}`: {reason}");
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid("not a header name"))?;
        if name == AUTHORIZATION || name.as_str() == "x-api-key" {
            return Err(invalid("the key's header is set by the client"));
        }
        let value = HeaderValue::from_str(value).map_err(|_| invalid("not a header value"))?;
        let mut next = self.clone();
        next.extra_headers.insert(name, value);
        Ok(next)
    }

    /// The key's fingerprint (a hash prefix, never the key): what the usage ledger records.
    pub fn key_fingerprint(&self) -> String {
        self.key.fingerprint()
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    pub fn host(&self) -> String {
        host_of(&self.base)
    }

    /// The auth headers `family` documents, marked sensitive so reqwest never prints them.
    pub fn auth_headers(&self, family: Family) -> Result<HeaderMap, GatewayError> {
        let mut headers = HeaderMap::new();
        let bad_key = || GatewayError::KeyNotHeaderSafe;
        if family.uses_x_api_key() {
            let mut value = HeaderValue::from_str(self.key.expose()).map_err(|_| bad_key())?;
            value.set_sensitive(true);
            headers.insert("x-api-key", value);
            headers.insert(
                "anthropic-version",
                HeaderValue::from_static(ANTHROPIC_VERSION),
            );
        } else {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", self.key.expose()))
                .map_err(|_| bad_key())?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        Ok(headers)
    }

    /// The full URL of `path` (which starts after the family prefix, e.g. `/models`).
    pub fn url(&self, family: Family, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base.as_str().trim_end_matches('/'),
            family.prefix(),
            path
        )
    }

    /// GET a JSON document from a family route, mapping every failure to a `GatewayError`.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        family: Family,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, GatewayError> {
        let request = self
            .http
            .get(self.url(family, path))
            .headers(self.auth_headers(family)?)
            .query(query)
            .timeout(self.timeouts.request);
        self.send_json(family, request).await
    }

    /// POST a JSON body to a family route and read a JSON answer (non-stream calls).
    pub async fn post_json<B, T>(
        &self,
        family: Family,
        path: &str,
        body: &B,
    ) -> Result<T, GatewayError>
    where
        B: serde::Serialize + ?Sized,
        T: serde::de::DeserializeOwned,
    {
        let request = self
            .http
            .post(self.url(family, path))
            .headers(self.auth_headers(family)?)
            .json(body)
            .timeout(self.timeouts.request);
        self.send_json(family, request).await
    }

    /// POST a JSON body and return the answer's body as a byte stream (for `crate::sse`).
    /// Non-2xx answers become the family's error, like `get_json`. Only the wait for the
    /// response head is bounded by the request timeout: a stream may rightly last longer.
    /// Dropping the returned stream closes the connection, which cancels the generation.
    pub async fn post_stream<B>(
        &self,
        family: Family,
        path: &str,
        body: &B,
    ) -> Result<
        impl futures::Stream<Item = Result<bytes::Bytes, GatewayError>> + Send + 'static,
        GatewayError,
    >
    where
        B: serde::Serialize + ?Sized,
    {
        use futures::TryStreamExt;
        let host = self.host();
        let timeout = self.timeouts.request;
        let bytes = serde_json::to_vec(body).map_err(|e| GatewayError::Transport {
            host: host.clone(),
            detail: format!("the request body could not be encoded: {e}"),
        })?;
        let opened = self.open(family, path, bytes, true).await?;
        let ok = (200..300).contains(&opened.status);
        if !ok || !opened.is_event_stream {
            let retry_after = opened.retry_after();
            let status = opened.status;
            let content_type = opened
                .headers
                .iter()
                .find(|(n, _)| n == "content-type")
                .map(|(_, v)| v.to_ascii_lowercase())
                .unwrap_or_default();
            // Bounded: an error page (or a wrong body) is shown, never streamed whole.
            let mut body = Vec::new();
            let mut response = opened.response;
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| GatewayError::from_reqwest(&host, e, timeout))?
            {
                body.extend_from_slice(&chunk);
                if body.len() >= MAX_ERROR_PEEK {
                    break;
                }
            }
            if !ok {
                return Err(self.status_error(family, status, retry_after, &body));
            }
            return Err(self.decode_error(
                format!("expected an event stream, got content-type `{content_type}`"),
                &body,
            ));
        }
        Ok(opened
            .response
            .bytes_stream()
            .map_err(move |e| GatewayError::from_reqwest(&host, e, timeout)))
    }

    /// Sends a request and decodes the JSON body of a 2xx answer.
    async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        family: Family,
        request: reqwest::RequestBuilder,
    ) -> Result<T, GatewayError> {
        let body = self.send(family, request).await?;
        serde_json::from_slice(&body).map_err(|e| self.decode_error(e, &body))
    }

    /// Sends a request and returns the body of a 2xx answer, or the family's error.
    async fn send(
        &self,
        family: Family,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, GatewayError> {
        let host = self.host();
        let to_err = |e| GatewayError::from_reqwest(&host, e, self.timeouts.request);
        let mut response = request.send().await.map_err(to_err)?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(to_err)? {
            if body.len() + chunk.len() > MAX_JSON_BODY {
                return Err(self.decode_error(
                    format!("the answer is larger than {} MiB", MAX_JSON_BODY >> 20),
                    &body,
                ));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(self.status_error(family, status.as_u16(), retry_after, &body));
        }
        Ok(body)
    }

    /// The family's error for a non-2xx answer, with this client's key masked wherever the
    /// gateway echoed it. Every error built from an answer's body goes through here or
    /// [`Self::decode_error`]: only the client knows which key to mask.
    pub(crate) fn status_error(
        &self,
        family: Family,
        status: u16,
        retry_after: Option<Duration>,
        body: &[u8],
    ) -> GatewayError {
        GatewayError::from_status(family, status, retry_after, body, &self.key)
    }

    /// An answer that is not what the route documents, the key masked as in `status_error`.
    pub(crate) fn decode_error(&self, reason: impl ToString, body: &[u8]) -> GatewayError {
        GatewayError::decode(reason, body, &self.key)
    }

    /// The first `max` bytes of an answer's body as text, this client's key masked: for a
    /// body shown as it came (the playground's view of an error page).
    pub(crate) fn shown_body(&self, body: &[u8], max: usize) -> String {
        error::masked_text(body, max, &self.key)
    }

    /// `text` with this client's key masked, for gateway words that reach the user other than
    /// through a `GatewayError` (an error event inside a stream).
    pub(crate) fn scrub<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        self.key.scrub(text)
    }
}

/// `Retry-After` in seconds (the form gateways use for 429 and 503); an HTTP date is ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn key() -> ApiKey {
        ApiKey::new("sk-test-header-check").unwrap()
    }

    #[test]
    fn base_urls_are_validated_with_clear_reasons() {
        for bad in [
            "",
            "not a url",
            "ftp://x.example",
            "https://",
            "https://h.example/?a=1",
            "https://u:p@h.example",
        ] {
            let err = parse_base_url(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad}");
        }
        assert_eq!(
            parse_base_url(" https://api.anyint.ai/ ").unwrap().as_str(),
            "https://api.anyint.ai/"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:9/proxy/").unwrap().path(),
            "/proxy"
        );
    }

    #[test]
    fn each_family_gets_its_documented_auth() {
        let client = GatewayClient::new("https://api.anyint.ai", key()).unwrap();
        let anthropic = client.auth_headers(Family::Anthropic).unwrap();
        assert_eq!(anthropic["x-api-key"], "sk-test-header-check");
        assert_eq!(anthropic["anthropic-version"], "2023-06-01");
        assert!(anthropic.get(AUTHORIZATION).is_none());
        for family in [
            Family::OpenAi,
            Family::Gemini,
            Family::DashScope,
            Family::Kling,
            Family::Suno,
        ] {
            let h = client.auth_headers(family).unwrap();
            assert_eq!(h[AUTHORIZATION], "Bearer sk-test-header-check");
            assert!(h.get("x-api-key").is_none());
            assert!(h[AUTHORIZATION].is_sensitive());
        }
    }

    #[test]
    fn urls_join_prefix_and_path() {
        let client = GatewayClient::new("http://127.0.0.1:8787/", key()).unwrap();
        assert_eq!(
            client.url(Family::OpenAi, "/models"),
            "http://127.0.0.1:8787/openai/v1/models"
        );
        assert_eq!(
            client.url(Family::Kling, "/videos/text2video"),
            "http://127.0.0.1:8787/transtreams/kling/v1/videos/text2video"
        );
        let debug = format!("{client:?}");
        assert!(!debug.contains("header-check"), "{debug}");
    }
}
