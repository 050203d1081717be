//! Judging one answer against a case's check. A JSON-schema check parses the answer as JSON
//! first; a model that wraps its JSON in a Markdown fence (```json ... ```) is not penalised
//! for the fence, since every family's models do it and the JSON inside is what code would use.

use super::Check;

/// Whether the answer passed, and a line for people saying why not (or what was checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    pub passed: bool,
    pub detail: String,
}

impl CheckOutcome {
    fn pass(detail: impl Into<String>) -> Self {
        Self {
            passed: true,
            detail: detail.into(),
        }
    }
    fn fail(detail: impl Into<String>) -> Self {
        Self {
            passed: false,
            detail: detail.into(),
        }
    }
}

/// Compiles what a check needs, so a bad pattern or schema is refused when the set is read,
/// not after the first model has been paid for.
pub(super) fn prepare(check: &Check) -> Result<(), String> {
    match check {
        Check::Regex { pattern } => regex::Regex::new(pattern)
            .map(|_| ())
            .map_err(|e| format!("the regex `{pattern}` does not compile: {e}")),
        Check::JsonSchema { schema } => jsonschema::validator_for(schema)
            .map(|_| ())
            .map_err(|e| format!("the JSON schema is not valid: {e}")),
        Check::Contains { value } | Check::Exact { value } if value.is_empty() => {
            Err("a contains or exact check needs a value".into())
        }
        Check::Contains { .. } | Check::Exact { .. } => Ok(()),
    }
}

pub fn check_answer(check: &Check, answer: &str) -> CheckOutcome {
    match check {
        Check::Contains { value } => {
            if answer.contains(value.as_str()) {
                CheckOutcome::pass(format!("contains “{value}”"))
            } else {
                CheckOutcome::fail(format!("does not contain “{value}”"))
            }
        }
        Check::Exact { value } => {
            if answer.trim() == value.trim() {
                CheckOutcome::pass("exact match")
            } else {
                CheckOutcome::fail(format!("is not exactly “{}”", value.trim()))
            }
        }
        Check::Regex { pattern } => match regex::Regex::new(pattern) {
            Ok(re) if re.is_match(answer) => CheckOutcome::pass(format!("matches /{pattern}/")),
            Ok(_) => CheckOutcome::fail(format!("does not match /{pattern}/")),
            Err(e) => CheckOutcome::fail(format!("the regex does not compile: {e}")),
        },
        Check::JsonSchema { schema } => {
            let text = unfenced(answer);
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => return CheckOutcome::fail(format!("is not JSON: {e}")),
            };
            let validator = match jsonschema::validator_for(schema) {
                Ok(v) => v,
                Err(e) => return CheckOutcome::fail(format!("the schema is not valid: {e}")),
            };
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .take(3)
                .map(|e| {
                    let at = e.instance_path().to_string();
                    if at.is_empty() {
                        e.to_string()
                    } else {
                        format!("{at}: {e}")
                    }
                })
                .collect();
            if errors.is_empty() {
                CheckOutcome::pass("valid against the schema")
            } else {
                CheckOutcome::fail(format!(
                    "not valid against the schema: {}",
                    errors.join("; ")
                ))
            }
        }
    }
}

/// The text inside a Markdown code fence when the whole answer is one; the answer otherwise.
fn unfenced(answer: &str) -> &str {
    let t = answer.trim();
    let Some(rest) = t.strip_prefix("```") else {
        return t;
    };
    let Some(body) = rest.strip_suffix("```") else {
        return t;
    };
    // The fence's info string (`json`) runs to the first newline.
    match body.split_once('\n') {
        Some((_, inner)) => inner.trim(),
        None => body.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn contains_and_exact() {
        let c = Check::Contains {
            value: "Paris".into(),
        };
        assert!(check_answer(&c, "It is Paris.").passed);
        assert!(!check_answer(&c, "It is Lyon.").passed);
        let e = Check::Exact {
            value: " Paris ".into(),
        };
        assert!(check_answer(&e, "Paris\n").passed);
        assert!(!check_answer(&e, "Paris.").passed);
    }

    #[test]
    fn regex_matches_anywhere() {
        let r = Check::Regex {
            pattern: r"\b\d{4}\b".into(),
        };
        assert!(check_answer(&r, "in 1889").passed);
        assert!(!check_answer(&r, "long ago").passed);
        assert!(prepare(&Check::Regex {
            pattern: "(".into()
        })
        .unwrap_err()
        .contains("does not compile"));
    }

    #[test]
    fn json_schema_parses_the_answer_and_allows_a_fence() {
        let c = Check::JsonSchema {
            schema: json!({"type": "object", "required": ["city"],
                           "properties": {"city": {"type": "string"}}}),
        };
        assert!(check_answer(&c, r#"{"city": "Paris"}"#).passed);
        assert!(check_answer(&c, "```json\n{\"city\": \"Paris\"}\n```").passed);
        let missing = check_answer(&c, r#"{"town": "Paris"}"#);
        assert!(!missing.passed);
        assert!(missing.detail.contains("city"), "{}", missing.detail);
        assert!(check_answer(&c, "Paris").detail.contains("is not JSON"));
        assert!(prepare(&Check::JsonSchema {
            schema: json!({"type": 12})
        })
        .is_err());
    }
}
