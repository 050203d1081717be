use super::*;

fn request(targets: usize) -> CompareRequest {
    CompareRequest {
        compare_id: "c1".into(),
        title: None,
        prompt: "Name the capital of France.\nOne word.".into(),
        system: None,
        max_tokens: Some(64),
        targets: (0..targets)
            .map(|i| CompareTarget {
                family: ChatFamily::OpenAiChat,
                model: format!("m{i}"),
                rehearse_fault: None,
            })
            .collect(),
        workload: None,
    }
}

#[test]
fn a_request_has_one_to_eight_columns() {
    assert!(request(1).validate().is_ok());
    assert!(request(8).validate().is_ok());
    assert!(request(0).validate().unwrap_err().contains("1 to 8"));
    assert!(request(9).validate().unwrap_err().contains("not 9"));
}

#[test]
fn a_request_needs_a_prompt_and_model_ids() {
    let mut r = request(2);
    r.prompt = "  ".into();
    assert!(r.validate().unwrap_err().contains("prompt"));
    let mut r = request(2);
    r.targets[1].model = "gpt 4".into();
    assert!(r.validate().unwrap_err().contains("`gpt 4`"));
}

#[test]
fn the_title_defaults_to_the_prompts_first_line() {
    let mut r = request(1);
    assert_eq!(r.title_or_prompt(), "Name the capital of France.…");
    r.title = Some("Capitals".into());
    assert_eq!(r.title_or_prompt(), "Capitals");
}

#[test]
fn the_request_reads_as_the_window_sends_it() {
    let r: CompareRequest = serde_json::from_value(serde_json::json!({
        "compareId": "x", "title": null, "prompt": "hi", "system": null, "maxTokens": null,
        "targets": [{"family": "anthropic", "model": "claude"}], "workload": null
    }))
    .unwrap();
    assert_eq!(r.targets[0].family, ChatFamily::Anthropic);
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["compareId"], "x");
}
