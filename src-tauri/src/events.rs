//! Core events -> desktop notifications. The core's loops decide what is due and record it
//! (each reminder fires once; each finished task is marked notified); this file only shows
//! what they raise, and words a finished task's notification after the task.

use anyint_core::keys::Reminder;
use anyint_core::tasks::view::TaskTransition;
use anyint_core::tasks::TaskState;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

/// The notification's `extra` key that carries the task id, read back when it is clicked.
pub const TASK_ID_EXTRA: &str = "taskId";

/// Longest failure text put into a title: notification servers cut long titles anyway, and
/// the whole message is on the task's page.
const TITLE_ERROR_CHARS: usize = 80;

/// Shows one key reminder as a desktop notification.
pub fn show_reminder(app: &AppHandle, reminder: Reminder) {
    // Off in Settings: the reminder is still recorded by the core and listed in Keys.
    let enabled = app
        .try_state::<anyint_core::Desk>()
        .is_none_or(|desk| desk.notifications_enabled().unwrap_or(true));
    if !enabled {
        tracing::info!("key reminder not shown: notifications are off in Settings");
        return;
    }
    let shown = app
        .notification()
        .builder()
        .title("AnyInt Desk: key reminder")
        .body(reminder.message())
        .show();
    if let Err(e) = shown {
        tracing::warn!("could not show a key reminder: {e}");
    }
}

/// A finished task's notification, worded after the task: "Song “Night drive” is ready",
/// "Video failed: content policy".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskNotice {
    pub title: String,
    pub body: String,
}

impl TaskNotice {
    /// The notice for a transition into a terminal state; `None` for any other transition.
    pub fn of(t: &TaskTransition) -> Option<Self> {
        Self::new(&t.route, &t.label, t.to, t.error.as_deref())
    }

    /// The notice for a task of `route` called `label` that is now in `state`.
    pub fn new(route: &str, label: &str, state: TaskState, error: Option<&str>) -> Option<Self> {
        let noun = noun_of(route);
        let label = label.trim();
        let named = if label.is_empty() {
            noun.to_owned()
        } else {
            format!("{noun} “{label}”")
        };
        let reason = error
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| shorten(e, TITLE_ERROR_CHARS));
        let (title, body) = match state {
            TaskState::Succeeded => (format!("{named} is ready"), "Open it in Tasks.".to_owned()),
            TaskState::Failed => (
                match &reason {
                    Some(r) => format!("{noun} failed: {r}"),
                    None => format!("{noun} failed"),
                },
                format!("{named}: nothing was saved. Re-run it from Tasks."),
            ),
            TaskState::Cancelled => (
                format!("{named} was cancelled"),
                "It is no longer tracked.".to_owned(),
            ),
            TaskState::Expired => (
                format!("{named} expired"),
                "Its download link lapsed before it was saved. Re-run it from Tasks.".to_owned(),
            ),
            TaskState::Submitting | TaskState::Queued | TaskState::Running | TaskState::Partial => {
                return None
            }
        };
        Some(Self { title, body })
    }
}

/// What the task makes, from its route id: the word a person would use for it. Exhaustive,
/// so a new route needs its word here.
fn noun_of(route: &str) -> &'static str {
    use anyint_core::tasks::routes::RouteId as R;
    let Some(id) = R::parse(route) else {
        return "Task";
    };
    match id {
        R::OpenAiVideos
        | R::DashScopeVideo
        | R::KlingOmniVideo
        | R::KlingText2Video
        | R::KlingImage2Video => "Video",
        R::OpenAiImages
        | R::GeminiImage
        | R::DashScopeImage
        | R::KlingImage
        | R::KlingOmniImage => "Image",
        R::SunoGenerate
        | R::SunoExtend
        | R::SunoUploadCover
        | R::SunoUploadExtend
        | R::SunoAddVocals
        | R::SunoAddInstrumental
        | R::SunoReplaceSection => "Song",
        R::SunoLyrics | R::SunoTimestampedLyrics => "Lyrics",
        R::SunoStyle => "Style",
        R::SunoCoverArt => "Cover art",
        R::SunoPersona => "Persona",
        R::SunoVocalRemoval | R::SunoSplitStem => "Stems",
        R::SunoWav => "WAV",
        R::SunoMp4 => "Music video",
    }
}

/// `text` on one line, cut to `max` characters with `…`.
fn shorten(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// Shows a finished task's notification. The task id rides along as `extra`, so a click on
/// the notification (see `task_feed`) knows which task to open.
/// Shows the notification; false when the notification server refused it.
pub fn show_task_notice<R: Runtime>(
    app: &AppHandle<R>,
    task_id: &str,
    notice: &TaskNotice,
) -> bool {
    let shown = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&notice.body)
        .extra(TASK_ID_EXTRA, task_id)
        .show();
    match shown {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(task_id, "could not show a task notification: {e}");
            false
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn transition(route: &str, label: &str, to: TaskState, error: Option<&str>) -> TaskTransition {
        TaskTransition {
            task_id: "t1".into(),
            from: TaskState::Running,
            to,
            label: label.into(),
            family: route.split('.').next().unwrap().into(),
            route: route.into(),
            error: error.map(str::to_owned),
        }
    }

    #[test]
    fn a_song_that_finished_is_ready_by_name() {
        let n = TaskNotice::of(&transition(
            "suno.generate",
            "Night drive",
            TaskState::Succeeded,
            None,
        ))
        .unwrap();
        assert_eq!(n.title, "Song “Night drive” is ready");
    }

    #[test]
    fn a_failed_video_says_why_in_the_title_and_names_itself_in_the_body() {
        let n = TaskNotice::of(&transition(
            "openai.videos",
            "Beach at dusk",
            TaskState::Failed,
            Some("content policy"),
        ))
        .unwrap();
        assert_eq!(n.title, "Video failed: content policy");
        assert!(n.body.contains("Video “Beach at dusk”"), "{}", n.body);
    }

    #[test]
    fn each_family_and_route_gets_its_noun() {
        for (route, noun) in [
            ("suno.extend", "Song"),
            ("suno.lyrics", "Lyrics"),
            ("suno.timestamped_lyrics", "Lyrics"),
            ("suno.wav", "WAV"),
            ("suno.mp4", "Music video"),
            ("suno.split_stem", "Stems"),
            ("suno.vocal_removal", "Stems"),
            ("suno.cover_art", "Cover art"),
            ("suno.upload_cover", "Song"),
            ("suno.add_vocals", "Song"),
            ("dashscope.video", "Video"),
            ("gemini.image", "Image"),
            ("kling.omni_image", "Image"),
            ("kling.image2video", "Video"),
            ("openai.images", "Image"),
            ("suno.replace_section", "Song"),
            ("suno.style", "Style"),
            ("suno.persona", "Persona"),
            ("mystery.thing", "Task"),
        ] {
            let n = TaskNotice::of(&transition(route, "x", TaskState::Succeeded, None)).unwrap();
            assert_eq!(n.title, format!("{noun} “x” is ready"), "{route}");
        }
    }

    #[test]
    fn only_terminal_states_are_announced() {
        for to in TaskState::ALL {
            let notice = TaskNotice::of(&transition("suno.generate", "x", to, None));
            assert_eq!(notice.is_some(), to.is_terminal(), "{to:?}");
        }
    }

    #[test]
    fn a_long_failure_is_cut_on_one_line_and_a_blank_label_is_left_out() {
        let long = format!("line one\n{}", "word ".repeat(40));
        let n = TaskNotice::of(&transition(
            "kling.text2video",
            " ",
            TaskState::Failed,
            Some(&long),
        ))
        .unwrap();
        assert!(n.title.starts_with("Video failed: line one word"));
        assert!(n.title.ends_with('…') && !n.title.contains('\n'));
        assert!(n.title.chars().count() <= "Video failed: ".len() + TITLE_ERROR_CHARS + 1);
        assert!(n.body.starts_with("Video: nothing was saved"), "{}", n.body);
    }
}
