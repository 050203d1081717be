//! The gateway's file route: `POST /files/upload` (multipart `file`, `fileType`, `public`,
//! `folder`), answering `{code:200, msg, data:{url, fileName, fileSize, mimeType}}`, and the
//! uploaded bytes served back at that URL (`GET /sandbox/uploads/{id}`, public like a CDN link),
//! so a local file can become the `uploadUrl` a Suno route needs.
//!
//! [3P, unverified] The contract lists this route only as seen in third-party code; the sandbox
//! serves it so the app's upload flow can be tried end to end. `SandboxConfig::file_uploads =
//! false` makes it answer 404, as a gateway without the route does.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::multipart::Multipart;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::auth::authorize;
use crate::errors::{ApiError, Family};
use crate::state::Shared;

/// The most the sandbox keeps at once (oldest dropped first): it is a test double, not storage.
const MAX_KEPT_BYTES: usize = 512 << 20;

/// An uploaded file's MIME type and bytes.
type Upload = (String, Bytes);

/// Uploaded files by id, and the ids oldest first (to drop the oldest past the bound).
#[derive(Default)]
pub(crate) struct Uploads {
    files: Mutex<(HashMap<String, Upload>, Vec<String>)>,
}

impl Uploads {
    fn put(&self, id: String, mime: String, bytes: Bytes) {
        let mut guard = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let (files, order) = &mut *guard;
        files.insert(id.clone(), (mime, bytes));
        order.push(id);
        let mut kept: usize = files.values().map(|(_, b)| b.len()).sum();
        while kept > MAX_KEPT_BYTES && order.len() > 1 {
            let old = order.remove(0);
            if let Some((_, b)) = files.remove(&old) {
                kept -= b.len();
            }
        }
    }

    fn get(&self, id: &str) -> Option<Upload> {
        let guard = self.files.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.get(id).cloned()
    }

    /// The bytes at an upload URL of this sandbox, for tests.
    pub(crate) fn bytes_at(&self, base_url: &str, url: &str) -> Option<Bytes> {
        let id = url
            .strip_prefix(base_url)?
            .strip_prefix("/sandbox/uploads/")?;
        self.get(id).map(|(_, b)| b)
    }
}

/// `POST /files/upload`.
pub(crate) async fn upload(
    State(state): State<Shared>,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let family = Family::OpenAi;
    if !state.config.file_uploads {
        return Err(ApiError::not_found(family, "Unknown route: /files/upload"));
    }
    authorize(&state, family, &headers)?;
    let bad = |e: String| ApiError::invalid(family, format!("Invalid multipart body: {e}"));
    let mut form = form.map_err(|e| bad(e.body_text()))?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload").to_owned();
        let mime = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
        file = Some((name, mime, bytes));
    }
    let Some((name, mime, bytes)) = file else {
        return Err(ApiError::invalid(family, "file is required"));
    };
    if bytes.is_empty() {
        return Err(ApiError::invalid(family, "file is empty"));
    }
    let id = hex::encode(&Sha256::digest(&bytes)[..12]);
    let url = format!("{}/sandbox/uploads/{id}", state.base_url);
    let size = bytes.len();
    state.uploads.put(id, mime.clone(), bytes);
    let data = json!({"url": url, "fileName": name, "fileSize": size, "mimeType": mime});
    Ok(Json(json!({"code": 200, "msg": "success", "data": data})).into_response())
}

/// `GET /sandbox/uploads/{id}`: the uploaded bytes, public.
pub(crate) async fn serve(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    match state.uploads.get(&id) {
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => (StatusCode::NOT_FOUND, "no such upload").into_response(),
    }
}
