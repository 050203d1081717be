use super::*;
use crate::tasks::view::ArtifactState;

fn song(bytes: &[u8], hint: &str) -> ArtifactRef {
    ArtifactRef {
        kind: ArtifactKind::Audio,
        name_hint: Some(hint.into()),
        item_id: Some("song-1".into()),
        ..inline(bytes)
    }
}

#[tokio::test]
async fn a_preview_saved_while_partial_is_replaced_by_the_final_file() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Task);
    let body = json!({"prompt": "night drive", "customMode": false});
    let row = center.submit(&*double, &args("s", &body)).await.unwrap();
    let (preview, last) = (b"stream preview bytes".as_slice(), b"final song".as_slice());

    let partial = report(TaskState::Partial, vec![song(preview, "Night (preview)")]);
    let applied = center
        .apply_report(&*double, &row.id, TaskState::Queued, &partial, false)
        .await
        .unwrap();
    assert_eq!(applied.state, TaskState::Partial);
    let saved = center.detail(&row.id).unwrap().artifacts[0].clone();
    assert_eq!(saved.state, ArtifactState::Saved);
    let preview_path = saved.path.clone().unwrap();
    assert_eq!(std::fs::read(&preview_path).unwrap(), preview);

    // The same song again while partial: the saved preview is left alone.
    let again = report(
        TaskState::Partial,
        vec![song(b"other preview", "Night (preview)")],
    );
    center
        .apply_report(&*double, &row.id, TaskState::Partial, &again, false)
        .await
        .unwrap();
    let kept = &center.detail(&row.id).unwrap().artifacts[0];
    assert_eq!(kept.sha256, saved.sha256);

    let done = report(TaskState::Succeeded, vec![song(last, "Night")]);
    let applied = center
        .apply_report(&*double, &row.id, TaskState::Partial, &done, false)
        .await
        .unwrap();
    assert_eq!(applied.state, TaskState::Succeeded);
    let detail = center.detail(&row.id).unwrap();
    assert_eq!(
        detail.artifacts.len(),
        1,
        "the final file replaces the preview"
    );
    let file = &detail.artifacts[0];
    assert_eq!(file.state, ArtifactState::Saved);
    assert_eq!(file.sha256.as_deref(), Some(sha256_hex(last).as_str()));
    let path = file.path.clone().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), last);
    assert_ne!(path, preview_path, "named after the final hint");
    assert!(
        !std::path::Path::new(&preview_path).exists(),
        "the preview file is gone"
    );
}
