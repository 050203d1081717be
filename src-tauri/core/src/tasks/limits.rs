//! Checks a create body against its route's fields before anything is sent, so a paid request
//! never leaves with a missing `callBackUrl` or a style 20 characters too long. Only what the
//! catalogue documents is checked; fields it does not list pass through untouched (the
//! gateway may take more than the docs show).

use super::routes::{Condition, FieldKind, FieldSpec, Presence, RouteId};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// One thing wrong with a body, on one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldProblem {
    /// The field's JSON pointer (`/style`), or `""` for the body as a whole.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem of `body` for `route`, or `Ok` when it may be sent.
pub fn validate(route: RouteId, body: &Value) -> Result<(), Vec<FieldProblem>> {
    let spec = route.spec();
    let mut problems = Vec::new();
    if !body.is_object() {
        problems.push(problem("", "the body must be a JSON object"));
        return Err(problems);
    }
    for field in &spec.fields {
        check_field(field, body, &mut problems);
    }
    for group in &spec.one_of {
        if group.iter().all(|p| missing(body.pointer(p))) {
            let labels: Vec<&str> = group
                .iter()
                .map(|p| spec.field(p).map_or(p.as_str(), |f| f.label.as_str()))
                .collect();
            let msg = format!("set at least one of: {}", labels.join(", "));
            problems.push(problem(group.first().map_or("", String::as_str), &msg));
        }
    }
    if route == RouteId::SunoReplaceSection {
        section_window(body, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn problem(path: &str, message: &str) -> FieldProblem {
    FieldProblem {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

/// Absent, null, or an empty (blank) string.
fn missing(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

fn holds(c: &Condition, body: &Value) -> bool {
    let value = body.pointer(&c.path).unwrap_or(&Value::Null);
    c.any_of.iter().any(|v| v == value)
}

fn all_hold(conditions: &[Condition], body: &Value) -> bool {
    conditions.iter().all(|c| holds(c, body))
}

fn check_field(field: &FieldSpec, body: &Value, problems: &mut Vec<FieldProblem>) {
    let value = body.pointer(&field.path);
    let required = match &field.presence {
        Presence::Required => true,
        Presence::Optional => false,
        Presence::RequiredWhen { any } => any.iter().any(|all| all_hold(all, body)),
    };
    if missing(value) {
        if required {
            problems.push(problem(
                &field.path,
                &format!("{} is required", field.label),
            ));
        }
        return;
    }
    let Some(value) = value else { return };
    if value.get(super::inputs::FILE_KEY).is_some() {
        for message in super::inputs::file_problems(field, value, body) {
            problems.push(problem(&field.path, &message));
        }
        return;
    }
    let mut bad = |message: String| problems.push(problem(&field.path, &message));
    match field.kind {
        FieldKind::Text | FieldKind::LongText | FieldKind::Url | FieldKind::Choice => {
            let Some(text) = value.as_str() else {
                return bad(format!("{} must be text", field.label));
            };
            if field.kind == FieldKind::Url && !is_web_url(text) {
                return bad(format!("{} must be an http(s) URL", field.label));
            }
            if field.kind == FieldKind::Choice
                && !field.open_options
                && !field.options.iter().any(|o| o == text)
            {
                return bad(format!(
                    "{} must be one of {} (got `{text}`)",
                    field.label,
                    field.options.join(", ")
                ));
            }
            let rule = field.max_len.iter().find(|r| all_hold(&r.when, body));
            let count = text.chars().count();
            if let Some(rule) = rule.filter(|r| count > r.max_chars as usize) {
                bad(format!(
                    "{} is {count} characters; at most {} here",
                    field.label, rule.max_chars
                ));
            }
        }
        FieldKind::Integer | FieldKind::Number => {
            // A string of digits is a number too: Kling and OpenAI take `duration: "5"`.
            let n = value
                .as_f64()
                .or_else(|| value.as_str().and_then(|s| s.trim().parse::<f64>().ok()));
            let Some(n) = n.filter(|n| n.is_finite()) else {
                return bad(format!("{} must be a number", field.label));
            };
            if field.kind == FieldKind::Integer && n.fract() != 0.0 {
                return bad(format!("{} must be a whole number", field.label));
            }
            let below = field.min.is_some_and(|m| n < m);
            let above = field.max.is_some_and(|m| n > m);
            if below || above {
                bad(format!(
                    "{} must be between {} and {} (got {n})",
                    field.label,
                    field.min.unwrap_or(f64::MIN),
                    field.max.unwrap_or(f64::MAX)
                ));
            }
        }
        FieldKind::Boolean => {
            if !value.is_boolean() {
                bad(format!("{} must be true or false", field.label));
            }
        }
        FieldKind::StringList => {
            let Some(items) = value.as_array().filter(|a| a.iter().all(Value::is_string)) else {
                return bad(format!("{} must be a list of text", field.label));
            };
            for word in &field.must_include {
                if !items.iter().any(|i| i.as_str() == Some(word)) {
                    bad(format!("{} must include {word}", field.label));
                }
            }
        }
        FieldKind::Json => {}
    }
}

fn is_web_url(text: &str) -> bool {
    url::Url::parse(text.trim())
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// [UPSTREAM] Suno replace-section: the replaced window is 6 to 60 seconds long.
fn section_window(body: &Value, problems: &mut Vec<FieldProblem>) {
    let at = |p: &str| body.pointer(p).and_then(Value::as_f64);
    if let (Some(start), Some(end)) = (at("/infillStartS"), at("/infillEndS")) {
        let len = end - start;
        if !(6.0..=60.0).contains(&len) {
            problems.push(problem(
                "/infillEndS",
                &format!("the section must be 6 to 60 seconds long (it is {len} s)"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(r: Result<(), Vec<FieldProblem>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.path)
            .collect()
    }

    const CB: &str = "https://example.com/cb";

    #[test]
    fn suno_simple_and_custom_mode_have_their_own_requirements_and_limits() {
        let simple = json!({"customMode": false, "instrumental": false, "model": "V5",
            "prompt": "A bright summer pop song", "callBackUrl": CB});
        assert_eq!(validate(RouteId::SunoGenerate, &simple), Ok(()));

        let mut no_cb = simple.clone();
        no_cb.as_object_mut().unwrap().remove("callBackUrl");
        assert_eq!(
            paths(validate(RouteId::SunoGenerate, &no_cb)),
            ["/callBackUrl"]
        );

        let mut long = simple.clone();
        long["prompt"] = json!("x".repeat(501));
        let err = validate(RouteId::SunoGenerate, &long).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].message.contains("at most 500"), "{}", err[0]);

        // Custom mode: style and title required; 501 characters of lyrics are fine there.
        let mut custom = long.clone();
        custom["customMode"] = json!(true);
        assert_eq!(
            paths(validate(RouteId::SunoGenerate, &custom)),
            ["/style", "/title"]
        );
        custom["style"] = json!("s".repeat(201));
        custom["title"] = json!("Summer Breeze");
        assert_eq!(validate(RouteId::SunoGenerate, &custom), Ok(()));
        // V4: the style limit is 200 and the lyrics limit 3000.
        custom["model"] = json!("V4");
        custom["prompt"] = json!("y".repeat(3001));
        assert_eq!(
            paths(validate(RouteId::SunoGenerate, &custom)),
            ["/prompt", "/style"]
        );
        // Custom mode with vocals needs lyrics; an instrumental does not.
        custom["model"] = json!("V5");
        custom["style"] = json!("pop");
        custom["prompt"] = json!("");
        assert_eq!(paths(validate(RouteId::SunoGenerate, &custom)), ["/prompt"]);
        custom["instrumental"] = json!(true);
        assert_eq!(validate(RouteId::SunoGenerate, &custom), Ok(()));
    }

    #[test]
    fn types_choices_and_ranges_are_checked() {
        let body = json!({"customMode": "yes", "instrumental": false, "model": "V9",
            "prompt": "p", "callBackUrl": "ftp://x", "styleWeight": 1.5});
        assert_eq!(
            paths(validate(RouteId::SunoGenerate, &body)),
            ["/customMode", "/model", "/styleWeight", "/callBackUrl"]
        );
        assert!(validate(RouteId::SunoGenerate, &json!([1])).is_err());
        let kling = json!({"model_name": "kling-v3", "prompt": "night street", "duration": "5", "mode": "pro"});
        assert_eq!(validate(RouteId::KlingText2Video, &kling), Ok(()));
        let bad = json!({"model_name": "kling-v2-1", "prompt": "p", "duration": "99"});
        assert_eq!(
            paths(validate(RouteId::KlingText2Video, &bad)),
            ["/model_name", "/duration"]
        );
        // An open choice (a model id the gateway may add) is sent as typed.
        let video = json!({"model": "kling-9.9", "prompt": "paper airplane"});
        assert_eq!(validate(RouteId::OpenAiVideos, &video), Ok(()));
    }

    #[test]
    fn nested_fields_one_of_groups_and_lists_are_checked() {
        let dash = json!({"model": "wan2.2-t2v-plus", "input": {}});
        assert_eq!(
            paths(validate(RouteId::DashScopeVideo, &dash)),
            ["/input/prompt"]
        );
        let dash =
            json!({"model": "wan2.2-t2v-plus", "input": {"img_url": "https://x.example/a.png"}});
        assert_eq!(validate(RouteId::DashScopeVideo, &dash), Ok(()));
        let long = json!({"model": "wan2.2-t2v-plus", "input": {"prompt": "w".repeat(900)}});
        assert_eq!(
            paths(validate(RouteId::DashScopeVideo, &long)),
            ["/input/prompt"]
        );
        let long = json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "w".repeat(900)}});
        assert_eq!(validate(RouteId::DashScopeVideo, &long), Ok(()));

        let gemini = json!({"model": "gemini-3.1-flash-image-preview",
            "contents": [{"role": "user", "parts": [{"text": "a fox"}]}],
            "generationConfig": {"responseModalities": ["IMAGE"]}});
        let err = validate(RouteId::GeminiImage, &gemini).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].message.contains("TEXT"), "{}", err[0]);
    }

    #[test]
    fn replace_section_window_is_6_to_60_seconds() {
        let mut body = json!({"taskId": "t", "audioId": "a", "prompt": "p", "tags": "pop",
            "title": "T", "infillStartS": 10.0, "infillEndS": 12.0, "callBackUrl": CB});
        assert_eq!(
            paths(validate(RouteId::SunoReplaceSection, &body)),
            ["/infillEndS"]
        );
        body["infillEndS"] = json!(40.0);
        assert_eq!(validate(RouteId::SunoReplaceSection, &body), Ok(()));
    }
}
