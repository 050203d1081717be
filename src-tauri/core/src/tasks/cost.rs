//! What a finished task cost, when its model has a price (issue 9 part 6, "cost if known"):
//! the user's price table (`ledger::Price`: `per_image`, `per_video_second`, `per_song`)
//! applied to what the task made: its images, its video seconds, its songs. What the gateway
//! itself reported (a stored `cost_amount`) wins over this. No price for the model, or for the
//! unit the task made, is "no price" (`None`), never a guessed zero.
//!
//! Video seconds come from the last answer when the family says them (OpenAI `seconds`, Kling
//! `task_result.videos[].duration`, DashScope `usage.video_duration`), else from the request's
//! `duration`.

use super::routes::RouteId;
use super::view::{TaskCost, TaskRow};
use super::{ArtifactKind, TaskState};
use crate::ledger::Price;
use crate::store::StoreError;
use serde_json::Value;

/// What a task made, as the cost needs it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Made {
    pub images: u32,
    pub videos: u32,
    pub audio: u32,
    pub video_seconds: Option<f64>,
}

impl Made {
    /// Counts `kinds`, and reads the video length from `last_answer` or `request`.
    pub fn of(kinds: &[ArtifactKind], request: &Value, last_answer: Option<&Value>) -> Self {
        let count = |k: ArtifactKind| kinds.iter().filter(|x| **x == k).count() as u32;
        Made {
            images: count(ArtifactKind::Image),
            videos: count(ArtifactKind::Video),
            audio: count(ArtifactKind::Audio),
            video_seconds: last_answer
                .and_then(answered_seconds)
                .or_else(|| requested_seconds(request)),
        }
    }
}

/// A number, or a string of one (`"5"`, Kling and OpenAI send both).
fn number(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .filter(|n: &f64| n.is_finite() && *n > 0.0)
}

fn answered_seconds(answer: &Value) -> Option<f64> {
    if let Some(s) = answer.get("seconds").and_then(number) {
        return Some(s);
    }
    if let Some(s) = answer.pointer("/usage/video_duration").and_then(number) {
        return Some(s);
    }
    let videos = answer.pointer("/data/task_result/videos")?.as_array()?;
    let total: f64 = videos
        .iter()
        .filter_map(|v| v.get("duration").and_then(number))
        .sum();
    (total > 0.0).then_some(total)
}

fn requested_seconds(request: &Value) -> Option<f64> {
    request
        .get("duration")
        .or_else(|| request.pointer("/parameters/duration"))
        .and_then(number)
}

/// Routes whose audio files are songs (priced `per_song`); stems, WAV and vocal removal make
/// audio files that are not new songs, so they have no song price.
fn makes_songs(route: &str) -> bool {
    matches!(
        RouteId::parse(route),
        Some(
            RouteId::SunoGenerate
                | RouteId::SunoExtend
                | RouteId::SunoUploadCover
                | RouteId::SunoUploadExtend
                | RouteId::SunoAddVocals
                | RouteId::SunoAddInstrumental
                | RouteId::SunoReplaceSection
        )
    )
}

fn amount_text(n: f64) -> String {
    let s = format!("{n:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The task's cost from `price` (its model's), or `None`: not finished with files, or no price
/// for what it made.
pub fn reckon(row: &TaskRow, made: &Made, price: Option<&Price>) -> Option<TaskCost> {
    if !matches!(row.state, TaskState::Succeeded | TaskState::Expired) {
        return None;
    }
    let price = price?;
    let cur = &price.currency;
    let mut amount = 0.0;
    let mut parts = Vec::new();
    // `count` files priced `each` apiece; no price for them is no cost at all.
    let mut per_file = |count: u32, each: Option<f64>, one: &str| -> Option<()> {
        if count > 0 {
            let each = each?;
            amount += each * f64::from(count);
            parts.push(format!(
                "{} × {} {cur}",
                plural(count, one),
                amount_text(each)
            ));
        }
        Some(())
    };
    per_file(made.images, price.per_image, "image")?;
    let songs = if makes_songs(&row.route) {
        made.audio
    } else {
        0
    };
    per_file(songs, price.per_song, "song")?;
    if made.videos > 0 {
        let (each, seconds) = (price.per_video_second?, made.video_seconds?);
        amount += each * seconds;
        parts.push(format!(
            "{} s of video × {} {cur}",
            amount_text(seconds),
            amount_text(each)
        ));
    }
    if parts.is_empty() {
        return None;
    }
    Some(TaskCost {
        amount,
        unit: cur.clone(),
        basis: parts.join(" + "),
    })
}

impl super::center::TaskCenter {
    /// Fills the cost of each finished row the gateway gave none for, from the price table.
    pub(super) fn price_rows(&self, rows: &mut [TaskRow]) -> Result<(), StoreError> {
        let wants = |r: &TaskRow| {
            r.cost.is_none() && matches!(r.state, TaskState::Succeeded | TaskState::Expired)
        };
        if !rows.iter().any(wants) {
            return Ok(());
        }
        let store = self.store();
        let prices = store.prices()?;
        for row in rows.iter_mut().filter(|r| wants(r)) {
            let Some(price) = prices.iter().find(|p| Some(&p.model) == row.model.as_ref()) else {
                continue;
            };
            let request = store.task_request(&row.id)?.unwrap_or(Value::Null);
            let kinds: Vec<ArtifactKind> = store
                .task_artifacts(&row.id)?
                .into_iter()
                .map(|a| a.view.kind)
                .collect();
            let (polls, _) = store.task_polls(&row.id)?;
            let last = polls
                .iter()
                .rev()
                .find(|p| p.state.is_some())
                .map(|p| &p.body);
            row.cost = reckon(row, &Made::of(&kinds, &request, last), Some(price));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(route: &str, state: TaskState) -> TaskRow {
        let mut r: TaskRow = serde_json::from_value(json!({
            "id": "t", "connectionId": "c", "route": route, "family": "x", "model": "m",
            "label": "l", "state": "succeeded", "rawStatus": null, "progress": null,
            "createdAt": "", "updatedAt": "", "finishedAt": null, "gatewayTaskId": null,
            "error": null, "artifactCount": 0, "parentTaskId": null, "rerunOf": null, "cost": null
        }))
        .unwrap();
        r.state = state;
        r
    }

    fn price(image: Option<f64>, second: Option<f64>, song: Option<f64>) -> Price {
        Price {
            model: "m".into(),
            input_per_mtok: None,
            output_per_mtok: None,
            cached_input_per_mtok: None,
            per_image: image,
            per_video_second: second,
            per_song: song,
            currency: "USD".into(),
        }
    }

    #[test]
    fn images_songs_and_video_seconds_are_priced_from_what_the_task_made() {
        use ArtifactKind::{Audio, Image, Video};
        let p = price(Some(0.04), Some(0.05), Some(0.1));
        let images = Made::of(&[Image, Image, Image], &json!({}), None);
        let c = reckon(
            &row("openai.images", TaskState::Succeeded),
            &images,
            Some(&p),
        )
        .unwrap();
        assert!((c.amount - 0.12).abs() < 1e-9);
        assert_eq!(
            (c.unit.as_str(), c.basis.as_str()),
            ("USD", "3 images × 0.04 USD")
        );

        // The answer's seconds win over the request's; Kling's are per video, as strings.
        let openai = Made::of(
            &[Video],
            &json!({"duration": 5}),
            Some(&json!({"seconds": "8"})),
        );
        let c = reckon(
            &row("openai.videos", TaskState::Succeeded),
            &openai,
            Some(&p),
        )
        .unwrap();
        assert!((c.amount - 0.4).abs() < 1e-9, "{c:?}");
        assert_eq!(c.basis, "8 s of video × 0.05 USD");
        let kling = json!({"data": {"task_result": {"videos": [{"duration": "5.1"}]}}});
        let made = Made::of(&[Video], &json!({}), Some(&kling));
        assert_eq!(made.video_seconds, Some(5.1));
        let dash = json!({"usage": {"video_duration": 10}});
        assert_eq!(
            Made::of(&[Video], &json!({}), Some(&dash)).video_seconds,
            Some(10.0)
        );
        let asked = Made::of(&[Video], &json!({"parameters": {"duration": "6"}}), None);
        assert_eq!(asked.video_seconds, Some(6.0));

        // A song task with its cover image: both counted.
        let song = Made::of(&[Audio, Audio, Image], &json!({}), None);
        let c = reckon(&row("suno.generate", TaskState::Succeeded), &song, Some(&p)).unwrap();
        assert!((c.amount - 0.24).abs() < 1e-9);
        assert_eq!(c.basis, "1 image × 0.04 USD + 2 songs × 0.1 USD");
    }

    #[test]
    fn no_price_unknown_seconds_unfinished_tasks_and_stems_have_no_cost() {
        use ArtifactKind::{Audio, Image, Video};
        let done = row("openai.images", TaskState::Succeeded);
        let two = Made::of(&[Image, Image], &json!({}), None);
        assert_eq!(reckon(&done, &two, None), None, "no price for the model");
        let songs_only = price(None, None, Some(0.1));
        assert_eq!(
            reckon(&done, &two, Some(&songs_only)),
            None,
            "no image price"
        );
        let p = price(Some(0.04), Some(0.05), Some(0.1));
        let running = row("openai.images", TaskState::Running);
        assert_eq!(reckon(&running, &two, Some(&p)), None);
        let failed = row("openai.images", TaskState::Failed);
        assert_eq!(reckon(&failed, &two, Some(&p)), None);
        let video = Made::of(&[Video], &json!({}), None);
        assert_eq!(
            reckon(
                &row("openai.videos", TaskState::Succeeded),
                &video,
                Some(&p)
            ),
            None
        );
        let stems = Made::of(&[Audio; 4], &json!({}), None);
        assert_eq!(
            reckon(
                &row("suno.split_stem", TaskState::Succeeded),
                &stems,
                Some(&p)
            ),
            None
        );
        let expired = row("openai.images", TaskState::Expired);
        assert!(
            reckon(&expired, &two, Some(&p)).is_some(),
            "expired files were still paid for"
        );
    }
}
