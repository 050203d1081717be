//! Reading an evaluation set from JSON or TOML, whole or not at all, with every check compiled
//! up front so a typo in a regex is reported before any request is paid for.

use super::{check, EvalSet, EvalSetFormat, MAX_CASES};

pub fn parse_evalset(text: &str, format: EvalSetFormat) -> Result<EvalSet, String> {
    let set: EvalSet = match format {
        EvalSetFormat::Json => {
            serde_json::from_str(text).map_err(|e| format!("not an evaluation set (JSON): {e}"))?
        }
        EvalSetFormat::Toml => {
            toml::from_str(text).map_err(|e| format!("not an evaluation set (TOML): {e}"))?
        }
    };
    validate(&set)?;
    Ok(set)
}

/// What a run relies on: a name, 1 to 500 cases, each with a prompt and a check that compiles.
pub(super) fn validate(set: &EvalSet) -> Result<(), String> {
    if set.name.trim().is_empty() {
        return Err("the evaluation set needs a name".into());
    }
    if set.cases.is_empty() || set.cases.len() > MAX_CASES {
        return Err(format!(
            "an evaluation set has 1 to {MAX_CASES} cases, not {}",
            set.cases.len()
        ));
    }
    for (i, case) in set.cases.iter().enumerate() {
        let name = case.id.clone().unwrap_or_else(|| format!("case {}", i + 1));
        if case.prompt.trim().is_empty() {
            return Err(format!("{name}: the prompt is empty"));
        }
        if let Some(c) = &case.check {
            check::prepare(c).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::Check;

    #[test]
    fn json_and_toml_read_the_same_set() {
        let json = r#"{"name": "capitals", "cases": [
            {"id": "fr", "prompt": "Capital of France?", "check": {"kind": "contains", "value": "Paris"}},
            {"prompt": "Say hi"}
        ]}"#;
        let toml = r#"
            name = "capitals"
            [[cases]]
            id = "fr"
            prompt = "Capital of France?"
            check = { kind = "contains", value = "Paris" }
            [[cases]]
            prompt = "Say hi"
        "#;
        let a = parse_evalset(json, EvalSetFormat::Json).unwrap();
        let b = parse_evalset(toml, EvalSetFormat::Toml).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a.cases[0].check,
            Some(Check::Contains {
                value: "Paris".into()
            })
        );
        assert_eq!(a.cases[1].check, None);
    }

    #[test]
    fn a_json_schema_check_reads_from_toml() {
        let toml = r#"
            name = "extract"
            [[cases]]
            prompt = "Give the city as JSON"
            [cases.check]
            kind = "jsonSchema"
            schema = { type = "object", required = ["city"] }
        "#;
        let set = parse_evalset(toml, EvalSetFormat::Toml).unwrap();
        assert!(matches!(set.cases[0].check, Some(Check::JsonSchema { .. })));
    }

    #[test]
    fn bad_sets_say_what_is_wrong() {
        let bad_regex = r#"{"name": "x", "cases": [{"id": "r", "prompt": "p", "check": {"kind": "regex", "pattern": "(["}}]}"#;
        let e = parse_evalset(bad_regex, EvalSetFormat::Json).unwrap_err();
        assert!(e.starts_with("r: the regex"), "{e}");
        let empty = r#"{"name": "x", "cases": []}"#;
        assert!(parse_evalset(empty, EvalSetFormat::Json)
            .unwrap_err()
            .contains("1 to 500"));
        let unknown = r#"{"name": "x", "cases": [{"prompt": "p", "check": {"kind": "vibes"}}]}"#;
        assert!(parse_evalset(unknown, EvalSetFormat::Json)
            .unwrap_err()
            .contains("JSON"));
        assert!(parse_evalset("name = ", EvalSetFormat::Toml)
            .unwrap_err()
            .contains("TOML"));
    }
}
