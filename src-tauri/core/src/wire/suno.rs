//! AI Music (`/suno/*`, contract §3.10): the `{code,msg,data}` envelope, the create answer, the
//! `query/*` task record and the sync helpers' answers. Shapes are [UPSTREAM] sunoapi.org /
//! kie.ai Suno API where AnyInt is silent, read tolerantly where the two are seen to differ:
//! errors as HTTP 200 with `code != 200` in the body, lyrics as `lyricsData[]` or `data[]`,
//! `successFlag` as a string or an integer, `createTime` as text or milliseconds, and song
//! items in camelCase (polls) or snake_case (callbacks).

use super::{open_enum, WireCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every music answer: `code` 200 is success; anything else is an error whatever the HTTP
/// status said (429 no credits, 430 rate, 455 maintenance, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: WireCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    pub fn is_ok(&self) -> bool {
        self.code == 200
    }
}

/// `data` of a create answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedTask {
    pub task_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

open_enum! {
    /// A music task's status (contract §3.10 and [UPSTREAM] per-type failures).
    Status {
        Pending = "PENDING",
        TextSuccess = "TEXT_SUCCESS",
        FirstSuccess = "FIRST_SUCCESS",
        Success = "SUCCESS",
        CreateTaskFailed = "CREATE_TASK_FAILED",
        GenerateAudioFailed = "GENERATE_AUDIO_FAILED",
        CallbackException = "CALLBACK_EXCEPTION",
        SensitiveWordError = "SENSITIVE_WORD_ERROR",
        GenerateLyricsFailed = "GENERATE_LYRICS_FAILED",
        GenerateWavFailed = "GENERATE_WAV_FAILED",
        GenerateMp4Failed = "GENERATE_MP4_FAILED",
        GenerateCoverFailed = "GENERATE_COVER_FAILED",
    }
}

/// `successFlag`: the status word (`"SUCCESS"`), style's `"1"`, or an integer ([UPSTREAM]
/// 0 running, 1 success, 2 create failed, 3 generation failed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SuccessFlag {
    Number(i64),
    Text(String),
}

impl SuccessFlag {
    /// The flag in the status vocabulary, whichever form it came in.
    pub fn status(&self) -> Status {
        let n = match self {
            SuccessFlag::Number(n) => Some(*n),
            SuccessFlag::Text(s) => s.trim().parse().ok(),
        };
        match (n, self) {
            (Some(0), _) => Status::Pending,
            (Some(1), _) => Status::Success,
            (Some(2), _) => Status::CreateTaskFailed,
            (Some(3), _) => Status::GenerateAudioFailed,
            (Some(n), _) => Status::Other(n.to_string()),
            (None, SuccessFlag::Text(s)) => Status::from(s.trim()),
            (None, SuccessFlag::Number(_)) => Status::Other(String::new()),
        }
    }
}

/// `createTime`: milliseconds since the epoch, or text (`"2025-01-01 00:00:00"`, UTC, or
/// RFC 3339).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    Millis(i64),
    Fractional(f64),
    Text(String),
}

impl Timestamp {
    pub fn unix_millis(&self) -> Option<i64> {
        use time::format_description::well_known::Rfc3339;
        use time::macros::format_description;
        match self {
            Timestamp::Millis(ms) => Some(*ms),
            Timestamp::Fractional(ms) => Some(*ms as i64),
            Timestamp::Text(s) => {
                let s = s.trim();
                if let Ok(ms) = s.parse::<i64>() {
                    return Some(ms);
                }
                if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
                    return Some((t.unix_timestamp_nanos() / 1_000_000) as i64);
                }
                let plain = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
                let s = s.split('.').next().unwrap_or(s);
                time::PrimitiveDateTime::parse(s, &plain)
                    .ok()
                    .map(|t| t.assume_utc().unix_timestamp() * 1000)
            }
        }
    }
}

/// `data` of `GET /suno/query/*`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_music_id: Option<String>,
    /// The original request as a JSON string, upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<TaskResponse>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_flag: Option<SuccessFlag>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub task_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<WireCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TaskRecord {
    /// `status` when present, else what `successFlag` says.
    pub fn effective_status(&self) -> Option<Status> {
        self.status
            .clone()
            .or_else(|| self.success_flag.as_ref().map(SuccessFlag::status))
    }
}

/// `data.response` of a poll: song items, lyrics, or a conversion's URLs, by task type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskResponse {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suno_data: Vec<Song>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lyrics_data: Vec<Lyrics>,
    /// Lyrics as some upstream versions send them (`response.data[]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<Lyrics>,
    /// Cover art URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    /// Snake case even in polls, upstream (`data.response.audio_wav_url`).
    #[serde(
        default,
        rename = "audio_wav_url",
        alias = "audioWavUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_wav_url: Option<String>,
    #[serde(default, alias = "video_url", skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// Stem URLs (`originUrl`, `vocalUrl`, `drumsUrl`, ...) and anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TaskResponse {
    /// The lyrics, whichever key carried them.
    pub fn lyrics(&self) -> &[Lyrics] {
        if self.lyrics_data.is_empty() {
            &self.data
        } else {
            &self.lyrics_data
        }
    }

    /// Every `…Url` string in the response that is not a song's (the stems of vocal removal).
    pub fn stems(&self) -> Vec<(&str, &str)> {
        self.extra
            .iter()
            .filter(|(k, _)| k.ends_with("Url") || k.ends_with("_url"))
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str().filter(|s| !s.is_empty())?)))
            .collect()
    }
}

/// One song, camelCase in polls and snake_case in callbacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Song {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, alias = "audio_url", skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    #[serde(
        default,
        alias = "stream_audio_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub stream_audio_url: Option<String>,
    #[serde(default, alias = "image_url", skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, alias = "model_name", skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    #[serde(
        default,
        alias = "create_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lyrics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of `POST /suno/style-generate` (sync).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StyleResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_consumed: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_remaining: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_flag: Option<SuccessFlag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<WireCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn errors_in_a_200_envelope_are_not_ok_and_data_may_be_null() {
        let e: Envelope<CreatedTask> =
            round_trip(r#"{"code":429,"msg":"Insufficient credits","data":null}"#);
        assert!(!e.is_ok() && e.data.is_none() && e.code == 429);
        let e: Envelope<CreatedTask> = round_trip(r#"{"code":"455","msg":"maintenance"}"#);
        assert!(!e.is_ok() && e.code == 455);
        let ok: Envelope<CreatedTask> =
            round_trip(r#"{"code":200,"msg":"success","data":{"taskId":"5c79be8e","x":1}}"#);
        assert!(ok.is_ok());
        let data = ok.data.unwrap();
        assert_eq!(
            (data.task_id.as_str(), data.extra["x"].as_i64()),
            ("5c79be8e", Some(1))
        );
    }

    #[test]
    fn lyrics_read_from_lyrics_data_or_data() {
        let a: TaskResponse = round_trip(r#"{"lyricsData":[{"text":"[Verse] a","title":"A"}]}"#);
        let b: TaskResponse = round_trip(r#"{"data":[{"text":"[Verse] a","title":"A"}]}"#);
        assert_eq!(a.lyrics(), b.lyrics());
        assert_eq!(a.lyrics()[0].text.as_deref(), Some("[Verse] a"));
    }

    #[test]
    fn success_flag_reads_as_text_or_integer() {
        let cases = [
            (r#""SUCCESS""#, Status::Success),
            (r#""1""#, Status::Success),
            ("1", Status::Success),
            ("0", Status::Pending),
            ("2", Status::CreateTaskFailed),
            ("3", Status::GenerateAudioFailed),
            (r#""FIRST_SUCCESS""#, Status::FirstSuccess),
            ("7", Status::Other("7".to_owned())),
        ];
        for (json, want) in cases {
            let flag: SuccessFlag = round_trip(json);
            assert_eq!(flag.status(), want, "{json}");
        }
        let r: TaskRecord = round_trip(r#"{"taskId":"t","successFlag":1}"#);
        assert_eq!(r.effective_status(), Some(Status::Success));
        let r: TaskRecord = round_trip(r#"{"status":"TEXT_SUCCESS","successFlag":1}"#);
        assert_eq!(r.effective_status(), Some(Status::TextSuccess));
    }

    #[test]
    fn create_time_reads_as_millis_or_text() {
        let ms: Timestamp = round_trip("1735689600000");
        let text: Timestamp = round_trip(r#""2025-01-01 00:00:00""#);
        let rfc: Timestamp = round_trip(r#""2025-01-01T00:00:00Z""#);
        let frac: Timestamp = round_trip("1735689600000.0");
        for t in [&ms, &text, &rfc, &frac] {
            assert_eq!(t.unix_millis(), Some(1_735_689_600_000), "{t:?}");
        }
        let bad: Timestamp = round_trip(r#""yesterday""#);
        assert_eq!(bad.unix_millis(), None);
    }

    #[test]
    fn songs_read_camel_case_polls_and_snake_case_callbacks_and_stems_are_found() {
        let poll = r#"{"taskId":"t","status":"SUCCESS","type":"GENERATE","response":{"taskId":"t","sunoData":[
            {"id":"a1","audioUrl":"https://c/a.mp3","streamAudioUrl":"https://c/s","imageUrl":"https://c/i.jpg",
             "modelName":"V5","title":"T","createTime":1735689600000,"duration":91.2,"new":true}]}}"#;
        let r: TaskRecord = round_trip(poll);
        let song = &r.response.as_ref().unwrap().suno_data[0];
        assert_eq!(song.audio_url.as_deref(), Some("https://c/a.mp3"));
        assert_eq!(song.extra["new"], true);
        let cb: Song = round_trip(
            r#"{"id":"a1","audio_url":"https://c/a.mp3","stream_audio_url":"https://c/s","image_url":"https://c/i.jpg","createTime":"2025-01-01 00:00:00"}"#,
        );
        assert_eq!(
            (cb.audio_url, cb.image_url.is_some()),
            (song.audio_url.clone(), true)
        );
        let stems: TaskResponse = round_trip(
            r#"{"originUrl":"https://c/o.wav","vocalUrl":"https://c/v.wav","drumsUrl":"","note":"x"}"#,
        );
        let mut names: Vec<&str> = stems.stems().into_iter().map(|s| s.0).collect();
        names.sort_unstable();
        assert_eq!(names, ["originUrl", "vocalUrl"]);
        let wav: TaskResponse = round_trip(r#"{"audio_wav_url":"https://c/a.wav"}"#);
        let camel: TaskResponse = round_trip(r#"{"audioWavUrl":"https://c/a.wav"}"#);
        assert_eq!(wav.audio_wav_url, camel.audio_wav_url);
        assert!(wav.audio_wav_url.is_some() && wav.stems().is_empty());
        let mp4: TaskResponse = round_trip(r#"{"videoUrl":"https://c/v.mp4"}"#);
        assert_eq!(mp4.video_url.as_deref(), Some("https://c/v.mp4"));
    }
}
