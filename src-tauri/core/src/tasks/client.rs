//! [`TaskClient`]: the real [`TaskBackend`], speaking every task route of `routes` over one
//! `GatewayClient` (one connection, one key). A create body is checked against the route's
//! fields before it is sent; each family's answer becomes the shared `Created` / `PollReport`
//! (`client::media`, `client::music`); every failure becomes a `BackendFailure` whose words
//! never carry the key, including errors that arrive inside an HTTP 200 (Suno, Kling).

mod media;
mod music;
pub mod upload;

use super::inputs::{form_text, outgoing, InputStore, Outgoing};
use super::limits::validate;
use super::routes::{RouteId, RouteSpec};
use super::{BackendFailure, Created, PollReport, TaskBackend};
use crate::gateway::{Family, GatewayClient, GatewayError};
use reqwest::Method;
use serde_json::Value;
use std::time::Duration;

/// The task client for one connection and key. Cheap to clone.
#[derive(Debug, Clone)]
pub struct TaskClient {
    gateway: GatewayClient,
    /// Where local input files are kept; without it a body naming a file is refused.
    inputs: Option<InputStore>,
}

/// A 2xx answer, its text masked of the key, as JSON.
struct Answer {
    json: Value,
    retry_after: Option<Duration>,
}

impl TaskClient {
    pub fn new(gateway: GatewayClient) -> Self {
        Self {
            gateway,
            inputs: None,
        }
    }

    /// This client, reading local input files from `inputs`.
    pub fn with_inputs(mut self, inputs: InputStore) -> Self {
        self.inputs = Some(inputs);
        self
    }

    pub fn gateway(&self) -> &GatewayClient {
        &self.gateway
    }

    /// Checks `body` against the route and sends it. A sync route's answer is the result.
    pub async fn create_route(
        &self,
        route: RouteId,
        body: &Value,
    ) -> Result<Created, BackendFailure> {
        if let Err(problems) = validate(route, body) {
            let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(refused(format!("not sent: {}", words.join("; "))));
        }
        let spec = route.spec();
        let (path, body) = fill_model(&spec, body)?;
        // Local files become what the upstream takes only now: the row keeps the markers.
        let Outgoing { json: body, parts } =
            outgoing(&spec, &body, self.inputs.as_ref()).map_err(refused)?;
        let answer = if parts.is_empty() {
            self.send(
                Method::POST,
                spec.family,
                &path,
                &[],
                Some(&body),
                &spec.extra_headers,
            )
            .await?
        } else {
            self.send_form(spec.family, &path, &body, parts).await?
        };
        match spec.family {
            Family::Suno => music::created(route, answer),
            _ => media::created(route, &body, answer),
        }
    }

    /// Asks the family's poll route where task `id` of `route` is.
    pub async fn poll_route(&self, route: RouteId, id: &str) -> Result<PollReport, BackendFailure> {
        let spec = route.spec();
        let Some(template) = spec.poll_path.as_deref() else {
            return Err(refused(format!(
                "{route} finishes in its answer; it has no poll route"
            )));
        };
        check_id(id)?;
        // `/query/task?taskId={id}`: the id goes in the query, encoded by reqwest.
        let (path, query) = match template.split_once('?') {
            Some((path, q)) => {
                let name = q.split('=').next().unwrap_or("taskId");
                (path.to_owned(), vec![(name, id.to_owned())])
            }
            None => (template.replace("{id}", id), Vec::new()),
        };
        let answer = self
            .send(Method::GET, spec.family, &path, &query, None, &[])
            .await?;
        match spec.family {
            Family::Suno => music::polled(route, answer),
            _ => media::polled(route, id, answer),
        }
    }

    /// The body as `multipart/form-data`: each top-level field a text part, each file a file
    /// part (OpenAI `videos.create` with a local `input_reference`, as the official SDK sends).
    async fn send_form(
        &self,
        family: Family,
        path: &str,
        body: &Value,
        parts: Vec<super::inputs::FilePart>,
    ) -> Result<Answer, BackendFailure> {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in body.as_object().into_iter().flatten() {
            form = form.text(name.clone(), form_text(value));
        }
        for part in parts {
            let file = reqwest::multipart::Part::bytes(part.bytes)
                .file_name(part.file.name.clone())
                .mime_str(&part.file.mime)
                .map_err(|_| refused(format!("`{}` has no valid MIME type", part.file.name)))?;
            form = form.part(part.name, file);
        }
        let url = self.gateway.url(family, path);
        let exchange = self
            .gateway
            .exchange_form(family, &url, form)
            .await
            .map_err(failure)?;
        self.answer(&exchange.body, exchange.retry_after)
    }

    async fn send(
        &self,
        method: Method,
        family: Family,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        extra: &[(String, String)],
    ) -> Result<Answer, BackendFailure> {
        let exchange = self
            .gateway
            .exchange(method, family, path, query, body, extra)
            .await
            .map_err(failure)?;
        self.answer(&exchange.body, exchange.retry_after)
    }

    fn answer(&self, body: &[u8], retry_after: Option<Duration>) -> Result<Answer, BackendFailure> {
        // Gateways echo keys in odd places; nothing kept from an answer may carry it.
        let text = String::from_utf8_lossy(body);
        let text = self.gateway.scrub(&text);
        let json = serde_json::from_str(&text).map_err(|e| {
            failure(GatewayError::Decode {
                reason: format!("not JSON: {e}"),
                preview: text.chars().take(120).collect(),
                raw_body: text.chars().take(16 * 1024).collect(),
            })
        })?;
        Ok(Answer { json, retry_after })
    }
}

impl TaskBackend for TaskClient {
    async fn create(&self, route: &str, body: &Value) -> Result<Created, BackendFailure> {
        self.create_route(route_of(route)?, body).await
    }

    async fn poll(&self, route: &str, gateway_task_id: &str) -> Result<PollReport, BackendFailure> {
        self.poll_route(route_of(route)?, gateway_task_id).await
    }

    async fn open_content(&self, path: &str) -> Result<reqwest::Response, BackendFailure> {
        // Only OpenAI-style video has a content route (contract §2 row 18); anything else is a
        // bug upstream of here, not a request to send with the key.
        let safe = path.starts_with("/videos/")
            && path.ends_with("/content")
            && !path.contains("..")
            && !path.contains(['?', '#', '\\']);
        if !safe {
            return Err(refused(format!("`{path}` is not a gateway content route")));
        }
        self.gateway
            .open_get(Family::OpenAi, path)
            .await
            .map_err(failure)
    }
}

fn route_of(word: &str) -> Result<RouteId, BackendFailure> {
    word.parse::<RouteId>().map_err(refused)
}

/// A request this client will not send: never retried.
pub(crate) fn refused(message: impl Into<String>) -> BackendFailure {
    BackendFailure {
        status: None,
        message: message.into(),
        retryable: false,
        retry_after: None,
        raw: None,
    }
}

/// A gateway error in the shared words: transient ones retry (decision 6), the retry hint and
/// the family's body (already masked by the gateway client) are kept.
pub fn failure(e: GatewayError) -> BackendFailure {
    let (retry_after, raw) = match &e {
        GatewayError::Status {
            retry_after,
            raw_body,
            ..
        } => (*retry_after, Some(raw_body.clone())),
        GatewayError::Decode { raw_body, .. } => (None, Some(raw_body.clone())),
        _ => (None, None),
    };
    BackendFailure {
        status: e.status(),
        message: e.to_string(),
        retryable: e.is_transient(),
        retry_after,
        raw,
    }
}

/// Ids go into paths: anything but the characters gateways use is refused, not escaped.
fn check_id(id: &str) -> Result<(), BackendFailure> {
    let ok = !id.is_empty()
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        && !id.contains("..");
    if ok {
        Ok(())
    } else {
        Err(refused(format!(
            "`{id}` is not a task id this client sends"
        )))
    }
}

/// The create path with `{model}` filled from the body, and the body without `model` there
/// (Gemini names the model in the path only).
fn fill_model(spec: &RouteSpec, body: &Value) -> Result<(String, Value), BackendFailure> {
    if !spec.create_path.contains("{model}") {
        return Ok((spec.create_path.clone(), body.clone()));
    }
    let mut body = body.clone();
    let model = body
        .as_object_mut()
        .and_then(|o| o.remove("model"))
        .and_then(|m| m.as_str().map(str::to_owned))
        .unwrap_or_default();
    check_id(&model)?;
    Ok((spec.create_path.replace("{model}", &model), body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_and_models_that_could_escape_a_path_are_refused() {
        for bad in ["", "../x", "a/b", "a?b", "a b", "a%2f"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        for good in ["video_123", "5c79be8e", "ds-1.2:3"] {
            assert!(check_id(good).is_ok(), "{good}");
        }
        let spec = RouteId::GeminiImage.spec();
        let (path, body) = fill_model(
            &spec,
            &json!({"model": "gemini-3.1-flash-image-preview", "contents": []}),
        )
        .unwrap();
        assert_eq!(
            path,
            "/models/gemini-3.1-flash-image-preview:generateContent"
        );
        assert!(body.get("model").is_none() && body.get("contents").is_some());
        assert!(fill_model(&spec, &json!({"model": "../../openai/v1/x"})).is_err());
    }

    #[test]
    fn gateway_errors_keep_status_retry_hint_and_transience() {
        let e = GatewayError::Timeout {
            host: "h".into(),
            seconds: 3,
        };
        let f = failure(e);
        assert!(f.retryable && f.status.is_none());
        let e = GatewayError::Decode {
            reason: "r".into(),
            preview: "p".into(),
            raw_body: "body".into(),
        };
        let f = failure(e);
        assert!(!f.retryable && f.raw.as_deref() == Some("body"));
    }
}
