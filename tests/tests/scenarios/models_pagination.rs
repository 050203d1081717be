use super::{client, sandbox};
use anyint_core::gateway::Family;
use anyint_core::models::{list_models, list_models_paged};
use anyint_core::ErrorCode;
use anyint_sandbox::{SandboxConfig, SandboxKey, DEMO_KEY, TEAM_B_KEY};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn several_pages_add_up_to_the_whole_catalogue_on_both_routes() {
    let sandbox = sandbox().await;
    let c = client(&sandbox.base_url(), DEMO_KEY);
    let catalogue: Vec<String> = anyint_sandbox::catalogue()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(
        catalogue.len() > 14,
        "the catalogue should need several pages of 7"
    );
    for family in [Family::OpenAi, Family::Anthropic] {
        let paged = list_models_paged(&c, family, 7).await.unwrap();
        let ids: Vec<String> = paged.iter().map(|m| m.id.clone()).collect();
        assert_eq!(ids, catalogue, "{family:?}");
        let whole = list_models(&c, family).await.unwrap();
        assert_eq!(whole, paged, "page size must not change the result");
        assert!(paged
            .iter()
            .all(|m| m.display_name.is_some() && m.created_at.is_some()));
    }
}

#[tokio::test]
async fn the_list_follows_the_key_allowlist() {
    let sandbox = sandbox().await;
    let team_b = list_models(&client(&sandbox.base_url(), TEAM_B_KEY), Family::OpenAi)
        .await
        .unwrap();
    let ids: Vec<&str> = team_b.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(ids.contains(&"claude-sonnet-4-6"));
    assert!(!ids.contains(&"claude-opus-4-6"));
}

#[tokio::test]
async fn a_key_with_no_models_gets_an_empty_list() {
    let config = SandboxConfig {
        keys: vec![SandboxKey {
            allowed_models: Some(vec![]),
            ..SandboxKey::new("sk-sandbox-empty", "no models")
        }],
        ..SandboxConfig::default()
    };
    let sandbox = anyint_sandbox::start(config).await.unwrap();
    let models = list_models(
        &client(&sandbox.base_url(), "sk-sandbox-empty"),
        Family::Anthropic,
    )
    .await
    .unwrap();
    assert!(models.is_empty());
}

#[tokio::test]
async fn an_empty_page_that_claims_more_ends_the_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/openai/v1/models"))
        .and(query_param_is_missing("after_id"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"data":[{"id":"a","type":"model"},{"id":"b","type":"model"}],"has_more":true,"last_id":"b"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/openai/v1/models"))
        .and(query_param("after_id", "b"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data":[],"has_more":true}"#))
        .expect(1)
        .mount(&server)
        .await;
    let models = list_models(&client(&server.uri(), "sk-test-x"), Family::OpenAi)
        .await
        .unwrap();
    assert_eq!(
        models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
}

#[tokio::test]
async fn has_more_without_a_new_cursor_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/openai/v1/models"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"data":[{"id":"a"}],"has_more":true,"last_id":"a"}"#),
        )
        .mount(&server)
        .await;
    let err = list_models(&client(&server.uri(), "sk-test-x"), Family::OpenAi)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadResponse, "{err}");
}
