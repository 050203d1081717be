//! Hosting a local file for a route that takes only a URL (Suno `uploadUrl`).
//!
//! [3P, unverified] The contract lists `POST {gateway}/files/upload` (multipart `file`,
//! `fileType`, `public`, `folder`, answering `data.url`) only as a route seen in third-party
//! code, not as contract. It is used because nothing else can turn a local file into the URL
//! Suno needs; a gateway without it (404/405) gets a message saying so and nothing is lost: the
//! upload runs before the task's row is written, so no task and no charge come of it.

use super::super::inputs::{file_fields, InputStore, HOSTED_KEY};
use super::super::routes::{FileEmbed, RouteId};
use super::TaskClient;
use crate::error::DeskError;
use crate::gateway::{Family, GatewayError};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// The gateway path of the file route [3P].
pub const UPLOAD_PATH: &str = "/files/upload";
/// What a user reads when the gateway has no file route.
pub const NO_UPLOAD_ROUTE: &str =
    "this gateway has no upload route; host the file and paste its URL";

impl TaskClient {
    /// `body` with every hosted file field's marker given the URL the gateway's file route
    /// returned (`hostedUrl`). Fields that already carry a URL, and other embeds, are left
    /// alone. Refusals name the field: `not sent: /uploadUrl: …`.
    pub async fn upload_files(
        &self,
        route: RouteId,
        body: &Value,
        inputs: &InputStore,
    ) -> Result<Value, DeskError> {
        let spec = route.spec();
        let mut out = body.clone();
        for (field, file) in file_fields(&spec, body) {
            if field.file.as_ref().map(|r| r.embed) != Some(FileEmbed::Hosted) {
                continue;
            }
            let refuse =
                |why: &str| DeskError::InvalidInput(format!("not sent: {}: {why}", field.path));
            let bytes = inputs.read(&file).map_err(|e| refuse(&e))?;
            let part = Part::bytes(bytes)
                .file_name(file.name.clone())
                .mime_str(&file.mime)
                .map_err(|_| refuse("the file's type is not a valid MIME type"))?;
            let kind = file.mime.split('/').next().unwrap_or("file").to_owned();
            // [3P] field names as the third-party code sends them.
            let form = Form::new()
                .part("file", part)
                .text("fileType", kind)
                .text("public", "true")
                .text("folder", "anyint-desk");
            let url = self.gateway.root_url(UPLOAD_PATH);
            let answer = match self.gateway.exchange_form(Family::Suno, &url, form).await {
                Ok(answer) => answer,
                Err(e) if matches!(e.status(), Some(404 | 405)) => {
                    return Err(refuse(NO_UPLOAD_ROUTE))
                }
                Err(e) => return Err(DeskError::Gateway(e)),
            };
            let raw = String::from_utf8_lossy(&answer.body);
            let text = self.gateway.scrub(&raw);
            let hosted = hosted_url(&text).ok_or_else(|| {
                DeskError::Gateway(GatewayError::Decode {
                    reason: "the upload route answered without a file URL (`data.url`)".into(),
                    preview: text.chars().take(120).collect(),
                    raw_body: text.chars().take(16 * 1024).collect(),
                })
            })?;
            if let Some(slot) = out.pointer_mut(&field.path).and_then(Value::as_object_mut) {
                slot.insert(HOSTED_KEY.to_owned(), Value::String(hosted));
            }
        }
        Ok(out)
    }
}

/// The URL in the file route's answer: `data.url` [3P]; `data.downloadUrl` and `data.fileUrl`
/// as the upstream Suno file API names it are taken too. Only an http(s) URL is taken.
fn hosted_url(text: &str) -> Option<String> {
    let json: Value = serde_json::from_str(text).ok()?;
    let data = json.get("data").unwrap_or(&json);
    ["url", "downloadUrl", "fileUrl"]
        .iter()
        .find_map(|k| data.get(*k).and_then(Value::as_str))
        .filter(|u| url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hosted_url_is_read_from_data_and_must_be_web() {
        let ok = r#"{"code":200,"data":{"url":"https://files.example/a.mp3"}}"#;
        assert_eq!(
            hosted_url(ok).as_deref(),
            Some("https://files.example/a.mp3")
        );
        let alt = r#"{"success":true,"data":{"downloadUrl":"https://f.example/b.wav"}}"#;
        assert_eq!(hosted_url(alt).as_deref(), Some("https://f.example/b.wav"));
        assert_eq!(hosted_url(r#"{"data":{"url":"file:///etc/passwd"}}"#), None);
        assert_eq!(hosted_url(r#"{"data":{}}"#), None);
        assert_eq!(hosted_url("<html>"), None);
    }
}
