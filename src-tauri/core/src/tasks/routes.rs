//! The catalogue of task routes (contract §2 routes 7, 16-18, 23-58): one [`RouteId`] per create
//! route, and for each its family, create and poll paths, whether it finishes in the answer, the
//! kinds of artifact it makes, the studio that offers it and its fields with their documented
//! limits. The fields are data (serialised for the UI, which builds its forms from them) and
//! [`crate::tasks::limits::validate`] checks a body against them before anything is sent.
//!
//! Field paths are JSON pointers into the request body (`/prompt`, `/input/img_url`), so nested
//! bodies (DashScope, Gemini) are described as flatly as the others.

mod field;
mod media;
mod music;

pub(crate) use field::when;
pub use field::{
    Condition, FieldKind, FieldSpec, FileEmbed, FileRule, LengthRule, Presence, SecondsRule,
};

use super::ArtifactKind;
use crate::gateway::Family;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! route_ids {
    ($($variant:ident = $word:literal),+ $(,)?) => {
        /// One create route. The word (`suno.generate`) is what the store, the CLI and the UI
        /// use; it never changes once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        pub enum RouteId {
            $(#[serde(rename = $word)] $variant,)+
        }

        impl RouteId {
            pub const ALL: &'static [RouteId] = &[$(RouteId::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(RouteId::$variant => $word,)+
                }
            }
        }
    };
}

route_ids! {
    OpenAiVideos = "openai.videos",
    OpenAiImages = "openai.images",
    GeminiImage = "gemini.image",
    DashScopeImage = "dashscope.image",
    DashScopeVideo = "dashscope.video",
    KlingImage = "kling.image",
    KlingOmniImage = "kling.omni_image",
    KlingOmniVideo = "kling.omni_video",
    KlingText2Video = "kling.text2video",
    KlingImage2Video = "kling.image2video",
    SunoGenerate = "suno.generate",
    SunoExtend = "suno.extend",
    SunoLyrics = "suno.lyrics",
    SunoTimestampedLyrics = "suno.timestamped_lyrics",
    SunoStyle = "suno.style",
    SunoCoverArt = "suno.cover_art",
    SunoUploadCover = "suno.upload_cover",
    SunoUploadExtend = "suno.upload_extend",
    SunoAddVocals = "suno.add_vocals",
    SunoAddInstrumental = "suno.add_instrumental",
    SunoPersona = "suno.persona",
    SunoVocalRemoval = "suno.vocal_removal",
    SunoSplitStem = "suno.split_stem",
    SunoReplaceSection = "suno.replace_section",
    SunoWav = "suno.wav",
    SunoMp4 = "suno.mp4",
}

impl RouteId {
    pub fn parse(word: &str) -> Option<RouteId> {
        RouteId::ALL.iter().copied().find(|r| r.as_str() == word)
    }

    /// The route's whole description.
    pub fn spec(self) -> RouteSpec {
        let table = route_table(self);
        RouteSpec {
            id: self,
            family: table.family,
            label: table.label.to_owned(),
            studio: table.studio,
            method: "POST".to_owned(),
            create_path: table.create.to_owned(),
            mode: if table.poll.is_some() {
                Mode::Task
            } else {
                Mode::Sync
            },
            poll_path: table.poll.map(str::to_owned),
            content_path: table.content.map(str::to_owned),
            extra_headers: table
                .headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            artifacts: table.artifacts.to_vec(),
            fields: if self.family() == Family::Suno {
                music::fields(self)
            } else {
                media::fields(self)
            },
            one_of: table
                .one_of
                .iter()
                .map(|g| g.iter().map(|p| (*p).to_owned()).collect())
                .collect(),
        }
    }

    pub fn family(self) -> Family {
        route_table(self).family
    }

    /// Whether the create answer is the result itself (no task id to poll).
    pub fn is_sync(self) -> bool {
        route_table(self).poll.is_none()
    }
}

impl std::fmt::Display for RouteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RouteId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RouteId::parse(s).ok_or_else(|| {
            let words: Vec<&str> = RouteId::ALL.iter().map(|r| r.as_str()).collect();
            format!("unknown task route `{s}`; known: {}", words.join(", "))
        })
    }
}

/// Every route's description, in catalogue order (for the UI and `anyint task routes`).
pub fn catalogue() -> Vec<RouteSpec> {
    RouteId::ALL.iter().map(|r| r.spec()).collect()
}

/// Which studio screen offers a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Studio {
    Image,
    Video,
    Music,
}

/// Whether a create answer is the result (`sync`) or a task id to poll (`task`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Sync,
    Task,
}

/// One route, as the UI builds its form and the client speaks it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RouteSpec {
    pub id: RouteId,
    #[ts(type = "\"openai\" | \"gemini\" | \"dashscope\" | \"kling\" | \"suno\"")]
    pub family: Family,
    pub label: String,
    pub studio: Studio,
    pub method: String,
    /// Relative to the family prefix; `{model}` is filled from the body's `/model` field, which
    /// is then left out of the body (Gemini names the model in the path).
    pub create_path: String,
    pub mode: Mode,
    /// Relative to the family prefix, `{id}` the gateway's task id; a `?name={id}` tail is a
    /// query parameter (Suno).
    pub poll_path: Option<String>,
    /// Where a finished task's bytes are fetched with the key (OpenAI video `/content`).
    pub content_path: Option<String>,
    /// Headers the create request needs beyond auth (`X-DashScope-Async: enable`).
    pub extra_headers: Vec<(String, String)>,
    pub artifacts: Vec<ArtifactKind>,
    pub fields: Vec<FieldSpec>,
    /// Groups of field paths of which at least one must be set (DashScope video: a prompt or a
    /// first-frame image).
    pub one_of: Vec<Vec<String>>,
}

impl RouteSpec {
    pub fn field(&self, path: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.path == path)
    }
}

/// The fixed part of a route: everything but its fields.
struct RouteTable {
    family: Family,
    label: &'static str,
    studio: Studio,
    create: &'static str,
    poll: Option<&'static str>,
    content: Option<&'static str>,
    headers: &'static [(&'static str, &'static str)],
    artifacts: &'static [ArtifactKind],
    one_of: &'static [&'static [&'static str]],
}

#[rustfmt::skip]
fn route_table(route: RouteId) -> RouteTable {
    use ArtifactKind::{Audio, Image, Text, Video};
    use RouteId as R;
    let t = |family, label, studio, create, poll, artifacts| RouteTable {
        family,
        label,
        studio,
        create,
        poll,
        content: None,
        headers: &[],
        artifacts,
        one_of: &[],
    };
    let (img, vid, mus) = (Studio::Image, Studio::Video, Studio::Music);
    let (kling, suno) = (Family::Kling, Family::Suno);
    // Suno polls: contract §3.10 "Query-route mapping".
    let (q_task, q_lyrics, q_stems) = (
        Some("/query/task?taskId={id}"),
        Some("/query/lyrics?taskId={id}"),
        Some("/query/vocal-removal?taskId={id}"),
    );
    match route {
        R::OpenAiVideos => RouteTable {
            content: Some("/videos/{id}/content"),
            ..t(Family::OpenAi, "Video (OpenAI-style)", vid, "/videos", Some("/videos/{id}"), &[Video])
        },
        // Contract §2 row 7 says "sync or task [INFER]"; the documented shape is OpenAI's sync one.
        R::OpenAiImages => t(Family::OpenAi, "Image (OpenAI-style)", img, "/images/generations", None, &[Image]),
        R::GeminiImage => t(Family::Gemini, "Image (Gemini)", img, "/models/{model}:generateContent", None, &[Image, Text]),
        R::DashScopeImage => t(Family::DashScope, "Image (DashScope)", img, "/services/aigc/multimodal-generation/generation", None, &[Image]),
        R::DashScopeVideo => RouteTable {
            // [UPSTREAM] DashScope: video-synthesis only runs as an async task with this header.
            headers: &[("X-DashScope-Async", "enable")],
            one_of: &[&["/input/prompt", "/input/img_url"]],
            ..t(Family::DashScope, "Video (DashScope Wan)", vid, "/services/aigc/video-generation/video-synthesis", Some("/tasks/{id}"), &[Video])
        },
        R::KlingImage => t(kling, "Image (Kling v2.1)", img, "/images/generations", Some("/images/generations/{id}"), &[Image]),
        R::KlingOmniImage => t(kling, "Image (Kling V3 Omni)", img, "/images/omni-image", Some("/images/omni-image/{id}"), &[Image]),
        R::KlingOmniVideo => t(kling, "Video (Kling V3 Omni)", vid, "/videos/omni-video", Some("/videos/omni-video/{id}"), &[Video]),
        R::KlingText2Video => t(kling, "Text to video (Kling V3)", vid, "/videos/text2video", Some("/videos/text2video/{id}"), &[Video]),
        R::KlingImage2Video => t(kling, "Image to video (Kling V3)", vid, "/videos/image2video", Some("/videos/image2video/{id}"), &[Video]),
        R::SunoGenerate => t(suno, "Generate song", mus, "/generate", q_task, &[Audio, Image]),
        R::SunoExtend => t(suno, "Extend song", mus, "/extend", q_task, &[Audio, Image]),
        R::SunoLyrics => t(suno, "Generate lyrics", mus, "/generate-lyrics", q_lyrics, &[Text]),
        R::SunoTimestampedLyrics => t(suno, "Timestamped lyrics", mus, "/timestamped-lyrics", None, &[Text]),
        R::SunoStyle => t(suno, "Boost style", mus, "/style-generate", None, &[Text]),
        R::SunoCoverArt => t(suno, "Cover art", mus, "/generate-cover", Some("/query/cover?taskId={id}"), &[Image]),
        R::SunoUploadCover => t(suno, "Upload and cover", mus, "/upload-cover", q_task, &[Audio, Image]),
        R::SunoUploadExtend => t(suno, "Upload and extend", mus, "/upload-extend", q_task, &[Audio, Image]),
        R::SunoAddVocals => t(suno, "Add vocals", mus, "/add-vocals", q_task, &[Audio, Image]),
        R::SunoAddInstrumental => t(suno, "Add instrumental", mus, "/add-instrumental", q_task, &[Audio, Image]),
        R::SunoPersona => t(suno, "Create persona", mus, "/generate-persona", None, &[Text]),
        R::SunoVocalRemoval => t(suno, "Vocal removal", mus, "/vocal-removal", q_stems, &[Audio]),
        R::SunoSplitStem => t(suno, "Split stems", mus, "/split-stem", q_stems, &[Audio]),
        R::SunoReplaceSection => t(suno, "Replace section", mus, "/replace-section", q_task, &[Audio, Image]),
        R::SunoWav => t(suno, "Export WAV", mus, "/wav-generate", Some("/query/wav?taskId={id}"), &[Audio]),
        R::SunoMp4 => t(suno, "Music video (MP4)", mus, "/mp4-generate", Some("/query/mp4?taskId={id}"), &[Video]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_word_parses_back_and_serialises_as_itself() {
        for &r in RouteId::ALL {
            assert_eq!(RouteId::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            assert_eq!(r.as_str().parse::<RouteId>(), Ok(r));
        }
        assert_eq!(RouteId::ALL.len(), 26);
        assert!("suno.nope"
            .parse::<RouteId>()
            .unwrap_err()
            .contains("suno.generate"));
    }

    #[test]
    fn every_route_names_its_paths_fields_and_artifacts() {
        for spec in catalogue() {
            let id = spec.id;
            assert!(spec.create_path.starts_with('/'), "{id}");
            assert!(!spec.artifacts.is_empty(), "{id}");
            assert!(
                spec.fields.iter().any(|f| f.presence == Presence::Required),
                "{id}"
            );
            assert_eq!(spec.mode == Mode::Task, spec.poll_path.is_some(), "{id}");
            if let Some(poll) = &spec.poll_path {
                assert!(poll.contains("{id}"), "{id}");
            }
            let mut paths: Vec<&str> = spec.fields.iter().map(|f| f.path.as_str()).collect();
            paths.sort_unstable();
            let n = paths.len();
            paths.dedup();
            assert_eq!(paths.len(), n, "{id}: a field is listed twice");
            for group in &spec.one_of {
                for p in group {
                    assert!(spec.field(p).is_some(), "{id}: one_of names unknown {p}");
                }
            }
        }
    }

    #[test]
    fn the_contract_sync_routes_are_sync_and_suno_async_routes_require_a_callback() {
        let sync: Vec<RouteId> = RouteId::ALL
            .iter()
            .copied()
            .filter(|r| r.is_sync())
            .collect();
        assert_eq!(
            sync,
            [
                RouteId::OpenAiImages,
                RouteId::GeminiImage,
                RouteId::DashScopeImage,
                RouteId::SunoTimestampedLyrics,
                RouteId::SunoStyle,
                RouteId::SunoPersona
            ]
        );
        for &r in RouteId::ALL
            .iter()
            .filter(|r| r.family() == Family::Suno && !r.is_sync())
        {
            let spec = r.spec();
            let cb = spec.field("/callBackUrl").unwrap_or_else(|| panic!("{r}"));
            assert_eq!(cb.presence, Presence::Required, "{r}");
            assert!(cb.from_settings);
        }
        let dash = RouteId::DashScopeVideo.spec();
        assert_eq!(
            dash.extra_headers,
            [("X-DashScope-Async".to_owned(), "enable".to_owned())]
        );
    }

    #[test]
    fn the_spec_serialises_camel_case_for_the_ui() {
        let v = serde_json::to_value(RouteId::SunoGenerate.spec()).unwrap();
        assert_eq!(v["id"], "suno.generate");
        assert_eq!(v["family"], "suno");
        assert_eq!(v["pollPath"], "/query/task?taskId={id}");
        let prompt = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == "/prompt")
            .unwrap();
        assert!(
            prompt["maxLen"].as_array().is_some_and(|r| r.len() >= 2),
            "{prompt}"
        );
        assert_eq!(v["fields"][0]["presence"]["kind"], "required");
    }
}
