//! The prompt of a request body, for the history's search and titles: the last user
//! message's text, in each family's shape.

use crate::chat::ChatFamily;
use serde_json::Value;

pub fn prompt_of(family: ChatFamily, body: &Value) -> String {
    match family {
        ChatFamily::OpenAiChat | ChatFamily::Anthropic => {
            last_user(body.get("messages"), "content")
        }
        ChatFamily::OpenAiResponses => match body.get("input") {
            Some(Value::String(s)) => s.clone(),
            other => last_user(other, "content"),
        },
        ChatFamily::Gemini => last_user(body.get("contents"), "parts"),
    }
}

/// The text of the last item whose role is `user` (Gemini contents may omit the role).
fn last_user(list: Option<&Value>, field: &str) -> String {
    list.and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .rev()
                .find(|m| matches!(m.get("role").and_then(Value::as_str), Some("user") | None))
        })
        .map(|m| text_of(m.get(field)))
        .unwrap_or_default()
}

/// A string, or the `text` of each part/block (OpenAI parts, Anthropic blocks, Gemini parts,
/// Responses `input_text`), joined by newlines.
fn text_of(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_family_gives_its_last_user_text() {
        let chat = json!({"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "first"}, {"role": "assistant", "content": "x"}, {"role": "user", "content": [{"type": "text", "text": "second"}]}]});
        assert_eq!(prompt_of(ChatFamily::OpenAiChat, &chat), "second");
        assert_eq!(
            prompt_of(ChatFamily::OpenAiResponses, &json!({"input": "hi"})),
            "hi"
        );
        let items = json!({"input": [{"role": "user", "content": [{"type": "input_text", "text": "typed"}]}]});
        assert_eq!(prompt_of(ChatFamily::OpenAiResponses, &items), "typed");
        let anthropic = json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "image"}]}]});
        assert_eq!(prompt_of(ChatFamily::Anthropic, &anthropic), "a");
        let gemini = json!({"contents": [{"parts": [{"text": "g1"}, {"text": "g2"}]}]});
        assert_eq!(prompt_of(ChatFamily::Gemini, &gemini), "g1\ng2");
        assert_eq!(prompt_of(ChatFamily::Gemini, &json!({})), "");
    }
}
