use super::{client, sandbox};
use anyint_core::gateway::{Family, GatewayClient, GatewayError};
use anyint_core::keys::ApiKey;
use anyint_core::models::list_models;
use anyint_core::ErrorCode;
use anyint_sandbox::{DEMO_KEY, DISABLED_KEY, LIMITED_KEY};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_wrong_key_is_401_invalid_key_with_the_gateway_message_on_both_routes() {
    let sandbox = sandbox().await;
    for key in ["sk-test-wrong", DISABLED_KEY] {
        let c = client(&sandbox.base_url(), key);
        for family in [Family::OpenAi, Family::Anthropic] {
            let err = list_models(&c, family).await.unwrap_err();
            assert_eq!(err.status(), Some(401), "{key} {family:?}");
            assert_eq!(err.code(), ErrorCode::InvalidKey);
            assert!(!err.is_transient());
            let GatewayError::Status {
                message, raw_body, ..
            } = &err
            else {
                panic!("{err:?}")
            };
            assert!(
                !message.is_empty() && raw_body.contains("error"),
                "{raw_body}"
            );
            assert!(
                !err.to_string().contains(key),
                "the key must not be echoed: {err}"
            );
        }
    }
}

#[tokio::test]
async fn the_rate_limited_key_gets_429_with_retry_after() {
    let sandbox = sandbox().await;
    let c = client(&sandbox.base_url(), LIMITED_KEY);
    let mut last = None;
    for _ in 0..4 {
        if let Err(e) = list_models(&c, Family::OpenAi).await {
            last = Some(e);
            break;
        }
    }
    let err = last.expect("the limited key must hit its limit within 4 requests");
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert!(err.is_transient());
    let GatewayError::Status { retry_after, .. } = err else {
        panic!()
    };
    assert!(retry_after.is_some_and(|d| d > Duration::ZERO));
}

#[tokio::test]
async fn the_documented_auth_reaches_each_route() {
    // The sandbox accepts only what the contract documents, so a pass proves the headers.
    let sandbox = sandbox().await;
    let c = client(&sandbox.base_url(), DEMO_KEY);
    assert!(!list_models(&c, Family::OpenAi).await.unwrap().is_empty());
    assert!(!list_models(&c, Family::Anthropic).await.unwrap().is_empty());

    // And the exact headers, seen by a recording server.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/anthropic/v1/models"))
        .and(header("x-api-key", "sk-test-recorded"))
        .and(header("anthropic-version", "2023-06-01"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data":[],"has_more":false}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/openai/v1/models"))
        .and(header("authorization", "Bearer sk-test-recorded"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), "sk-test-recorded");
    list_models(&c, Family::Anthropic).await.unwrap();
    list_models(&c, Family::OpenAi).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let anthropic = requests
        .iter()
        .find(|r| r.url.path().starts_with("/anthropic"))
        .unwrap();
    assert!(!anthropic.headers.contains_key("authorization"));
}

async fn status_error(status: u16, body: &str) -> GatewayError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_string(body)
                .insert_header("retry-after", "7"),
        )
        .mount(&server)
        .await;
    list_models(&client(&server.uri(), "sk-test-x"), Family::OpenAi)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn statuses_map_to_codes_and_keep_the_family_body() {
    let forbidden = status_error(
        403,
        r#"{"error":{"message":"Model not in your subscription","type":"permission_error","code":"model_not_allowed"}}"#,
    )
    .await;
    assert_eq!(forbidden.code(), ErrorCode::Forbidden);
    assert!(forbidden
        .to_string()
        .contains("Model not in your subscription"));
    assert!(!forbidden.is_transient());

    let limited = status_error(429, r#"{"error":{"message":"Rate limit exceeded","type":"rate_limit_error","code":"rate_limit_exceeded"}}"#).await;
    assert_eq!(limited.code(), ErrorCode::RateLimited);
    assert!(
        matches!(limited, GatewayError::Status { retry_after: Some(d), .. } if d == Duration::from_secs(7))
    );

    for status in [500, 502, 503] {
        let e = status_error(status, "upstream temporarily unavailable").await;
        assert_eq!(e.code(), ErrorCode::GatewayUnavailable, "{status}");
        assert!(e.is_transient());
        assert!(e.to_string().contains("upstream temporarily unavailable"));
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_clear_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>captive portal</html>"))
        .mount(&server)
        .await;
    let err = list_models(&client(&server.uri(), "sk-test-x"), Family::OpenAi)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadResponse);
    assert!(err.to_string().contains("captive portal"), "{err}");
}

#[tokio::test]
async fn an_unreachable_host_says_so() {
    // Bind then drop a listener: the port is very likely closed for the next few ms.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = client(&format!("http://127.0.0.1:{port}"), "sk-test-x");
    let err = list_models(&c, Family::OpenAi).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err:?}");
    assert!(err.to_string().contains(&format!("127.0.0.1:{port}")));

    let c = client("http://no-such-host.invalid", "sk-test-x");
    assert_eq!(
        list_models(&c, Family::OpenAi).await.unwrap_err().code(),
        ErrorCode::Unreachable
    );
}

#[test]
fn a_base_url_that_is_not_a_url_is_refused_up_front() {
    let key = ApiKey::new("sk-test-x").unwrap();
    let err = GatewayClient::new("api.anyint.ai", key).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("api.anyint.ai"));
}
