//! Wire formats, one module per route family: serde types faithful to the upstream shapes the
//! AnyInt contract follows (§3.2–3.7, tagged [UPSTREAM] there). Rules for every type here:
//! unknown fields are ignored, unknown enum values are kept (never a decode failure),
//! optional fields are omitted when absent, and decode -> encode -> decode is the identity.
//! Values whose shape varies by model or provider (logprobs, tool schemas, grounding) stay
//! `serde_json::Value`. This module knows shapes only: no HTTP (see `gateway`), no SSE framing
//! (see `sse`), no normalisation across families (see `chat`).

pub mod anthropic;
pub mod dashscope;
pub mod gemini;
pub mod kling;
pub mod openai_chat;
pub mod openai_media;
pub mod openai_responses;
pub mod suno;

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

/// An error `code` as it came: Google sends a number, OpenAI a string (or null), and gateways
/// and proxies swap one for the other ([UPSTREAM] Azure OpenAI sends the HTTP status as a
/// string, `"429"`). Anything else (a float, an object) is kept as JSON, so an error body never
/// fails to decode because of its code, and it serialises back exactly as it came.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum WireCode {
    Number(i64),
    Text(String),
    Other(serde_json::Value),
}

impl WireCode {
    /// The code as a number: a number, or a string of digits (`"429"`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Text(s) => s.trim().parse().ok(),
            Self::Other(_) => None,
        }
    }
}

impl std::fmt::Display for WireCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Text(s) => f.write_str(s),
            Self::Other(v) => write!(f, "{v}"),
        }
    }
}

// `code == 500` and `code == "invalid_api_key"` read naturally and match either spelling of
// a numeric code, so a caller never cares whether a gateway sent `500` or `"500"`.
impl PartialEq<i64> for WireCode {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<i32> for WireCode {
    fn eq(&self, other: &i32) -> bool {
        self.as_i64() == Some(i64::from(*other))
    }
}

impl PartialEq<&str> for WireCode {
    fn eq(&self, other: &&str) -> bool {
        match self {
            Self::Text(s) => s == other,
            Self::Number(n) => other.trim().parse() == Ok(*n),
            Self::Other(_) => false,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::WireCode;
    use crate::wire::test_support::round_trip;

    #[test]
    fn error_codes_read_as_numbers_or_strings_and_write_back_as_they_came() {
        let n: WireCode = round_trip("429");
        let s: WireCode = round_trip(r#""429""#);
        let word: WireCode = round_trip(r#""invalid_api_key""#);
        let odd: WireCode = round_trip("4.5");
        assert!(n == 429 && s == 429 && n == "429" && s == "429");
        assert!(word == "invalid_api_key" && word.as_i64().is_none());
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""429""#);
        assert_eq!(serde_json::to_string(&n).unwrap(), "429");
        assert_eq!((odd.to_string(), odd.as_i64()), ("4.5".to_owned(), None));
    }
}
