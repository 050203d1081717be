//! The ledger's media and music side: what one created task counts in the units the price
//! table prices (images, seconds of video, songs), read from the request as sent, since a
//! task is paid for when it is created. Counts follow the contract's bodies (§3.8-3.10):
//! `n` images (1 when absent), `seconds` / `duration` of video (the route's documented
//! default when absent), and one song per Suno generation (upstream returns two variations
//! of one generation for one price; the price table's "per song" is per generation).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// One created task's units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskUnits {
    pub images: u32,
    pub video_seconds: f64,
    pub songs: u32,
}

impl TaskUnits {
    pub fn is_empty(&self) -> bool {
        self.images == 0 && self.video_seconds <= 0.0 && self.songs == 0
    }
}

/// A row to append for a created task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskUsageEntry {
    pub at: String,
    pub task_id: String,
    pub route: String,
    pub model: String,
    pub connection_id: Option<String>,
    pub key_fingerprint: Option<String>,
    pub units: TaskUnits,
}

fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        // Kling and OpenAI send durations as strings ("5", "8").
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// What a task on `route` with `body` counts. Routes that make no image, video or song
/// (lyrics, styles, stems, cover art...) count nothing.
pub fn units_of(route: &str, body: &Value) -> TaskUnits {
    let count = |v: Option<f64>| v.filter(|n| *n >= 1.0).map_or(1, |n| n as u32);
    let seconds = |v: Option<f64>, default: f64| v.filter(|s| *s > 0.0).unwrap_or(default);
    let mut u = TaskUnits::default();
    match route {
        "openai.images" | "kling.image" | "kling.omni_image" => {
            u.images = count(number(body.get("n")));
        }
        "dashscope.image" => u.images = count(number(body.pointer("/parameters/n"))),
        "gemini.image" => u.images = 1,
        // OpenAI's documented default is 4 seconds; DashScope's and Kling's 5.
        "openai.videos" => u.video_seconds = seconds(number(body.get("seconds")), 4.0),
        "dashscope.video" => {
            u.video_seconds = seconds(number(body.pointer("/parameters/duration")), 5.0);
        }
        "kling.omni_video" | "kling.text2video" | "kling.image2video" => {
            u.video_seconds = seconds(number(body.get("duration")), 5.0);
        }
        "suno.generate"
        | "suno.extend"
        | "suno.upload_cover"
        | "suno.upload_extend"
        | "suno.add_vocals"
        | "suno.add_instrumental"
        | "suno.replace_section" => u.songs = 1,
        _ => {}
    }
    u
}

/// A created task's CSV line, in the request lines' columns (see `ledger::to_csv`).
pub(super) fn csv_fields(t: &TaskUsageEntry) -> Vec<String> {
    let mut f = vec![
        t.at.clone(),
        String::new(),
        t.connection_id.clone().unwrap_or_default(),
        t.key_fingerprint.clone().unwrap_or_default(),
        String::new(),
        "task".to_owned(),
        t.model.clone(),
        "created".to_owned(),
    ];
    // http_status, the four token counts, latency and TTFT: a task has none of them here.
    f.extend(std::iter::repeat_n(String::new(), 7));
    f.extend([
        t.task_id.clone(),
        t.route.clone(),
        t.units.images.to_string(),
        format!("{}", t.units.video_seconds),
        t.units.songs.to_string(),
    ]);
    f
}

/// What `units` cost at `price`; `None` when a needed unit price is missing.
pub fn task_cost(price: &super::Price, units: &TaskUnits) -> Option<f64> {
    let mut cost = 0.0;
    if units.images > 0 {
        cost += f64::from(units.images) * price.per_image?;
    }
    if units.video_seconds > 0.0 {
        cost += units.video_seconds * price.per_video_second?;
    }
    if units.songs > 0 {
        cost += f64::from(units.songs) * price.per_song?;
    }
    Some(cost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn units_follow_the_request() {
        assert_eq!(units_of("openai.images", &json!({"n": 3})).images, 3);
        assert_eq!(units_of("openai.images", &json!({})).images, 1);
        assert_eq!(
            units_of("dashscope.image", &json!({"parameters": {"n": 2}})).images,
            2
        );
        assert_eq!(
            units_of("openai.videos", &json!({"seconds": "8"})).video_seconds,
            8.0
        );
        assert_eq!(units_of("openai.videos", &json!({})).video_seconds, 4.0);
        assert_eq!(
            units_of("kling.text2video", &json!({"duration": 10})).video_seconds,
            10.0
        );
        assert_eq!(units_of("suno.generate", &json!({})).songs, 1);
        assert!(units_of("suno.lyrics", &json!({})).is_empty());
    }

    #[test]
    fn a_cost_needs_every_unit_price_used() {
        let mut p = super::super::Price {
            model: "m".into(),
            input_per_mtok: None,
            output_per_mtok: None,
            cached_input_per_mtok: None,
            per_image: Some(0.04),
            per_video_second: None,
            per_song: None,
            currency: "USD".into(),
        };
        let images = TaskUnits {
            images: 3,
            ..TaskUnits::default()
        };
        assert!((task_cost(&p, &images).unwrap() - 0.12).abs() < 1e-12);
        let video = TaskUnits {
            video_seconds: 5.0,
            ..TaskUnits::default()
        };
        assert_eq!(task_cost(&p, &video), None);
        p.per_video_second = Some(0.1);
        assert!((task_cost(&p, &video).unwrap() - 0.5).abs() < 1e-12);
    }
}
