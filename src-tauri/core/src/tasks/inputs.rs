//! Local files as task inputs (issue 9 part 5): a field that takes a URL may take a file
//! instead (`routes::FileRule`). The file is kept once, by its sha256, in the app's inputs
//! folder ([`InputStore`]); the request body holds only a marker naming it
//! (`{"$file": {name, mime, size, sha256, seconds}}`), so the task row records the file's name,
//! size and checksum and never its bytes, and a re-run finds the same bytes again. The marker
//! becomes the bytes only when the request is sent ([`outgoing`]), the way the route's upstream
//! takes them: a data URL, bare base64, a multipart part, or the URL the gateway's file route
//! returned (`hostedUrl` in the marker, filled by `client::upload` before the row is written).

use super::routes::{Condition, FieldSpec, FileEmbed, FileRule, RouteSpec};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The key of a file marker in a request body.
pub const FILE_KEY: &str = "$file";
/// The key beside [`FILE_KEY`] holding the URL the gateway's file route returned.
pub const HOSTED_KEY: &str = "hostedUrl";
/// The largest file kept at all; each field has its own, smaller bound.
pub const MAX_INPUT_BYTES: u64 = 200 << 20;

/// A local file given to a task: what the row records of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskFileRef {
    /// The file's own name, cleaned (no folders, no control characters).
    pub name: String,
    pub mime: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    /// An audio file's length, measured by the core when it was kept; `None` when it is not
    /// audio or its format could not be read.
    pub seconds: Option<f64>,
}

impl TaskFileRef {
    /// The marker a body holds for this file.
    pub fn marker(&self) -> Value {
        serde_json::json!({ FILE_KEY: self })
    }

    /// The file a body value names, if it is a marker.
    pub fn from_marker(value: &Value) -> Option<TaskFileRef> {
        serde_json::from_value(value.get(FILE_KEY)?.clone()).ok()
    }
}

/// Where kept input files live: `<data dir>/task-inputs/<sha256>`.
#[derive(Debug, Clone)]
pub struct InputStore {
    dir: PathBuf,
}

impl InputStore {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps `bytes` (once per content) and describes them. `mime` is what the picker said;
    /// when empty it is guessed from the name's extension.
    pub fn save(&self, name: &str, mime: &str, bytes: &[u8]) -> Result<TaskFileRef, String> {
        if bytes.is_empty() {
            return Err("the file is empty".to_owned());
        }
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(format!(
                "the file is {}; at most {} is taken",
                mib(bytes.len() as u64),
                mib(MAX_INPUT_BYTES)
            ));
        }
        let name = clean_name(name);
        let mime = if mime.trim().is_empty() {
            mime_of_name(&name).to_owned()
        } else {
            mime.trim().to_ascii_lowercase()
        };
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.dir.join(&sha256);
        if !path.exists() {
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
            // Written aside, then renamed: a crash never leaves half a file under its checksum.
            let part = self.dir.join(format!("{sha256}.part"));
            std::fs::write(&part, bytes).map_err(|e| format!("cannot keep the file: {e}"))?;
            std::fs::rename(&part, &path).map_err(|e| format!("cannot keep the file: {e}"))?;
        }
        let seconds = mime
            .starts_with("audio/")
            .then(|| audio_seconds(bytes, &mime))
            .flatten();
        Ok(TaskFileRef {
            name,
            mime,
            size: bytes.len() as u64,
            sha256,
            seconds,
        })
    }

    /// The bytes of a kept file, checked against its checksum.
    pub fn read(&self, file: &TaskFileRef) -> Result<Vec<u8>, String> {
        let gone = || {
            format!(
                "the input file `{}` is no longer in {} (choose it again)",
                file.name,
                self.dir.display()
            )
        };
        if file.sha256.len() != 64 || !file.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(gone());
        }
        let bytes = std::fs::read(self.dir.join(&file.sha256)).map_err(|_| gone())?;
        if hex::encode(Sha256::digest(&bytes)) != file.sha256 {
            return Err(format!(
                "the kept copy of `{}` changed on disk (choose it again)",
                file.name
            ));
        }
        Ok(bytes)
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// A file's own name as the picker gave it, made safe to show and to send as a part's name.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.is_empty() {
        "input".to_owned()
    } else {
        clean
    }
}

/// The MIME type of the accepted formats by extension, for a picker that gave none.
fn mime_of_name(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        "ogg" | "oga" => "audio/ogg",
        _ => "application/octet-stream",
    }
}

/// An audio file's length in seconds, from its container's header or, failing that (an MP3
/// without a Xing header), the sum of its packets' durations. No decoding.
fn audio_seconds(bytes: &[u8], mime: &str) -> Option<f64> {
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    use symphonia::core::probe::Hint;
    let source = MediaSourceStream::new(
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        Default::default(),
    );
    let mut hint = Hint::new();
    hint.mime_type(mime);
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            source,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .ok()?;
    let mut format = probed.format;
    let track = format.default_track()?;
    let (track_id, params) = (track.id, track.codec_params.clone());
    let time_base = params.time_base.or_else(|| {
        params
            .sample_rate
            .map(|r| symphonia::core::units::TimeBase::new(1, r))
    })?;
    let frames = match params.n_frames {
        Some(n) => n,
        None => {
            let mut total = 0u64;
            while let Ok(packet) = format.next_packet() {
                if packet.track_id() == track_id {
                    total += packet.dur;
                }
            }
            total
        }
    };
    let time = time_base.calc_time(frames);
    Some(time.seconds as f64 + time.frac)
}

fn holds(conditions: &[Condition], body: &Value) -> bool {
    conditions.iter().all(|c| {
        let value = body.pointer(&c.path).unwrap_or(&Value::Null);
        c.any_of.iter().any(|v| v == value)
    })
}

/// What is wrong with the file a field names (`value` holds a marker), or nothing.
pub(crate) fn file_problems(field: &FieldSpec, value: &Value, body: &Value) -> Vec<String> {
    let Some(rule) = &field.file else {
        return vec![format!(
            "{} takes a URL here, not a local file",
            field.label
        )];
    };
    let Some(file) = TaskFileRef::from_marker(value) else {
        return vec![format!(
            "{}: the file marker is not one the app made",
            field.label
        )];
    };
    let mut problems = Vec::new();
    if !accepts(rule, &file.mime) {
        problems.push(format!(
            "{}: `{}` is {}; this route takes {}",
            field.label,
            file.name,
            file.mime,
            rule.accept.join(", ")
        ));
    }
    if file.size > rule.max_bytes {
        problems.push(format!(
            "{}: `{}` is {}; at most {} here",
            field.label,
            file.name,
            mib(file.size),
            mib(rule.max_bytes)
        ));
    }
    let limit = rule.max_seconds.iter().find(|r| holds(&r.when, body));
    if let (Some(limit), Some(seconds)) = (limit, file.seconds) {
        if seconds > limit.max_seconds {
            problems.push(format!(
                "{}: `{}` is {} long; at most {} with this model",
                field.label,
                file.name,
                clock(seconds),
                clock(limit.max_seconds)
            ));
        }
    }
    problems
}

fn accepts(rule: &FileRule, mime: &str) -> bool {
    rule.accept.iter().any(|a| a == mime)
}

fn clock(seconds: f64) -> String {
    let whole = seconds.round() as u64;
    format!("{}:{:02}", whole / 60, whole % 60)
}

/// A file leaving as a multipart part: the field's name in the form and the bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct FilePart {
    pub name: String,
    pub file: TaskFileRef,
    pub bytes: Vec<u8>,
}

/// A body as it is sent: JSON with every marker replaced, and the files that leave as parts
/// (when any, the whole body goes as `multipart/form-data`).
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub json: Value,
    pub parts: Vec<FilePart>,
}

/// The fields of `spec` whose value in `body` is a file marker, with their rule.
pub fn file_fields<'a>(spec: &'a RouteSpec, body: &Value) -> Vec<(&'a FieldSpec, TaskFileRef)> {
    spec.fields
        .iter()
        .filter_map(|f| {
            let file = TaskFileRef::from_marker(body.pointer(&f.path)?)?;
            Some((f, file))
        })
        .collect()
}

/// `body` with its markers turned into what the upstream takes. A hosted file must carry its
/// `hostedUrl` by now; the bytes are read from `inputs` and checked against their checksum.
pub fn outgoing(
    spec: &RouteSpec,
    body: &Value,
    inputs: Option<&InputStore>,
) -> Result<Outgoing, String> {
    let mut json = body.clone();
    let mut parts = Vec::new();
    for (field, file) in file_fields(spec, body) {
        let embed = field.file.as_ref().map(|r| r.embed);
        let Some(slot) = json.pointer_mut(&field.path) else {
            continue;
        };
        if embed == Some(FileEmbed::Hosted) {
            let url = body
                .pointer(&field.path)
                .and_then(|v| v.get(HOSTED_KEY))
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{}: `{}` was not uploaded", field.label, file.name))?;
            *slot = Value::String(url.to_owned());
            continue;
        }
        let inputs = inputs.ok_or_else(|| {
            format!(
                "{}: a local file needs the app's inputs folder",
                field.label
            )
        })?;
        let bytes = inputs.read(&file)?;
        let b64 = || base64::engine::general_purpose::STANDARD.encode(&bytes);
        match embed {
            Some(FileEmbed::DataUrl) => {
                *slot = Value::String(format!("data:{};base64,{}", file.mime, b64()));
            }
            Some(FileEmbed::Base64) => *slot = Value::String(b64()),
            Some(FileEmbed::Multipart) => {
                *slot = Value::Null;
                let name = field.path.rsplit('/').next().unwrap_or_default().to_owned();
                parts.push(FilePart { name, file, bytes });
            }
            Some(FileEmbed::Hosted) | None => {
                return Err(format!("{} takes a URL, not a local file", field.label))
            }
        }
    }
    if !parts.is_empty() {
        if let Some(object) = json.as_object_mut() {
            object.retain(|_, v| !v.is_null());
        }
    }
    Ok(Outgoing { json, parts })
}

/// A top-level JSON value as a form's text field: strings as they are, others as JSON.
pub fn form_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[path = "inputs_tests.rs"]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
