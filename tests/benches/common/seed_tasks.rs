//! Finished tasks written straight into a data dir through the core's own store, for the
//! window benchmarks (window_tasks, window_heavy): five families, every terminal state, already
//! notified so a launch raises no notification.

use anyint_core::store::{NewTaskRow, Store, TaskPatch};
use anyint_core::tasks::TaskState;
use serde_json::json;

/// `n` finished tasks, oldest first, one second apart, ids `bench-00000` on.
pub fn finished_tasks(store: &Store, n: usize) {
    let routes = [
        ("suno.generate", "suno", "V4_5"),
        ("openai.videos", "openai", "kling-3.0"),
        ("kling.text2video", "kling", "kling-v3"),
        ("dashscope.image", "dashscope", "qwen-image-plus"),
        ("gemini.image", "gemini", "nano-banana-2"),
    ];
    let ends = [
        TaskState::Succeeded,
        TaskState::Failed,
        TaskState::Expired,
        TaskState::Cancelled,
    ];
    let start = time::OffsetDateTime::now_utc() - time::Duration::days(30);
    for i in 0..n {
        let (route, family, model) = routes[i % routes.len()];
        let at = (start + time::Duration::seconds(i as i64))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        let (id, submission) = (format!("bench-{i:05}"), format!("bench-submission-{i}"));
        let label = format!("Bench prompt number {i} about the sea");
        let body = json!({ "model": model, "prompt": label });
        store
            .insert_task(&NewTaskRow {
                id: &id,
                submission_id: &submission,
                connection_id: "sandbox",
                route,
                family,
                model: Some(model),
                label: &label,
                request: &body,
                parent_task_id: None,
                rerun_of: None,
                now: &at,
            })
            .expect("insert a task");
        let patch = TaskPatch {
            raw_status: Some("SUCCESS".into()),
            gateway_task_id: Some(format!("gw-{i}")),
            ..TaskPatch::default()
        };
        let end = ends[i % ends.len()];
        assert!(store
            .transition_task(&id, TaskState::Submitting, end, &patch, &at)
            .expect("finish a task"));
        assert!(store.mark_task_notified(&id, &at).expect("mark notified"));
    }
}
