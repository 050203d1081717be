//! Verification against the sandbox over loopback: each outcome, and what is recorded.

use super::*;
use crate::keys::{verify_secret, Outcome};
use anyint_sandbox::{DEMO_KEY, DISABLED_KEY, LIMITED_KEY, TEAM_B_KEY};

#[tokio::test]
async fn a_working_key_lists_models_on_both_routes() {
    let sb = sandbox().await;
    let v = verify_secret(&key(DEMO_KEY), &sb.base_url()).await.unwrap();
    assert_eq!(v.outcome, Outcome::Works);
    let families: Vec<&str> = v.routes.iter().map(|r| r.family.as_str()).collect();
    assert_eq!(families, ["openai", "anthropic"]);
    assert!(v
        .routes
        .iter()
        .all(|r| r.outcome == Outcome::Works && r.model_count > 0));
    assert_eq!(v.model_count as usize, v.model_ids.len());
    assert!(
        v.model_ids.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );

    let team_b = verify_secret(&key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    assert!(
        team_b.model_count < v.model_count,
        "the allowlist is smaller"
    );
    assert!(team_b.model_ids.iter().any(|m| m == "gpt-5"));
}

#[tokio::test]
async fn unknown_and_disabled_keys_are_invalid() {
    let sb = sandbox().await;
    for secret in ["sk-not-a-sandbox-key-1234", DISABLED_KEY] {
        let v = verify_secret(&key(secret), &sb.base_url()).await.unwrap();
        assert_eq!(v.outcome, Outcome::Invalid, "{secret}");
        assert!(v
            .routes
            .iter()
            .all(|r| r.status == Some(401) && r.model_count == 0));
        assert!(v.model_ids.is_empty());
        let text = serde_json::to_string(&v).unwrap();
        assert!(
            !text.contains(secret),
            "the key is scrubbed from messages: {text}"
        );
    }
}

#[tokio::test]
async fn a_rate_limited_key_says_limited() {
    let sb = sandbox().await;
    // Two requests a minute: the first verify spends them, the second is refused.
    let first = verify_secret(&key(LIMITED_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(first.outcome, Outcome::Works);
    let second = verify_secret(&key(LIMITED_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(second.outcome, Outcome::Limited);
    assert!(second.routes.iter().all(|r| r.status == Some(429)));
}

#[tokio::test]
async fn a_dead_port_is_unreachable_not_invalid() {
    let v = verify_secret(&key(DEMO_KEY), &dead_url()).await.unwrap();
    assert_eq!(v.outcome, Outcome::Unreachable);
    assert!(v
        .routes
        .iter()
        .all(|r| r.outcome == Outcome::Unreachable && r.status.is_none()));
    let err = verify_secret(&key(DEMO_KEY), "not a url")
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn verify_records_the_result_on_the_key_and_in_the_log() {
    let sb = sandbox().await;
    let (vault, _mem) = vault();
    let rec = vault
        .add(new_key("Demo", DEMO_KEY, Environment::Dev))
        .unwrap();
    assert!(rec.last_verification.is_none());
    let v = vault.verify(&rec.id, &sb.base_url()).await.unwrap();
    let stored = vault.get(&rec.id).unwrap();
    assert_eq!(stored.last_verification.as_ref(), Some(&v));
    assert_eq!(
        stored.last_verified_at.as_deref(),
        Some(v.checked_at.as_str())
    );
    let entry = &vault.audit(1).unwrap()[0];
    assert_eq!(
        (entry.action.as_str(), entry.outcome.as_str()),
        ("key.verified", "works")
    );
    assert!(entry
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("openai works"));

    let gone = vault
        .add(new_key("Disabled", DISABLED_KEY, Environment::Dev))
        .unwrap();
    let v = vault.verify(&gone.id, &sb.base_url()).await.unwrap();
    assert_eq!(v.outcome, Outcome::Invalid);
    assert_eq!(vault.audit(1).unwrap()[0].outcome, "invalid");

    let attention = vault
        .needs_attention(time::macros::date!(2030 - 01 - 01))
        .unwrap();
    let reasons: Vec<_> = attention
        .iter()
        .map(|a| (a.label.as_str(), a.reasons.clone()))
        .collect();
    assert_eq!(
        reasons,
        [(
            "Disabled",
            vec![crate::keys::AttentionReason::VerificationFailed]
        )],
        "the working key needs nothing"
    );
}

#[tokio::test]
async fn a_gateway_echoing_the_key_does_not_get_it_recorded() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const ECHOED: &str = "sk-echo-test-0123456789abcdef";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let body = format!(
                r#"{{"error":{{"message":"Incorrect API key provided: {ECHOED}","type":"authentication_error"}}}}"#
            );
            let head = format!(
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(format!("{head}{body}").as_bytes()).await;
        }
    });
    let v = verify_secret(&key(ECHOED), &url).await.unwrap();
    assert_eq!(v.outcome, Outcome::Invalid);
    let message = v.routes[0].message.clone().unwrap_or_default();
    assert!(
        message.contains("Incorrect API key provided: sk-…cdef"),
        "{message}"
    );
    assert!(!serde_json::to_string(&v).unwrap().contains(ECHOED));
}
