//! The sandbox's model catalogue: the IDs the contract names (§7.5) plus realistic neighbours of
//! each family, with display names and publication dates, in the order the Models API lists them.

use serde::Serialize;

/// What kind of model an ID is; drives which routes accept it and which keys list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelFamily {
    /// Text chat (OpenAI chat/responses, Anthropic messages, Gemini generateContent).
    Chat,
    /// Image generation.
    Image,
    /// Video generation.
    Video,
    /// Text embeddings.
    Embedding,
    /// AI music (Suno model versions).
    Music,
    /// Speech synthesis.
    Speech,
    /// Moderation.
    Moderation,
}

/// One model of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueModel {
    /// The model ID clients send.
    pub id: String,
    /// Human label, e.g. "Claude Sonnet 4.6".
    pub display_name: String,
    /// Publication time, RFC 3339.
    pub created_at: String,
    /// Kind of model.
    pub family: ModelFamily,
    /// Upstream provider, e.g. "anthropic".
    pub owned_by: String,
}

#[rustfmt::skip]
const ENTRIES: &[(&str, &str, &str, ModelFamily, &str)] = {
    use ModelFamily::*;
    &[
        ("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z", Chat, "anthropic"),
        ("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z", Chat, "anthropic"),
        ("claude-haiku-4-5", "Claude Haiku 4.5", "2025-10-15T00:00:00Z", Chat, "anthropic"),
        ("gpt-5", "GPT-5", "2025-08-07T00:00:00Z", Chat, "openai"),
        ("gpt-5-mini", "GPT-5 mini", "2025-08-07T00:00:00Z", Chat, "openai"),
        ("gpt-5.5", "GPT-5.5", "2026-04-23T00:00:00Z", Chat, "openai"),
        ("gemini-2.0-flash", "Gemini 2.0 Flash", "2025-02-05T00:00:00Z", Chat, "google"),
        ("gemini-2.5-pro", "Gemini 2.5 Pro", "2025-06-17T00:00:00Z", Chat, "google"),
        ("gemini-3-flash-preview", "Gemini 3 Flash Preview", "2025-12-17T00:00:00Z", Chat, "google"),
        ("deepseek-v3.2-exp", "DeepSeek V3.2 Exp", "2025-09-29T00:00:00Z", Chat, "deepseek"),
        ("qwen3-max", "Qwen3 Max", "2025-09-05T00:00:00Z", Chat, "alibaba"),
        ("nano-banana-2", "Nano Banana 2", "2026-02-26T00:00:00Z", Image, "google"),
        ("gemini-3.1-flash-image-preview", "Gemini 3.1 Flash Image Preview", "2026-02-26T00:00:00Z", Image, "google"),
        ("qwen-image-plus", "Qwen Image Plus", "2025-08-04T00:00:00Z", Image, "alibaba"),
        ("kling-v2-1", "Kling: Image v2.1", "2025-06-10T00:00:00Z", Image, "kling"),
        ("kling-v3", "Kling: Video v3.0", "2026-02-04T00:00:00Z", Video, "kling"),
        ("kling-3.0", "Kling 3.0 (Std/Pro)", "2026-02-04T00:00:00Z", Video, "kling"),
        ("kling-v3-omni", "Kling: Video v3.0 Omni", "2026-02-04T00:00:00Z", Video, "kling"),
        ("wan2.5-t2v-preview", "Wan 2.5 Text-to-Video", "2025-09-24T00:00:00Z", Video, "alibaba"),
        ("wan2.5-i2v-preview", "Wan 2.5 Image-to-Video", "2025-09-24T00:00:00Z", Video, "alibaba"),
        ("wan2.2-t2v-plus", "Wan 2.2 Text-to-Video Plus", "2025-07-28T00:00:00Z", Video, "alibaba"),
        ("text-embedding-v4", "Text Embedding v4", "2025-05-21T00:00:00Z", Embedding, "alibaba"),
        ("tts-1", "TTS 1", "2023-11-06T00:00:00Z", Speech, "openai"),
        ("omni-moderation-latest", "Omni Moderation", "2024-09-26T00:00:00Z", Moderation, "openai"),
        ("V4", "Suno V4", "2024-11-19T00:00:00Z", Music, "suno"),
        ("V4_5", "Suno V4.5", "2025-05-01T00:00:00Z", Music, "suno"),
        ("V4_5PLUS", "Suno V4.5+", "2025-07-17T00:00:00Z", Music, "suno"),
        ("V4_5ALL", "Suno V4.5 All", "2025-09-10T00:00:00Z", Music, "suno"),
        ("V5", "Suno V5", "2025-09-23T00:00:00Z", Music, "suno"),
    ]
};

/// The whole catalogue, in listing order (stable, so pagination cursors are stable).
pub fn catalogue() -> Vec<CatalogueModel> {
    ENTRIES
        .iter()
        .map(|(id, name, created, family, owner)| CatalogueModel {
            id: (*id).to_owned(),
            display_name: (*name).to_owned(),
            created_at: (*created).to_owned(),
            family: *family,
            owned_by: (*owner).to_owned(),
        })
        .collect()
}

/// The family of a catalogue model ID, if it is one.
pub(crate) fn family_of(id: &str) -> Option<ModelFamily> {
    ENTRIES.iter().find(|e| e.0 == id).map(|e| e.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_dates_are_rfc3339() {
        let all = catalogue();
        let mut ids: Vec<_> = all.iter().map(|m| m.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        for m in &all {
            let parsed = time::OffsetDateTime::parse(
                &m.created_at,
                &time::format_description::well_known::Rfc3339,
            );
            assert!(parsed.is_ok(), "{} has a bad date", m.id);
        }
    }

    #[test]
    fn contract_ids_are_present() {
        for id in [
            "claude-sonnet-4-6",
            "claude-opus-4-6",
            "nano-banana-2",
            "qwen-image-plus",
            "gemini-3.1-flash-image-preview",
            "text-embedding-v4",
            "gemini-2.0-flash",
            "gemini-3-flash-preview",
            "kling-v2-1",
            "kling-v3",
            "kling-3.0",
            "kling-v3-omni",
            "V4",
            "V4_5",
            "V4_5PLUS",
            "V4_5ALL",
            "V5",
        ] {
            assert!(family_of(id).is_some(), "{id} missing");
        }
    }
}
