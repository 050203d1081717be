//! Artifacts to disk as soon as they are ready (URLs expire: DashScope's in 24 h). Each file is
//! streamed to a hidden temp file in the artifacts folder, hashed (sha256) while it streams,
//! synced, then renamed into place, so a file under its final name is always whole.
//!
//! File names are built here, never taken from the URL: the task's label, the route, an optional
//! hint, the task id and the index, each cut down to letters, digits and dashes, plus an
//! extension from a fixed list chosen by MIME type or kind. `Url` sources are fetched with a
//! plain client that sends no auth header at all (the URL is usually another host's: a CDN or
//! the provider's bucket); `GatewayContent` goes through [`TaskBackend::open_content`], which
//! carries the key to the gateway only.

use super::{ArtifactKind, ArtifactSource, BackendFailure, TaskBackend};
use crate::gateway::Network;
use base64::Engine;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use tokio::io::AsyncWriteExt;

/// A file larger than this is refused rather than allowed to fill the disk.
pub const MAX_ARTIFACT_BYTES: u64 = 16 * 1024 * 1024 * 1024;
const NAME_PART_CHARS: usize = 40;
const WRITE_BUFFER: usize = 256 * 1024;

/// What a task's artifact is named after.
#[derive(Debug, Clone)]
pub struct ArtifactName<'a> {
    pub task_id: &'a str,
    pub label: &'a str,
    pub route: &'a str,
    pub hint: Option<&'a str>,
    pub index: u32,
}

/// A file on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedFile {
    pub file_name: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
    pub mime: Option<String>,
}

/// Why a file is not on disk.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchFailure {
    /// 403/404/410 on a URL: it lapsed. Only a re-run gets a new one.
    Expired(String),
    /// Worth trying again later (429, 5xx, transport, disk full).
    Retry(String),
    /// Will not work on retry (a bad URL, bad base64, too large).
    Broken(String),
}

/// Where artifacts go, and the network (Settings' proxy, TLS roots, timeouts) files are fetched
/// through: a CDN behind the company's proxy is reached the way the gateway is.
#[derive(Debug)]
pub struct Downloader {
    dir: RwLock<PathBuf>,
    network: RwLock<Network>,
}

impl Downloader {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir: RwLock::new(dir),
            network: RwLock::new(Network::default()),
        }
    }

    /// Settings were read or saved: later fetches go through this network.
    pub fn use_network(&self, network: Network) {
        *self.network.write().unwrap_or_else(|p| p.into_inner()) = network;
    }

    /// The network fetches go through now.
    pub(crate) fn network(&self) -> Network {
        self.network
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// A client for one file: built per fetch, because the proxy (and the no-proxy list) depends
    /// on the file's host, and because building one loads the TLS roots, which the app's start
    /// should not pay for a download that may never come. Never the gateway client: no default
    /// headers, so no key. Redirects are followed (CDNs use them) and carry no auth either.
    fn client_for(&self, url: &url::Url) -> Result<reqwest::Client, reqwest::Error> {
        self.network()
            .client_builder(url)?
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
    }

    pub fn dir(&self) -> PathBuf {
        self.dir.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Settings moved the folder: new files go there (saved ones stay where they are).
    pub fn set_dir(&self, dir: PathBuf) {
        *self.dir.write().unwrap_or_else(|p| p.into_inner()) = dir;
    }

    /// Fetches one artifact into the artifacts folder.
    pub async fn fetch<B: TaskBackend>(
        &self,
        backend: &B,
        kind: ArtifactKind,
        source: &ArtifactSource,
        name: &ArtifactName<'_>,
    ) -> Result<SavedFile, FetchFailure> {
        let dir = self.dir();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| FetchFailure::Retry(format!("cannot create {}: {e}", dir.display())))?;
        match source {
            ArtifactSource::Inline { mime, base64 } => {
                let bytes = decode_base64(base64)?;
                let file_name = file_name(name, extension(kind, Some(mime), None));
                let mut sink = Sink::open(&dir, &file_name).await?;
                sink.write(&bytes).await?;
                sink.finish(Some(mime.clone())).await
            }
            ArtifactSource::Url { url } => {
                let parsed = url::Url::parse(url)
                    .map_err(|e| FetchFailure::Broken(format!("not a URL ({e}): {url}")))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(FetchFailure::Broken(format!(
                        "only http(s) URLs are fetched, not `{}`",
                        parsed.scheme()
                    )));
                }
                let fetch_failed =
                    |e| FetchFailure::Retry(format!("could not fetch {}: {e}", host_of(&parsed)));
                let http = self.client_for(&parsed).map_err(fetch_failed)?;
                let resp = http
                    .get(parsed.clone())
                    .send()
                    .await
                    .map_err(fetch_failed)?;
                let status = resp.status().as_u16();
                if matches!(status, 403 | 404 | 410) {
                    return Err(FetchFailure::Expired(format!(
                        "the file's URL no longer answers (HTTP {status}); re-run the task for a new one"
                    )));
                }
                let ext_hint = parsed
                    .path_segments()
                    .and_then(|mut s| s.next_back().map(str::to_string));
                self.stream(resp, &dir, kind, name, ext_hint.as_deref())
                    .await
            }
            ArtifactSource::GatewayContent { path } => {
                let resp = backend.open_content(path).await.map_err(from_backend)?;
                self.stream(resp, &dir, kind, name, None).await
            }
        }
    }

    async fn stream(
        &self,
        resp: reqwest::Response,
        dir: &Path,
        kind: ArtifactKind,
        name: &ArtifactName<'_>,
        url_file: Option<&str>,
    ) -> Result<SavedFile, FetchFailure> {
        let status = resp.status();
        if !status.is_success() {
            let text = format!("the file answered HTTP {}", status.as_u16());
            return Err(if status.as_u16() == 429 || status.is_server_error() {
                FetchFailure::Retry(text)
            } else {
                FetchFailure::Broken(text)
            });
        }
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_ARTIFACT_BYTES)
        {
            return Err(too_large());
        }
        let mime = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty());
        let file_name = file_name(name, extension(kind, mime.as_deref(), url_file));
        let mut sink = Sink::open(dir, &file_name).await?;
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| FetchFailure::Retry(format!("download broke: {e}")))?;
            sink.write(&chunk).await?;
        }
        sink.finish(mime).await
    }
}

/// A temp file being written and hashed; renamed into place by `finish`, removed if dropped
/// half-way (the next attempt starts clean).
struct Sink {
    file: tokio::io::BufWriter<tokio::fs::File>,
    temp: PathBuf,
    target: PathBuf,
    file_name: String,
    hasher: Sha256,
    size: u64,
    done: bool,
}

impl Sink {
    async fn open(dir: &Path, file_name: &str) -> Result<Self, FetchFailure> {
        let temp = dir.join(format!(".{file_name}.part"));
        let file = tokio::fs::File::create(&temp)
            .await
            .map_err(|e| FetchFailure::Retry(format!("cannot write {}: {e}", temp.display())))?;
        Ok(Self {
            file: tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file),
            target: dir.join(file_name),
            temp,
            file_name: file_name.to_string(),
            hasher: Sha256::new(),
            size: 0,
            done: false,
        })
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), FetchFailure> {
        self.size += bytes.len() as u64;
        if self.size > MAX_ARTIFACT_BYTES {
            return Err(too_large());
        }
        self.hasher.update(bytes);
        self.file
            .write_all(bytes)
            .await
            .map_err(|e| FetchFailure::Retry(format!("cannot write the file: {e}")))
    }

    async fn finish(mut self, mime: Option<String>) -> Result<SavedFile, FetchFailure> {
        let io = |e: std::io::Error| FetchFailure::Retry(format!("cannot save the file: {e}"));
        self.file.flush().await.map_err(io)?;
        // On disk before the name says it is: a crash after the rename must not leave a
        // truncated file under the final name.
        self.file.get_ref().sync_all().await.map_err(io)?;
        tokio::fs::rename(&self.temp, &self.target)
            .await
            .map_err(io)?;
        self.done = true;
        Ok(SavedFile {
            file_name: self.file_name.clone(),
            path: self.target.clone(),
            size: self.size,
            sha256: hex::encode(self.hasher.clone().finalize()),
            mime,
        })
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

fn too_large() -> FetchFailure {
    FetchFailure::Broken(format!(
        "the file is larger than {} GiB; not saved",
        MAX_ARTIFACT_BYTES >> 30
    ))
}

fn host_of(url: &url::Url) -> String {
    url.host_str().unwrap_or("the file's host").to_string()
}

fn from_backend(f: BackendFailure) -> FetchFailure {
    match f.status {
        Some(403 | 404 | 410) => FetchFailure::Expired(format!(
            "the gateway no longer has this file ({}); re-run the task for a new one",
            f.message
        )),
        _ if f.retryable => FetchFailure::Retry(f.message),
        _ => FetchFailure::Broken(f.message),
    }
}

fn decode_base64(text: &str) -> Result<Vec<u8>, FetchFailure> {
    // Some families send a data URL, some the bare base64; whitespace from line wrapping is
    // dropped.
    let bare = text.split_once(";base64,").map_or(text, |(_, b)| b);
    let clean: String = bare.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|e| FetchFailure::Broken(format!("the inline file is not valid base64: {e}")))
}

/// Letters and digits (any script), runs of anything else as one dash, trimmed and cut. Never
/// `.`, `/`, `\`, control characters or an empty string.
pub fn name_part(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= NAME_PART_CHARS {
            break;
        }
    }
    out.trim_matches('-').to_string()
}

/// `label-route[-hint]-taskid-N.ext`, each part through [`name_part`].
pub fn file_name(name: &ArtifactName<'_>, ext: &str) -> String {
    let mut parts = vec![name_part(name.label), name_part(name.route)];
    if let Some(hint) = name.hint {
        parts.push(name_part(hint));
    }
    parts.push(name_part(name.task_id));
    parts.push((name.index + 1).to_string());
    let stem = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{stem}.{ext}")
}

/// An extension from a fixed list: by MIME type, else the URL's own extension if it is on the
/// list for this kind, else the kind's default.
pub fn extension(kind: ArtifactKind, mime: Option<&str>, url_file: Option<&str>) -> &'static str {
    static KNOWN: [(&str, &str, ArtifactKind); 18] = [
        ("image/png", "png", ArtifactKind::Image),
        ("image/jpeg", "jpg", ArtifactKind::Image),
        ("image/webp", "webp", ArtifactKind::Image),
        ("image/gif", "gif", ArtifactKind::Image),
        ("video/mp4", "mp4", ArtifactKind::Video),
        ("video/webm", "webm", ArtifactKind::Video),
        ("video/quicktime", "mov", ArtifactKind::Video),
        ("audio/mpeg", "mp3", ArtifactKind::Audio),
        ("audio/mp3", "mp3", ArtifactKind::Audio),
        ("audio/wav", "wav", ArtifactKind::Audio),
        ("audio/x-wav", "wav", ArtifactKind::Audio),
        ("audio/wave", "wav", ArtifactKind::Audio),
        ("audio/flac", "flac", ArtifactKind::Audio),
        ("audio/ogg", "ogg", ArtifactKind::Audio),
        ("audio/mp4", "m4a", ArtifactKind::Audio),
        ("text/plain", "txt", ArtifactKind::Text),
        ("application/json", "json", ArtifactKind::Text),
        ("text/vtt", "vtt", ArtifactKind::Text),
    ];
    if let Some((_, ext, _)) = mime.and_then(|m| KNOWN.iter().find(|(k, _, _)| *k == m)) {
        return ext;
    }
    let url_ext = url_file
        .and_then(|f| f.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    if let Some((_, ext, _)) = url_ext.and_then(|e| {
        KNOWN
            .iter()
            .find(|(_, ext, k)| *k == kind && *ext == e.as_str())
    }) {
        return ext;
    }
    match kind {
        ArtifactKind::Image => "png",
        ArtifactKind::Video => "mp4",
        ArtifactKind::Audio => "mp3",
        ArtifactKind::Text => "txt",
    }
}
