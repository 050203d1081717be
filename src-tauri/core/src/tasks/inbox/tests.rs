//! CallbackEnvelope parsing, the stored bound, and de-duplication by task against a real store.

use super::*;
use crate::tasks::tests::{args, center_in, CreateMode, Double};
use serde_json::json;

fn parse(v: &Value) -> ParsedCallback {
    parse_callback(v.to_string().as_bytes())
}

#[test]
fn suno_bare_and_wrapped_give_the_same_task_and_event() {
    let inner = json!({"callbackType": "first", "task_id": "t-1", "data": [{"id": "a"}]});
    let bare = parse(&inner);
    let wrapped = parse(&json!({"code": 200, "msg": "ok", "data": inner}));
    assert_eq!(bare.envelope, CallbackEnvelope::Bare);
    assert_eq!(wrapped.envelope, CallbackEnvelope::Wrapped);
    for p in [&bare, &wrapped] {
        assert_eq!(p.gateway_task_id.as_deref(), Some("t-1"));
        assert_eq!(p.event, "first");
        assert_eq!(p.claimed_status.as_deref(), Some("first"));
    }
    // Upstream's camelCase id and an error stage with no items.
    let err = parse(
        &json!({"code": 501, "data": {"callbackType": "error", "taskId": "t-2", "data": null}}),
    );
    assert_eq!(
        (
            err.envelope,
            err.gateway_task_id.as_deref(),
            err.event.as_str()
        ),
        (CallbackEnvelope::Wrapped, Some("t-2"), "error")
    );
}

#[test]
fn kling_task_objects_bare_or_under_data() {
    let task = json!({"task_id": "k-9", "task_status": "succeed", "task_result": {"videos": []}});
    for body in [
        task.clone(),
        json!({"code": 0, "message": "SUCCEED", "data": task}),
    ] {
        let p = parse(&body);
        assert_eq!(p.envelope, CallbackEnvelope::Kling);
        assert_eq!(p.gateway_task_id.as_deref(), Some("k-9"));
        assert_eq!(p.event, "succeed");
    }
}

#[test]
fn other_shapes_keep_an_id_and_a_digest_and_junk_is_unreadable() {
    let a = parse(&json!({"id": 42, "status": "done"}));
    assert_eq!(a.envelope, CallbackEnvelope::Other);
    assert_eq!(a.gateway_task_id.as_deref(), Some("42"));
    assert_eq!(a.claimed_status.as_deref(), Some("done"));
    assert!(a.event.starts_with("sha256:"));
    let b = parse(&json!({"id": 42, "status": "failed"}));
    assert_ne!(a.event, b.event, "different bodies share a digest");
    let junk = parse_callback(b"callbackType=complete&task_id=t-1");
    assert_eq!(junk.envelope, CallbackEnvelope::Unreadable);
    assert_eq!((junk.gateway_task_id, junk.json), (None, None));
    // An empty id names no task.
    assert_eq!(
        parse(&json!({"callbackType": "text", "task_id": ""})).gateway_task_id,
        None
    );
}

#[test]
fn the_stored_raw_is_cut_on_a_character_boundary() {
    let small = br#"{"a":1}"#;
    assert_eq!(bounded_raw(small), (r#"{"a":1}"#.to_string(), false));
    // Multi-byte characters straddling the bound.
    let big = "é".repeat(MAX_STORED_RAW);
    let (raw, cut) = bounded_raw(big.as_bytes());
    assert!(cut);
    assert!(raw.len() <= MAX_STORED_RAW && raw.len() > MAX_STORED_RAW - 2);
    assert!(raw.chars().all(|c| c == 'é'));
}

#[tokio::test]
async fn a_repeat_of_the_same_task_and_event_is_a_duplicate_and_not_handed_on() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Task);
    let task = center
        .submit(&*double, &args("s1", &json!({"prompt": "p"})))
        .await
        .unwrap();
    let gateway = task.gateway_task_id.clone().unwrap();
    let receiver = Receiver::new(center.clone());
    let stage = |kind: &str| {
        json!({"callbackType": kind, "task_id": gateway, "data": []})
            .to_string()
            .into_bytes()
    };
    let first = receiver.receive(&stage("text")).unwrap();
    assert_eq!(first.task_id.as_deref(), Some(task.id.as_str()));
    assert!(!first.duplicate && first.handed_on);
    // The same stage again, this time wrapped the upstream way: still the same event.
    let wrapped =
        json!({"code": 200, "msg": "ok", "data": {"callbackType": "text", "task_id": gateway}});
    let again = receiver.receive(wrapped.to_string().as_bytes()).unwrap();
    assert!(again.duplicate && !again.handed_on);
    // The next stage is new.
    let next = receiver.receive(&stage("complete")).unwrap();
    assert!(!next.duplicate);
    let records = center.store().task_callbacks(&task.id).unwrap();
    let seen: Vec<_> = records
        .iter()
        .map(|r| (r.event.as_str(), r.envelope, r.duplicate_of))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("text", CallbackEnvelope::Bare, None),
            ("text", CallbackEnvelope::Wrapped, Some(first.n)),
            ("complete", CallbackEnvelope::Bare, None),
        ]
    );
    // Only the two firsts reached the task center (kept on the task's page as callbacks).
    let handed_on = center.detail(&task.id).unwrap().polls;
    let handed_on = handed_on
        .iter()
        .filter(|p| p.raw_status.as_deref() == Some("callback"))
        .count();
    assert_eq!(handed_on, 2);
    // The state is whatever the create said; no callback moved it.
    assert_eq!(center.task(&task.id).unwrap().state, task.state);
}

#[tokio::test]
async fn payloads_for_no_known_task_are_kept_and_dedupe_by_gateway_id() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let receiver = Receiver::new(center.clone());
    let body = json!({"callbackType": "complete", "task_id": "elsewhere"}).to_string();
    let a = receiver.receive(body.as_bytes()).unwrap();
    let b = receiver.receive(body.as_bytes()).unwrap();
    assert_eq!((a.task_id, a.duplicate, a.handed_on), (None, false, false));
    assert!(b.duplicate);
    // Unreadable bodies are kept, never one another's duplicates (they name nothing).
    let c = receiver.receive(b"not json").unwrap();
    let d = receiver.receive(b"not json").unwrap();
    assert!(!c.duplicate && !d.duplicate);
    assert_eq!(center.store().callback_count().unwrap(), 4);
}

#[tokio::test]
async fn the_inbox_needs_an_owner_then_serves_loopback_until_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = CallbackInbox::new(Receiver::new(center_in(dir.path())));
    assert!(inbox.start().is_err(), "started with no owner for its loop");
    let work = BackgroundWork::new(tokio::runtime::Handle::current());
    inbox.attach(&work);
    let url = inbox.start().unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with(INBOX_PATH));
    assert_eq!(
        inbox.start().unwrap(),
        url,
        "a second start opened another port"
    );
    let http = reqwest::Client::new();
    let ok = http
        .post(&url)
        .body(r#"{"callbackType":"text","task_id":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let too_big = http
        .post(&url)
        .body(vec![b' '; MAX_BODY + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
    // A web page's request, and a rebinding page's Host: refused, not recorded.
    let from_page = http
        .post(&url)
        .header("origin", "https://example.com")
        .body(r#"{"callbackType":"text","task_id":"y"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(from_page.status(), 403);
    let rebound = http
        .post(&url)
        .header("host", "attacker.example:80")
        .body(r#"{"callbackType":"text","task_id":"z"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 403);
    assert_eq!(inbox.receiver().store().callback_count().unwrap(), 1);
    inbox.stop();
    assert_eq!(inbox.url(), None);
    work.stop().await;
    assert!(
        http.post(&url).body("{}").send().await.is_err(),
        "still listening after stop"
    );
}

#[test]
fn the_inbox_keeps_the_newest_ten_thousand_records() {
    let store = Store::in_memory().unwrap();
    let mut last = 0;
    for i in 0..10_005 {
        let event = format!("e{i}");
        let (n, _) = store
            .record_callback(&NewCallback {
                received_at: "2025-03-01T10:00:00Z",
                task_id: None,
                gateway_task_id: Some("gw"),
                envelope: CallbackEnvelope::Other,
                event: &event,
                claimed_status: None,
                raw: "{}",
                raw_truncated: false,
            })
            .unwrap();
        last = n;
    }
    assert_eq!(store.callback_count().unwrap(), 10_000);
    let oldest: i64 = store
        .lock()
        .query_row("SELECT MIN(n) FROM callback_inbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(oldest, last - 9_999);
}
