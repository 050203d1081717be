//! Models API over loopback: shapes, pagination, auth per family, errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anyint_sandbox::{
    catalogue, SandboxConfig, SandboxKey, CUSTOM_KEY, DEMO_KEY, DISABLED_KEY, LIMITED_KEY,
    PLAN_KEY, TEAM_B_KEY,
};
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn openai_route_lists_first_page_in_anthropic_shape() {
    let sb = sandbox().await;
    let (status, headers, page) =
        get_bearer(&format!("{}/openai/v1/models", sb.base_url()), DEMO_KEY).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 20, "default limit is 20");
    assert_eq!(page["has_more"], json!(true));
    assert_eq!(page["first_id"], data[0]["id"]);
    assert_eq!(page["last_id"], data[19]["id"]);
    let m = &data[0];
    assert_eq!(m["type"], "model");
    assert!(m["display_name"].is_string());
    let created = m["created_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
            .is_ok()
    );
}

#[tokio::test]
async fn paginating_with_after_id_visits_every_model_once() {
    let sb = sandbox().await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut url = format!("{}/openai/v1/models?limit=7", sb.base_url());
        if let Some(a) = &after {
            url.push_str(&format!("&after_id={a}"));
        }
        let (status, _, page) = get_bearer(&url, DEMO_KEY).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        let page_ids = ids(&page);
        assert!(page_ids.len() <= 7);
        seen.extend(page_ids);
        if page["has_more"] != json!(true) {
            break;
        }
        after = page["last_id"].as_str().map(str::to_owned);
        assert!(pages < 20, "pagination does not terminate");
    }
    let expected: Vec<String> = catalogue().into_iter().map(|m| m.id).collect();
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(7));
}

#[tokio::test]
async fn after_the_last_id_is_an_empty_page_with_null_cursors() {
    let sb = sandbox().await;
    let last = catalogue().last().unwrap().id.clone();
    let (status, _, page) = get_bearer(
        &format!("{}/openai/v1/models?after_id={last}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        page,
        json!({"data": [], "has_more": false, "first_id": null, "last_id": null})
    );
}

#[tokio::test]
async fn before_id_pages_backwards() {
    let sb = sandbox().await;
    let all: Vec<String> = catalogue().into_iter().map(|m| m.id).collect();
    let url = format!(
        "{}/openai/v1/models?limit=4&before_id={}",
        sb.base_url(),
        all[10]
    );
    let (status, _, page) = get_bearer(&url, DEMO_KEY).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), all[6..10].to_vec());
    assert_eq!(page["has_more"], json!(true));
}

#[tokio::test]
async fn bad_limit_and_unknown_cursor_are_400_in_openai_envelope() {
    let sb = sandbox().await;
    for q in [
        "limit=0",
        "limit=1001",
        "limit=ten",
        "after_id=no-such-model",
        "before_id=nope",
    ] {
        let (status, _, body) =
            get_bearer(&format!("{}/openai/v1/models?{q}", sb.base_url()), DEMO_KEY).await;
        assert_eq!(status, 400, "{q}");
        assert_eq!(body["error"]["type"], "invalid_request_error", "{q}");
    }
}

#[tokio::test]
async fn list_is_filtered_by_the_keys_allowlist() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/models?limit=1000", sb.base_url());
    let (_, _, team_b) = get_bearer(&url, TEAM_B_KEY).await;
    assert_eq!(
        ids(&team_b),
        [
            "claude-sonnet-4-6",
            "gpt-5",
            "gemini-2.0-flash",
            "nano-banana-2"
        ]
    );
    let (_, _, plan) = get_bearer(&url, PLAN_KEY).await;
    let plan_ids = ids(&plan);
    assert!(plan_ids.contains(&"claude-opus-4-6".to_owned()));
    assert!(
        !plan_ids.contains(&"nano-banana-2".to_owned()),
        "plan key is chat-only"
    );
    assert!(!plan_ids.contains(&"V5".to_owned()));
    let (_, _, custom) = get_bearer(&url, CUSTOM_KEY).await;
    assert_eq!(ids(&custom).len(), 3);
    // A model the key cannot see is not a valid cursor either (no allowlist leak).
    let (status, _, _) = get_bearer(&format!("{url}&after_id=V5"), TEAM_B_KEY).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn bad_missing_and_disabled_keys_get_the_documented_401() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/models", sb.base_url());
    let documented = json!({"error":{"message":"Invalid or missing API key","type":"authentication_error","code":"invalid_api_key"}});
    let (status, _, body) = get_bearer(&url, "sk-wrong").await;
    assert_eq!((status, &body), (401, &documented));
    let r = client().get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.json::<Value>().await.unwrap(), documented);
    let (status, _, body) = get_bearer(&url, DISABLED_KEY).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["type"], "authentication_error");
    assert_eq!(body["error"]["code"], "invalid_api_key");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("disabled"));
}

#[tokio::test]
async fn anthropic_route_accepts_x_api_key_and_bearer_and_needs_a_version() {
    let sb = sandbox().await;
    let url = format!("{}/anthropic/v1/models?limit=5", sb.base_url());
    let r = client()
        .get(&url)
        .header("x-api-key", DEMO_KEY)
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let page: Value = r.json().await.unwrap();
    assert_eq!(ids(&page).len(), 5);
    let r = client()
        .get(&url)
        .bearer_auth(DEMO_KEY)
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = client()
        .get(&url)
        .header("x-api-key", DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let r = client()
        .get(&url)
        .header("x-api-key", "sk-nope")
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"type":"error","error":{"type":"authentication_error","message":"Invalid or missing API key"}})
    );
}

#[tokio::test]
async fn openai_route_does_not_take_x_api_key() {
    let sb = sandbox().await;
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .header("x-api-key", DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn limited_key_gets_429_with_retry_after_on_the_third_request() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/models", sb.base_url());
    assert_eq!(get_bearer(&url, LIMITED_KEY).await.0, 200);
    assert_eq!(get_bearer(&url, LIMITED_KEY).await.0, 200);
    let (status, headers, body) = get_bearer(&url, LIMITED_KEY).await;
    assert_eq!(status, 429);
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        body,
        json!({"error":{"message":"Rate limit exceeded","type":"rate_limit_error","code":"rate_limit_exceeded"}})
    );
    // Other keys are not affected.
    assert_eq!(get_bearer(&url, DEMO_KEY).await.0, 200);
}

#[tokio::test]
async fn unpublished_and_unknown_routes_are_404_in_the_family_envelope() {
    let sb = sandbox().await;
    let (status, _, body) = get_bearer(&format!("{}/v1/models", sb.base_url()), DEMO_KEY).await;
    assert_eq!(status, 404);
    assert!(body["error"]["message"].is_string());
    let r = client()
        .get(format!("{}/anthropic/v1/nothing", sb.base_url()))
        .header("x-api-key", DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["type"],
        "not_found_error"
    );
    let (status, _, body) = get_bearer(
        &format!("{}/gemini/v1beta/nothing", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["status"], "NOT_FOUND");
}

#[tokio::test]
async fn custom_keys_and_shutdown() {
    let config = SandboxConfig {
        keys: vec![SandboxKey::new("sk-only-this", "test")],
        ..Default::default()
    };
    let sb = sandbox_with(config).await;
    let url = format!("{}/openai/v1/models", sb.base_url());
    assert_eq!(get_bearer(&url, "sk-only-this").await.0, 200);
    assert_eq!(get_bearer(&url, DEMO_KEY).await.0, 401);
    assert!(sb.base_url().starts_with("http://127.0.0.1:"));
    sb.shutdown().await;
    assert!(
        client().get(&url).send().await.is_err(),
        "server still answers after shutdown"
    );
}

#[tokio::test]
async fn drop_stops_the_server() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/models", sb.base_url());
    drop(sb);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(reqwest::Client::new().get(&url).send().await.is_err());
}

#[tokio::test]
async fn every_family_rejects_a_bad_key_in_its_own_envelope() {
    let sb = sandbox().await;
    let b = sb.base_url();
    let cases: [(String, &str, Value); 5] = [
        (
            format!("{b}/openai/v1/chat/completions"),
            "/error/code",
            json!("invalid_api_key"),
        ),
        (
            format!("{b}/gemini/v1beta/models/gemini-2.0-flash:generateContent"),
            "/error/status",
            json!("UNAUTHENTICATED"),
        ),
        (
            format!("{b}/dashscope/v1/services/aigc/video-generation/video-synthesis"),
            "/code",
            json!("InvalidApiKey"),
        ),
        (
            format!("{b}/transtreams/kling/v1/videos/text2video"),
            "/code",
            json!(1002),
        ),
        (format!("{b}/suno/generate"), "/code", json!(401)),
    ];
    for (url, pointer, expected) in cases {
        let (status, _, body) = post_bearer(&url, "sk-wrong", &json!({})).await;
        assert_eq!(status, 401, "{url}");
        assert_eq!(body.pointer(pointer), Some(&expected), "{url}: {body}");
    }
    // Gemini's documented auth is Bearer (decision 2): x-goog-api-key alone is rejected.
    let r = client()
        .post(format!(
            "{b}/gemini/v1beta/models/gemini-2.0-flash:generateContent"
        ))
        .header("x-goog-api-key", DEMO_KEY)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}
