//! Responses API, embeddings and moderations over loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anyint_sandbox::{DEMO_KEY, PLAN_KEY};
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn responses_json_is_stored_and_retrievable() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/responses", sb.base_url());
    let (s, _, r) = post_bearer(&url, DEMO_KEY, &json!({"model": "claude-sonnet-4-6", "input": "Reply with exactly: OK", "instructions": "Be concise."})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["object"].as_str(), r["status"].as_str()),
        (Some("response"), Some("completed"))
    );
    assert_eq!(r["output"][0]["content"][0]["type"], "output_text");
    assert!(r["usage"]["output_tokens"].as_u64().unwrap() > 0);
    let (s, _, got) = get_bearer(&format!("{url}/{}", r["id"].as_str().unwrap()), DEMO_KEY).await;
    assert_eq!(s, 200);
    assert_eq!(got, r);
    let (s, _, _) = get_bearer(&format!("{url}/resp_nope"), DEMO_KEY).await;
    assert_eq!(s, 404);
    let (s, _, _) = post_bearer(&url, DEMO_KEY, &json!({"model": "gpt-5"})).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn responses_stream_has_the_documented_event_sequence() {
    let sb = sandbox().await;
    let req = json!({"model": "gpt-5", "input": "Hi", "stream": true});
    let (_, _, body) = post_stream(
        client()
            .post(format!("{}/openai/v1/responses", sb.base_url()))
            .bearer_auth(DEMO_KEY)
            .json(&req),
    )
    .await;
    let events = parse_sse(&body.unwrap());
    let mut names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
    names.dedup();
    assert_eq!(
        names,
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed"
        ]
    );
    let data = json_events(&events);
    let seqs: Vec<u64> = data
        .iter()
        .map(|d| d["sequence_number"].as_u64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
    let text: String = data
        .iter()
        .filter(|d| d["type"] == "response.output_text.delta")
        .map(|d| d["delta"].as_str().unwrap())
        .collect();
    let done = data.last().unwrap();
    assert_eq!(
        done["response"]["output"][0]["content"][0]["text"],
        json!(text)
    );
}

#[tokio::test]
async fn responses_function_call_stream() {
    let sb = sandbox().await;
    let req = json!({"model": "gpt-5", "input": "weather?", "stream": true,
        "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]});
    let (_, _, body) = post_stream(
        client()
            .post(format!("{}/openai/v1/responses", sb.base_url()))
            .bearer_auth(DEMO_KEY)
            .json(&req),
    )
    .await;
    let data = json_events(&parse_sse(&body.unwrap()));
    let args: String = data
        .iter()
        .filter(|d| d["type"] == "response.function_call_arguments.delta")
        .map(|d| d["delta"].as_str().unwrap())
        .collect();
    assert!(serde_json::from_str::<Value>(&args).unwrap()["city"].is_string());
    assert_eq!(
        data.last().unwrap()["response"]["output"][0]["type"],
        "function_call"
    );
}

#[tokio::test]
async fn embeddings_are_deterministic_unit_vectors() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/embeddings", sb.base_url());
    let req = json!({"model": "text-embedding-v4", "input": ["alpha", "beta"], "dimensions": 64});
    let (s, _, a) = post_bearer(&url, DEMO_KEY, &req).await;
    assert_eq!(s, 200);
    let v: Vec<f64> = a["data"][0]["embedding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(v.len(), 64);
    assert!((v.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-3);
    assert_ne!(a["data"][0]["embedding"], a["data"][1]["embedding"]);
    let (_, _, b) = post_bearer(&url, DEMO_KEY, &req).await;
    assert_eq!(a["data"], b["data"]);
    let (s, _, _) = post_bearer(&url, DEMO_KEY, &json!({"model": "gpt-5", "input": "x"})).await;
    assert_eq!(s, 400, "a chat model is not an embedding model");
    let (s, _, _) = post_bearer(
        &url,
        PLAN_KEY,
        &json!({"model": "text-embedding-v4", "input": "x"}),
    )
    .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn moderations_answer_unflagged() {
    let sb = sandbox().await;
    let (s, _, body) = post_bearer(
        &format!("{}/openai/v1/moderations", sb.base_url()),
        DEMO_KEY,
        &json!({"input": "hello"}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(body["results"][0]["flagged"], false);
}
