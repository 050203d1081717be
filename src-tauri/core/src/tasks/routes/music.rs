//! The fields of the `/suno/*` routes (contract §3.10). The AnyInt pages list only
//! `/suno/generate`'s fields; the others follow the upstream Suno API (sunoapi.org / kie.ai) the
//! contract says AnyInt mirrors, including which fields it requires (`callBackUrl`, `audioId`).

use super::{when, Condition, FieldKind as K, FieldSpec as F, FileEmbed, RouteId};
use serde_json::{json, Value};

const MODELS: &[&str] = &["V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5"];

fn is(path: &str, value: Value) -> Condition {
    when(path, &[value])
}

/// Custom mode is on (`customMode: true`).
fn custom() -> Condition {
    is("/customMode", json!(true))
}

/// Simple mode: `customMode` false or not set.
fn simple() -> Condition {
    when("/customMode", &[json!(false), Value::Null])
}

fn v4() -> Condition {
    is("/model", json!("V4"))
}

fn callback() -> F {
    F::new("/callBackUrl", "Callback URL", K::Url)
        .required()
        .set_by_app()
        .help("Upstream requires one; the app polls either way (decision 4).")
}

fn model(required: bool) -> F {
    let f = F::new("/model", "Model", K::Choice).choice(MODELS);
    if required {
        f.required()
    } else {
        f
    }
}

/// `prompt`, `style` and `title` with the contract's limits: custom mode prompt 3000 (V4) or
/// 5000, style 200 (V4) or 1000, title 80; simple mode prompt 500.
fn song_text(prompt_required_in_custom: bool) -> Vec<F> {
    let vocal_custom = vec![custom(), is("/instrumental", json!(false))];
    let prompt = F::new("/prompt", "Prompt or lyrics", K::LongText)
        .max_chars_when(vec![simple()], 500)
        .max_chars_when(vec![v4()], 3000)
        .max_chars(5000)
        .help("A description in simple mode; the lyrics in custom mode.");
    let prompt = if prompt_required_in_custom {
        // Custom mode with vocals sings the prompt as lyrics, so it must be there.
        prompt
            .required_when(vec![simple()])
            .required_when(vocal_custom)
    } else {
        prompt.required_when(vec![simple()])
    };
    vec![
        prompt,
        F::new("/style", "Style", K::Text)
            .required_when(vec![custom()])
            .max_chars_when(vec![v4()], 200)
            .max_chars(1000),
        F::new("/title", "Title", K::Text)
            .required_when(vec![custom()])
            .max_chars(80),
    ]
}

/// Optional tuning every song route takes [UPSTREAM].
fn tuning() -> Vec<F> {
    vec![
        F::new("/negativeTags", "Exclude styles", K::Text),
        F::new("/vocalGender", "Vocal gender", K::Choice).choice(&["m", "f"]),
        F::new("/styleWeight", "Style weight", K::Number).range(0.0, 1.0),
        F::new("/weirdnessConstraint", "Weirdness", K::Number).range(0.0, 1.0),
        F::new("/audioWeight", "Audio weight", K::Number).range(0.0, 1.0),
        F::new("/personaId", "Persona", K::Text),
    ]
}

fn source_task() -> F {
    F::new("/taskId", "Source task", K::Text).required()
}

fn source_audio() -> F {
    F::new("/audioId", "Source audio id", K::Text).required()
}

/// [UPSTREAM] audio the Suno routes take; the size bound is ours (upstream documents none).
const AUDIO: &[&str] = &[
    "audio/mpeg",
    "audio/wav",
    "audio/x-wav",
    "audio/mp4",
    "audio/x-m4a",
    "audio/aac",
    "audio/flac",
    "audio/ogg",
];

fn upload() -> F {
    // Contract §3.10: audio of at most 8 minutes, 1 minute for V4_5ALL (stated for
    // upload-cover/extend; add-vocals/instrumental take the same `uploadUrl` upstream).
    // `uploadUrl` must be a URL, so a local file is first put on the gateway's file route.
    F::new("/uploadUrl", "Source audio", K::Url)
        .required()
        .or_file(AUDIO, 100, FileEmbed::Hosted)
        .max_seconds_when(vec![is("/model", json!("V4_5ALL"))], 60.0)
        .max_seconds_when(Vec::new(), 480.0)
        .help("A URL, or a local file (uploaded to the gateway first).")
}

pub(super) fn fields(route: RouteId) -> Vec<F> {
    let mut f = match route {
        RouteId::SunoGenerate | RouteId::SunoUploadCover => {
            let mut f = vec![
                F::new("/customMode", "Custom mode", K::Boolean).required(),
                F::new("/instrumental", "Instrumental", K::Boolean).required(),
                model(true),
            ];
            if route == RouteId::SunoUploadCover {
                f.insert(0, upload());
            }
            f.extend(song_text(true));
            f.extend(tuning());
            f
        }
        RouteId::SunoExtend | RouteId::SunoUploadExtend => {
            // [UPSTREAM] with `defaultParamFlag: true` the new prompt, style, title and the
            // point to continue at are required; false reuses the source's.
            let own = || vec![is("/defaultParamFlag", json!(true))];
            let mut f = vec![
                if route == RouteId::SunoExtend {
                    source_audio()
                } else {
                    upload()
                },
                F::new("/defaultParamFlag", "Use my own parameters", K::Boolean).required(),
                model(true).help("Must match the source song's model."),
                F::new("/prompt", "Prompt or lyrics", K::LongText)
                    .required_when(own())
                    .max_chars_when(vec![v4()], 3000)
                    .max_chars(5000),
                F::new("/style", "Style", K::Text)
                    .required_when(own())
                    .max_chars_when(vec![v4()], 200)
                    .max_chars(1000),
                F::new("/title", "Title", K::Text)
                    .required_when(own())
                    .max_chars(80),
                F::new("/continueAt", "Continue at (s)", K::Number)
                    .required_when(own())
                    .range(0.0, 480.0),
            ];
            if route == RouteId::SunoUploadExtend {
                f.insert(1, F::new("/instrumental", "Instrumental", K::Boolean));
            }
            f.extend(tuning());
            f
        }
        // [UPSTREAM] the lyrics prompt is at most 200 characters.
        RouteId::SunoLyrics => vec![F::new("/prompt", "Prompt", K::LongText)
            .required()
            .max_chars(200)],
        RouteId::SunoTimestampedLyrics => vec![source_task(), source_audio()],
        RouteId::SunoStyle => vec![F::new("/content", "Style hint", K::Text)
            .required()
            .help("e.g. Pop, Mysterious")],
        RouteId::SunoCoverArt => vec![source_task()],
        RouteId::SunoAddVocals => {
            let mut f = vec![
                upload(),
                F::new("/prompt", "Lyrics or description", K::LongText)
                    .required()
                    .max_chars(5000),
                F::new("/title", "Title", K::Text).required().max_chars(80),
                F::new("/style", "Style", K::Text)
                    .required()
                    .max_chars(1000),
                F::new("/negativeTags", "Exclude styles", K::Text).required(),
                model(false),
            ];
            f.extend(tuning().into_iter().filter(|t| t.path != "/negativeTags"));
            f
        }
        RouteId::SunoAddInstrumental => {
            let mut f = vec![
                upload(),
                F::new("/title", "Title", K::Text).required().max_chars(80),
                F::new("/tags", "Style tags", K::Text)
                    .required()
                    .max_chars(1000),
                F::new("/negativeTags", "Exclude styles", K::Text).required(),
                model(false),
            ];
            f.extend(tuning().into_iter().filter(|t| t.path != "/negativeTags"));
            f
        }
        RouteId::SunoPersona => vec![
            source_task(),
            source_audio(),
            F::new("/name", "Persona name", K::Text).required(),
            F::new("/description", "Description", K::LongText).required(),
        ],
        RouteId::SunoVocalRemoval => vec![
            source_task(),
            source_audio(),
            F::new("/type", "Separation", K::Choice)
                .choice(&["separate_vocal", "split_stem"])
                .default(json!("separate_vocal")),
        ],
        RouteId::SunoSplitStem | RouteId::SunoWav => vec![source_task(), source_audio()],
        RouteId::SunoReplaceSection => vec![
            source_task(),
            source_audio(),
            F::new("/prompt", "New lyrics for the section", K::LongText)
                .required()
                .max_chars(5000),
            F::new("/tags", "Style tags", K::Text)
                .required()
                .max_chars(1000),
            F::new("/title", "Title", K::Text).required().max_chars(80),
            // [UPSTREAM] the window is 6 to 60 s (and at most half the song: checked upstream).
            F::new("/infillStartS", "Section start (s)", K::Number)
                .required()
                .range(0.0, 480.0),
            F::new("/infillEndS", "Section end (s)", K::Number)
                .required()
                .range(0.0, 480.0),
            F::new("/negativeTags", "Exclude styles", K::Text),
            F::new("/fullLyrics", "Full lyrics after the change", K::LongText),
        ],
        RouteId::SunoMp4 => vec![
            source_task(),
            source_audio(),
            F::new("/author", "Author", K::Text).max_chars(50),
            F::new("/domainName", "Domain name", K::Text).max_chars(50),
        ],
        _ => Vec::new(),
    };
    if !route.is_sync() {
        f.push(callback());
    }
    f
}
