//! The task state machine: which moves are allowed, and the one function every state change
//! goes through ([`transition`]). It checks the move, then lets the store's compare-and-set
//! decide the race: of two overlapping polls that both saw `running`, exactly one finishes the
//! task, and only the winner reports a [`TaskTransition`].

use super::view::TaskTransition;
use super::TaskState;
use crate::store::{Store, StoreError, TaskPatch};

/// The words a notification and the table use for a task when the user gave no label.
const LABEL_CHARS: usize = 60;

/// Whether `from -> to` is a move the machine allows. A terminal state never changes, except
/// succeeded -> expired when the artifact URLs lapse; nothing goes back to `submitting`.
pub fn allowed(from: TaskState, to: TaskState) -> bool {
    use TaskState::*;
    if from == to || to == Submitting {
        return false;
    }
    match from {
        Succeeded => to == Expired,
        Failed | Cancelled | Expired => false,
        // Queued -> partial/succeeded directly is fine: a slow poll may miss the middle.
        Submitting | Queued | Running | Partial => true,
    }
}

/// Outcome of one attempted move.
#[derive(Debug, Clone, PartialEq)]
pub enum Moved {
    /// This call made the move; report it.
    Won(TaskTransition),
    /// The task was no longer in `from` (another writer got there first), or is gone.
    Lost,
    /// The machine does not allow the move.
    Refused,
}

/// Moves task `id` from `from` to `to` if it is still in `from`, writing `patch` with it. The
/// only function that changes a task's state.
pub fn transition(
    store: &Store,
    id: &str,
    from: TaskState,
    to: TaskState,
    patch: &TaskPatch,
    now: &str,
) -> Result<Moved, StoreError> {
    if !allowed(from, to) {
        return Ok(Moved::Refused);
    }
    if !store.transition_task(id, from, to, patch, now)? {
        return Ok(Moved::Lost);
    }
    let Some(row) = store.task(id)? else {
        return Ok(Moved::Lost);
    };
    Ok(Moved::Won(TaskTransition {
        task_id: row.id,
        from,
        to,
        label: row.label,
        family: row.family,
        route: row.route,
        error: row.error,
    }))
}

/// The family of a route id: the part before the dot (`suno.generate` -> `suno`).
pub fn family_of(route: &str) -> &str {
    route.split_once('.').map_or(route, |(family, _)| family)
}

/// The body's model: `model` for most families, `mv` or `model_name` where the family names it
/// so (Suno, Kling).
pub fn model_of(body: &serde_json::Value) -> Option<String> {
    ["model", "mv", "model_name"]
        .into_iter()
        .find_map(|k| body.get(k).and_then(|v| v.as_str()))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The user's label, else the title or prompt's first words, else the route.
pub fn label_for(label: Option<&str>, route: &str, body: &serde_json::Value) -> String {
    let given = label.map(str::trim).filter(|s| !s.is_empty());
    let from_body = || {
        ["title", "prompt", "gpt_description_prompt"]
            .into_iter()
            .find_map(|k| body.get(k).and_then(|v| v.as_str()))
            .or_else(|| body.pointer("/input/prompt").and_then(|v| v.as_str()))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let text = given.or_else(from_body).unwrap_or(route);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > LABEL_CHARS {
        let cut: String = one_line.chars().take(LABEL_CHARS).collect();
        format!("{}…", cut.trim_end())
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn terminal_states_stay_put_except_succeeded_to_expired() {
        for from in TaskState::ALL {
            for to in TaskState::ALL {
                let ok = allowed(from, to);
                if from.is_terminal() {
                    assert_eq!(
                        ok,
                        from == TaskState::Succeeded && to == TaskState::Expired,
                        "{from:?} -> {to:?}"
                    );
                }
                if to == TaskState::Submitting || from == to {
                    assert!(!ok, "{from:?} -> {to:?}");
                }
            }
        }
        assert!(allowed(TaskState::Queued, TaskState::Succeeded));
        assert!(allowed(TaskState::Partial, TaskState::Failed));
    }

    #[test]
    fn labels_and_models_come_from_the_body() {
        let body = json!({"prompt": "  a slow\nsynth  song ", "mv": "V4_5"});
        assert_eq!(label_for(None, "suno.generate", &body), "a slow synth song");
        assert_eq!(
            label_for(Some("Night drive"), "suno.generate", &body),
            "Night drive"
        );
        assert_eq!(label_for(Some("  "), "x.y", &json!({})), "x.y");
        assert_eq!(model_of(&body).as_deref(), Some("V4_5"));
        let long = "word ".repeat(40);
        assert!(label_for(None, "r", &json!({"prompt": long})).ends_with('…'));
        assert_eq!(family_of("dashscope.video"), "dashscope");
        assert_eq!(family_of("plain"), "plain");
    }
}
