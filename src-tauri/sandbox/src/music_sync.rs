//! The synchronous AI Music helpers (contract §2 rows 40, 41, 47): timestamped lyrics, style
//! expansion and personas. Shapes are [UPSTREAM] sunoapi.org, where AnyInt is silent. The
//! required fields and the source song are checked by `music_rules.rs` before this runs.

use axum::Json;
use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::music::{bad, ok};
use crate::music_query::create_time;
use crate::request::Call;
use crate::text::{estimate_tokens, make_id, reply_tokens};

/// Answers one of `music::SYNC_ROUTES` for an authenticated call.
pub(crate) fn sync_route(mut call: Call, route: &str) -> Result<Json<Value>, ApiError> {
    let field = |name: &str| {
        call.body
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| bad(format!("{name} is required")))
    };
    Ok(match route {
        "timestamped-lyrics" => {
            field("taskId")?;
            field("audioId")?;
            let words = reply_tokens(call.seed, &call.prompt, 12);
            let aligned: Vec<Value> = words
                .iter()
                .enumerate()
                .map(|(i, w)| json!({"word": w.trim(), "success": true, "startS": i as f64 * 0.5, "endS": i as f64 * 0.5 + 0.45, "palign": 0}))
                .collect();
            ok(
                json!({"alignedWords": aligned, "waveformData": [0.1, 0.4, 0.8, 0.4, 0.1], "hootCer": 0.02, "isStreamed": false}),
            )
        }
        "style-generate" => {
            let content = field("content")?;
            let result = format!(
                "{content}, {}",
                reply_tokens(call.seed, &content, 6).concat()
            );
            ok(
                json!({"taskId": make_id("", &mut call.rng).to_lowercase(), "param": content, "result": result, "creditsConsumed": 0.4,
                "creditsRemaining": 100.0 - f64::from(estimate_tokens(&result)) / 100.0,
                // [UPSTREAM] style's flag is the string "1"; `success-flag-int` sends 1.
                "successFlag": if call.wire.success_flag_int { json!(1) } else { json!("1") },
                "errorCode": null, "errorMessage": null,
                "createTime": create_time(crate::text::unix_now(), call.wire)}),
            )
        }
        _ => {
            field("taskId")?;
            field("audioId")?;
            field("name")?;
            ok(
                json!({"personaId": make_id("persona_", &mut call.rng), "name": field("name")?, "description": call.body.get("description")}),
            )
        }
    })
}
