//! Deterministic generated content: a small PRNG (splitmix64), seeded reply text, token
//! estimates, IDs and base64, so the same seed and request always give the same output.

/// splitmix64: tiny, fast and good enough for simulated text; no `rand` dependency needed.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        // Modulo bias is irrelevant for simulated text.
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A float in `[-1, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// FNV-1a: mixes the request content into the seed so different prompts get different replies.
pub(crate) fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const WORDS: &[&str] = &[
    "the",
    "gateway",
    "routes",
    "each",
    "request",
    "to",
    "a",
    "model",
    "and",
    "streams",
    "tokens",
    "back",
    "as",
    "they",
    "arrive",
    "sandbox",
    "simulates",
    "latency",
    "so",
    "clients",
    "can",
    "rehearse",
    "every",
    "failure",
    "before",
    "production",
    "keys",
    "carry",
    "limits",
    "while",
    "tasks",
    "progress",
    "through",
    "their",
    "states",
    "with",
    "stable",
    "output",
    "for",
    "tests",
    "AnyInt",
    "desk",
    "shows",
    "usage",
    "of",
    "this",
    "reply",
    "in",
    "real",
    "time",
    "café",
    "数据",
];

/// The reply to a chat request for `model`: a matching [`crate::AnswerRule`]'s text in
/// word-sized pieces (whitespace kept, so the pieces add up to the text exactly), or `n`
/// generated tokens.
pub(crate) fn answer_tokens(
    rules: &[crate::AnswerRule],
    model: &str,
    seed: u64,
    prompt: &str,
    n: usize,
) -> Vec<String> {
    let rule = rules.iter().find(|r| {
        r.model.as_deref().is_none_or(|m| m == model) && prompt.contains(r.prompt_contains.as_str())
    });
    match rule {
        Some(r) => {
            let mut pieces: Vec<String> = Vec::new();
            for part in r.text.split_inclusive(char::is_whitespace) {
                // Whitespace joins the word before it, so no piece is only a space.
                match pieces.last_mut() {
                    Some(last) if part.trim().is_empty() => last.push_str(part),
                    _ => pieces.push(part.to_owned()),
                }
            }
            pieces
        }
        None => reply_tokens(seed, prompt, n),
    }
}

/// `n` reply tokens for `prompt` under `seed`: words with a leading space (except the first),
/// sentences capitalised and ended, like a tokenizer's pieces.
pub(crate) fn reply_tokens(seed: u64, prompt: &str, n: usize) -> Vec<String> {
    let mut rng = SplitMix64::new(seed ^ hash(prompt));
    let mut out = Vec::with_capacity(n);
    let mut sentence_len = 0;
    for i in 0..n {
        let mut word = WORDS[rng.below(WORDS.len())].to_owned();
        if sentence_len == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                word = first.to_uppercase().chain(chars).collect();
            }
        }
        sentence_len += 1;
        let last = i + 1 == n;
        if last || (sentence_len > 6 && rng.below(5) == 0) {
            word.push('.');
            sentence_len = 0;
        }
        out.push(if i == 0 { word } else { format!(" {word}") });
    }
    out
}

/// Rough token count of a text (about four characters a token, at least one for non-empty text).
pub(crate) fn estimate_tokens(text: &str) -> u32 {
    let chars = text.chars().count();
    u32::try_from(chars.div_ceil(4)).unwrap_or(u32::MAX)
}

/// All string leaves of a JSON value concatenated: the "prompt" of any request shape.
pub(crate) fn all_text(value: &serde_json::Value) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push(' ');
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            serde_json::Value::Object(map) => map.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(value, &mut out);
    out
}

/// A provider-style ID: `prefix` plus 24 seeded alphanumerics.
pub(crate) fn make_id(prefix: &str, rng: &mut SplitMix64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let tail: String = (0..24)
        .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())]))
        .collect();
    format!("{prefix}{tail}")
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Standard base64 with padding (for inline images and audio).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Arguments for a simulated tool call that satisfy a JSON-schema `parameters` object well enough:
/// one value per declared property, typed by the property's `type`.
pub(crate) fn args_for_schema(
    schema: &serde_json::Value,
    rng: &mut SplitMix64,
) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let mut out = Map::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let ty = prop.get("type").and_then(Value::as_str).unwrap_or("string");
            let value = if let Some(first) = prop.get("enum").and_then(|e| e.get(0)) {
                first.clone()
            } else {
                match ty {
                    "integer" => json!(rng.below(100)),
                    "number" => json!((rng.unit() * 50.0 + 50.0).round()),
                    "boolean" => json!(rng.below(2) == 0),
                    "array" => json!([WORDS[rng.below(WORDS.len())]]),
                    "object" => json!({}),
                    _ => json!(format!(
                        "{} {}",
                        WORDS[rng.below(WORDS.len())],
                        WORDS[rng.below(WORDS.len())]
                    )),
                }
            };
            out.insert(name.clone(), value);
        }
    }
    Value::Object(out)
}

/// Splits `s` into pieces of about `size` characters (never inside a UTF-8 character), the way
/// providers stream tool-call arguments.
pub(crate) fn pieces(s: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(size.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_rules_pick_the_text_by_model_and_prompt() {
        let rules = vec![
            crate::AnswerRule {
                model: Some("a".into()),
                prompt_contains: "France".into(),
                text: "Paris,  of course.\n".into(),
            },
            crate::AnswerRule {
                model: None,
                prompt_contains: "France".into(),
                text: "Lyon".into(),
            },
        ];
        let a = answer_tokens(&rules, "a", 1, "capital of France?", 5);
        assert_eq!(a, vec!["Paris,  ", "of ", "course.\n"]);
        assert_eq!(
            answer_tokens(&rules, "b", 1, "capital of France?", 5),
            vec!["Lyon"]
        );
        assert_eq!(
            answer_tokens(&rules, "a", 1, "capital of Spain?", 5),
            reply_tokens(1, "capital of Spain?", 5)
        );
        let parsed = crate::AnswerRule::parse_list(
            r#"[{"model": "a", "promptContains": "x", "text": "y"}]"#,
        )
        .unwrap();
        assert_eq!(parsed[0].model.as_deref(), Some("a"));
        assert!(crate::AnswerRule::parse_list("{}").is_err());
    }

    #[test]
    fn replies_are_deterministic_per_seed_and_prompt() {
        assert_eq!(reply_tokens(7, "hi", 30), reply_tokens(7, "hi", 30));
        assert_ne!(reply_tokens(7, "hi", 30), reply_tokens(8, "hi", 30));
        assert_ne!(reply_tokens(7, "hi", 30), reply_tokens(7, "hello", 30));
        assert_eq!(reply_tokens(1, "x", 5).len(), 5);
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
