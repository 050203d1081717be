//! Requests for the task clients (`crate::tasks::client`): any method, extra headers (DashScope's
//! `X-DashScope-Async`), the 2xx body handed back with its `Retry-After` (Suno and Kling put
//! errors inside HTTP 200 answers, and the retry hint must survive that), and a streamed GET for
//! artifact content behind the key (OpenAI `GET /videos/{id}/content`).

use super::{retry_after, Family, GatewayClient, GatewayError, MAX_ERROR_PEEK, MAX_JSON_BODY};
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use std::time::Duration;

/// A 2xx answer read whole (bounded), with the retry hint its head carried.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

impl GatewayClient {
    /// Sends `method` to a family route (`path` after the prefix), with `query`, an optional
    /// JSON body and `extra` headers, and reads a 2xx answer whole; a non-2xx answer is the
    /// family's error, the key masked.
    pub async fn exchange(
        &self,
        method: Method,
        family: Family,
        path: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
        extra: &[(String, String)],
    ) -> Result<Exchange, GatewayError> {
        let host = self.host();
        let mut request = self
            .http
            .request(method, self.url(family, path))
            .headers(self.auth_headers(family)?)
            .query(query)
            .timeout(self.timeouts.request);
        for (name, value) in extra {
            let name = HeaderName::from_bytes(name.as_bytes());
            let value = HeaderValue::from_str(value);
            let (Ok(name), Ok(value)) = (name, value) else {
                return Err(GatewayError::Transport {
                    host,
                    detail: "a request header is not valid HTTP".to_owned(),
                });
            };
            request = request.header(name, value);
        }
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, "application/json").json(body);
        }
        let to_err = |e| GatewayError::from_reqwest(&host, e, self.timeouts.request);
        let response = request.send().await.map_err(to_err)?;
        self.read_whole(family, &host, response).await
    }

    /// A sent request's answer read whole (bounded): a 2xx as an [`Exchange`], anything else
    /// as the family's error.
    async fn read_whole(
        &self,
        family: Family,
        host: &str,
        mut response: reqwest::Response,
    ) -> Result<Exchange, GatewayError> {
        let to_err = |e| GatewayError::from_reqwest(host, e, self.timeouts.request);
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(to_err)? {
            if bytes.len() + chunk.len() > MAX_JSON_BODY {
                return Err(self.decode_error(
                    format!("the answer is larger than {} MiB", MAX_JSON_BODY >> 20),
                    &bytes,
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(self.status_error(family, status.as_u16(), retry_after, &bytes));
        }
        Ok(Exchange {
            status: status.as_u16(),
            retry_after,
            body: bytes,
        })
    }

    /// POSTs a `multipart/form-data` body to `url` (a family route, or a route at the gateway's
    /// root such as `/files/upload`) with `family`'s auth, and reads a 2xx answer whole, as
    /// [`GatewayClient::exchange`] does. `url` must be on this client's base URL.
    pub async fn exchange_form(
        &self,
        family: Family,
        url: &str,
        form: reqwest::multipart::Form,
    ) -> Result<Exchange, GatewayError> {
        let host = self.host();
        if !url.starts_with(self.base.as_str().trim_end_matches('/')) {
            return Err(GatewayError::Transport {
                host,
                detail: "a form is only sent to the gateway's own host".to_owned(),
            });
        }
        let request = self
            .http
            .post(url)
            .headers(self.auth_headers(family)?)
            .multipart(form)
            .timeout(self.timeouts.request);
        let to_err = |e| GatewayError::from_reqwest(&host, e, self.timeouts.request);
        let response = request.send().await.map_err(to_err)?;
        self.read_whole(family, &host, response).await
    }

    /// The gateway's root URL of `path` (no family prefix): `{gateway}/files/upload`.
    pub fn root_url(&self, path: &str) -> String {
        format!("{}{}", self.base.as_str().trim_end_matches('/'), path)
    }

    /// GETs a family route that answers with a file and returns the unread 2xx response for
    /// streaming to disk. Only the wait for the head is bounded (a video may take a while to
    /// arrive); a non-2xx answer is the family's error, its body read up to a bound.
    pub async fn open_get(
        &self,
        family: Family,
        path: &str,
    ) -> Result<reqwest::Response, GatewayError> {
        let host = self.host();
        let timeout = self.timeouts.request;
        let request = self
            .http
            .get(self.url(family, path))
            .headers(self.auth_headers(family)?);
        let mut response = match tokio::time::timeout(timeout, request.send()).await {
            Ok(sent) => sent.map_err(|e| GatewayError::from_reqwest(&host, e, timeout))?,
            Err(_) => {
                return Err(GatewayError::Timeout {
                    host,
                    seconds: timeout.as_secs(),
                })
            }
        };
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = retry_after(response.headers());
        let mut body = Vec::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            body.extend_from_slice(&chunk);
            if body.len() >= MAX_ERROR_PEEK {
                break;
            }
        }
        Err(self.status_error(family, status.as_u16(), retry_after, &body))
    }
}
