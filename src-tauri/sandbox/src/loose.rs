//! The `loose` variant's OpenAI chat chunks: each change is one a real OpenAI-compatible upstream
//! makes and a tolerant reader must take in its stride. The text, tool calls and counts carried
//! stay exactly those of the faithful stream, so a test can compare the two.

use serde_json::{json, Value};

/// The `k`-th chunk of a stream, loosened: `created` is a float (`1714000000.5`); every third
/// chunk has no `id`, and every third (another one) has no `index` in its choices; a
/// `usage: null` is left out instead.
pub(crate) fn chunk(mut c: Value, k: usize) -> Value {
    let Some(map) = c.as_object_mut() else {
        return c;
    };
    if let Some(created) = map.get("created").and_then(Value::as_u64) {
        map.insert("created".into(), json!(created as f64 + 0.5));
    }
    if map.get("usage") == Some(&Value::Null) {
        map.remove("usage");
    }
    match k % 3 {
        1 => {
            map.remove("id");
        }
        2 => {
            if let Some(choices) = map.get_mut("choices").and_then(Value::as_array_mut) {
                for choice in choices.iter_mut().filter_map(Value::as_object_mut) {
                    choice.remove("index");
                }
            }
        }
        _ => {}
    }
    c
}

/// The final usage chunk, loosened: `choices: [{"delta": {}}]` instead of `choices: []`, and a
/// usage object without `total_tokens` and with null detail objects.
pub(crate) fn usage_chunk(mut c: Value, usage: &Value) -> Value {
    c["choices"] = json!([{"delta": {}}]);
    c["usage"] = json!({
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "prompt_tokens_details": null,
        "completion_tokens_details": null,
    });
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_lose_id_or_index_in_turn_and_created_is_a_float() {
        let c = json!({"id": "x", "created": 1_714_000_000, "usage": null,
            "choices": [{"index": 0, "delta": {"content": "a"}}]});
        let shapes: Vec<Value> = (0..3).map(|k| chunk(c.clone(), k)).collect();
        assert!(shapes
            .iter()
            .all(|s| s["created"] == json!(1_714_000_000.5)));
        assert!(shapes.iter().all(|s| s.get("usage").is_none()));
        assert_eq!(shapes[0]["choices"], c["choices"]);
        assert!(shapes[1].get("id").is_none());
        assert!(shapes[2]["choices"][0].get("index").is_none());
        assert_eq!(shapes[2]["choices"][0]["delta"], c["choices"][0]["delta"]);
    }
}
