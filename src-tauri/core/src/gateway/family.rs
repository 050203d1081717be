//! The gateway's route families: their path prefix and the auth headers each one documents.

use serde::{Deserialize, Serialize};

/// A route family of the AnyInt gateway (contract §1.2, §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    OpenAi,
    Anthropic,
    Gemini,
    DashScope,
    Kling,
    Suno,
}

/// The `anthropic-version` the AnyInt guides send (contract §1.2).
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

impl Family {
    /// The path prefix the family's routes live under, relative to the base URL.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::OpenAi => "/openai/v1",
            Family::Anthropic => "/anthropic/v1",
            Family::Gemini => "/gemini/v1beta",
            Family::DashScope => "/dashscope/v1",
            Family::Kling => "/transtreams/kling/v1",
            Family::Suno => "/suno",
        }
    }

    /// Everything but `/anthropic` takes `Authorization: Bearer`; `/anthropic` documents
    /// `x-api-key` plus `anthropic-version` (contract decision 2).
    pub fn uses_x_api_key(self) -> bool {
        self == Family::Anthropic
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::OpenAi => "openai",
            Family::Anthropic => "anthropic",
            Family::Gemini => "gemini",
            Family::DashScope => "dashscope",
            Family::Kling => "kling",
            Family::Suno => "suno",
        }
    }
}

impl std::str::FromStr for Family {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "openai" => Ok(Family::OpenAi),
            "anthropic" => Ok(Family::Anthropic),
            "gemini" => Ok(Family::Gemini),
            "dashscope" => Ok(Family::DashScope),
            "kling" => Ok(Family::Kling),
            "suno" => Ok(Family::Suno),
            other => Err(format!(
                "unknown family `{other}` (expected openai, anthropic, gemini, dashscope, kling or suno)"
            )),
        }
    }
}
