//! Wire formats, one module per route family: serde types faithful to the upstream shapes the
//! AnyInt contract follows (§3.2–3.7, tagged [UPSTREAM] there). Rules for every type here:
//! unknown fields are ignored, unknown enum values are kept (never a decode failure),
//! optional fields are omitted when absent, and decode -> encode -> decode is the identity.
//! Values whose shape varies by model or provider (logprobs, tool schemas, grounding) stay
//! `serde_json::Value`. This module knows shapes only: no HTTP (see `gateway`), no SSE framing
//! (see `sse`), no normalisation across families (see `chat`).

pub mod anthropic;
pub mod gemini;
pub mod openai_chat;
pub mod openai_responses;

/// Declares a string enum that keeps values it does not know in `Other(String)`, so a
/// provider adding a finish reason or a harm category never breaks a decode, and the raw
/// value still reaches the user. Serialises back to the exact string it came from.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::from(s.as_ref()))
            }
        }
    };
}
pub(crate) use open_enum;

#[cfg(test)]
pub(crate) mod test_support {
    use serde::{de::DeserializeOwned, Serialize};

    /// Decodes `json`, encodes it, decodes again and checks both values are equal.
    pub fn round_trip<T>(json: &str) -> T
    where
        T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
    {
        let first: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
        let encoded = serde_json::to_string(&first).unwrap();
        let second: T = serde_json::from_str(&encoded).unwrap();
        assert_eq!(first, second, "round trip changed {encoded}");
        first
    }
}
