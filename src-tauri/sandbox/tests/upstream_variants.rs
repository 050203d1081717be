//! The upstream variant switches of issue 9 (`x-sandbox-variant`), each against the default it
//! replaces: Suno and Kling errors as HTTP 200 with the code in the body, lyrics as
//! `response.data[]`, `successFlag` as an integer, `createTime` as text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod media_common;

use anyint_sandbox::{
    SandboxConfig, Variant, DEMO_KEY, EXHAUSTED_KEY, FAULT_HEADER, VARIANT_HEADER,
};
use media_common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn suno_errors_move_to_http_200_with_the_code_in_the_body() {
    let sb = fast().await;
    let url = format!("{}/suno/generate", sb.base_url());
    let body = generate_body();
    let v = [(VARIANT_HEADER, "suno-http-200")];
    // 429 insufficient credits.
    let (s, _, b) = send(&url, EXHAUSTED_KEY, &[], Some(&body)).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (402, Some(429)),
        "default: real status: {b}"
    );
    let (s, _, b) = send(&url, EXHAUSTED_KEY, &v, Some(&body)).await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(429)), "{b}");
    assert!(b["data"].is_null() && b["msg"].is_string());
    // 430 request rate too high, with its Retry-After kept.
    let (s, h, b) = send(
        &url,
        DEMO_KEY,
        &[v[0], (FAULT_HEADER, "rate-limit")],
        Some(&body),
    )
    .await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(430)), "{b}");
    assert_eq!(h["retry-after"], "2");
    // 455 system maintenance.
    let (s, _, b) = send(
        &url,
        DEMO_KEY,
        &[(FAULT_HEADER, "maintenance")],
        Some(&body),
    )
    .await;
    assert_eq!((s, b["code"].as_i64()), (503, Some(455)), "{b}");
    let (s, _, b) = send(
        &url,
        DEMO_KEY,
        &[v[0], (FAULT_HEADER, "maintenance")],
        Some(&body),
    )
    .await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(455)), "{b}");
    // A success is unchanged, and other families keep their statuses under the variant.
    let (s, _, b) = send(&url, DEMO_KEY, &v, Some(&body)).await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(200)));
    let video = format!("{}/openai/v1/videos", sb.base_url());
    let (s, _, _) = send(
        &video,
        EXHAUSTED_KEY,
        &v,
        Some(&json!({"model": "kling-3.0", "prompt": "x"})),
    )
    .await;
    assert_eq!(s, 402);
}

#[tokio::test]
async fn kling_errors_move_to_http_200_with_a_non_zero_code() {
    let sb = fast().await;
    let url = format!("{}/transtreams/kling/v1/videos/text2video", sb.base_url());
    let body = json!({"model_name": "kling-v9", "prompt": "night street"});
    let (s, _, b) = send(&url, DEMO_KEY, &[], Some(&body)).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (400, Some(1201)),
        "unknown model_name: {b}"
    );
    let v = [(VARIANT_HEADER, "kling-http-200")];
    let (s, _, b) = send(&url, DEMO_KEY, &v, Some(&body)).await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(1201)), "{b}");
    assert!(b["message"].is_string() && b.get("data").is_none());
    let (s, _, b) = send(
        &url,
        EXHAUSTED_KEY,
        &v,
        Some(&json!({"model_name": "kling-v3", "prompt": "x"})),
    )
    .await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(1102)), "exhausted: {b}");
}

async fn lyrics_response(variant: &[(&str, &str)]) -> Value {
    let sb = fast().await;
    let (_, _, c) = post(
        &format!("{}/suno/generate-lyrics", sb.base_url()),
        &json!({"prompt": "rain", "callBackUrl": NOWHERE}),
    )
    .await;
    let id = c["data"]["taskId"].as_str().unwrap().to_owned();
    tokio::time::sleep(TASK * 2).await;
    let url = format!("{}/suno/query/lyrics?taskId={id}", sb.base_url());
    let (_, _, q) = send(&url, DEMO_KEY, variant, None).await;
    assert_eq!(q["data"]["status"], "SUCCESS");
    q["data"]["response"].clone()
}

#[tokio::test]
async fn lyrics_come_as_lyrics_data_or_response_data() {
    let plain = lyrics_response(&[]).await;
    assert!(plain["lyricsData"][0]["text"]
        .as_str()
        .unwrap()
        .contains("[Chorus]"));
    assert!(plain.get("data").is_none());
    let other = lyrics_response(&[(VARIANT_HEADER, "lyrics-response-data")]).await;
    assert!(other["data"][0]["text"]
        .as_str()
        .unwrap()
        .contains("[Chorus]"));
    assert!(other.get("lyricsData").is_none());
}

#[tokio::test]
async fn success_flag_is_a_string_or_an_integer() {
    let sb = fast().await;
    let (task, audio) = song(&sb).await;
    let (_, _, c) = post(
        &format!("{}/suno/wav-generate", sb.base_url()),
        &json!({"taskId": task, "audioId": audio, "callBackUrl": NOWHERE}),
    )
    .await;
    let id = c["data"]["taskId"].as_str().unwrap().to_owned();
    tokio::time::sleep(TASK * 2).await;
    let url = format!("{}/suno/query/wav?taskId={id}", sb.base_url());
    let (_, _, plain) = get(&url).await;
    assert_eq!(plain["data"]["successFlag"], "SUCCESS");
    let (_, _, int) = send(
        &url,
        DEMO_KEY,
        &[(VARIANT_HEADER, "success-flag-int")],
        None,
    )
    .await;
    assert_eq!(int["data"]["successFlag"], json!(1));
    assert_eq!(int["data"]["status"], "SUCCESS", "status stays a word");
    let style = format!("{}/suno/style-generate", sb.base_url());
    let body = json!({"content": "Pop, Mysterious"});
    assert_eq!(post(&style, &body).await.2["data"]["successFlag"], "1");
    let (_, _, b) = send(
        &style,
        DEMO_KEY,
        &[(VARIANT_HEADER, "success-flag-int")],
        Some(&body),
    )
    .await;
    assert_eq!(b["data"]["successFlag"], json!(1));
}

#[tokio::test]
async fn create_time_is_milliseconds_or_text() {
    let sb = fast().await;
    let (task, _) = song(&sb).await;
    let url = format!("{}/suno/query/task?taskId={task}", sb.base_url());
    let (_, _, plain) = get(&url).await;
    let ms = plain["data"]["response"]["sunoData"][0]["createTime"]
        .as_u64()
        .unwrap();
    assert!(ms > 1_700_000_000_000, "milliseconds: {ms}");
    let (_, _, text) = send(
        &url,
        DEMO_KEY,
        &[(VARIANT_HEADER, "create-time-text")],
        None,
    )
    .await;
    let t = text["data"]["response"]["sunoData"][0]["createTime"]
        .as_str()
        .unwrap();
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let parsed = time::PrimitiveDateTime::parse(t, &format)
        .unwrap()
        .assume_utc();
    assert_eq!(parsed.unix_timestamp() as u64, ms / 1000, "{t}");
    assert!(text["data"]["createTime"].is_string());
}

#[tokio::test]
async fn variants_can_be_the_default_for_every_request() {
    let sb = fast_with(SandboxConfig {
        default_variants: vec![Variant::SunoHttp200],
        ..Default::default()
    })
    .await;
    let url = format!("{}/suno/generate", sb.base_url());
    let (s, _, b) = send(&url, EXHAUSTED_KEY, &[], Some(&generate_body())).await;
    assert_eq!((s, b["code"].as_i64()), (200, Some(429)));
    let (s, _, _) = send(
        &url,
        EXHAUSTED_KEY,
        &[(VARIANT_HEADER, "none")],
        Some(&generate_body()),
    )
    .await;
    assert_eq!(s, 402, "a request opts out with `none`");
    for v in Variant::ALL {
        assert_eq!(v.name().parse::<Variant>(), Ok(v));
    }
}
