//! The fields of the image and video routes (OpenAI-style, Gemini, DashScope, Kling), with the
//! limits the contract documents (§3.4-3.9) and, where it is silent, the upstream provider's.

use super::{when, FieldKind as K, FieldSpec as F, FileEmbed, RouteId};

/// [UPSTREAM] Kling: an image input is a URL or the bare base64 of a JPG/PNG of at most 10 MB.
fn kling_image_input(path: &str, label: &str) -> F {
    F::new(path, label, K::Url).or_file(&["image/jpeg", "image/png"], 10, FileEmbed::Base64)
}
use serde_json::{json, Value};

/// [UPSTREAM] Kling API: `prompt` and `negative_prompt` are at most 2500 characters.
const KLING_PROMPT_MAX: u32 = 2500;
/// [UPSTREAM] Kling: aspect ratios of its image and video models.
const KLING_RATIOS: &[&str] = &["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"];
const VIDEO_RATIOS: &[&str] = &["16:9", "9:16", "1:1"];

pub(super) fn fields(route: RouteId) -> Vec<F> {
    match route {
        RouteId::OpenAiVideos => openai_videos(),
        RouteId::OpenAiImages => openai_images(),
        RouteId::GeminiImage => gemini_image(),
        RouteId::DashScopeImage => dashscope_image(),
        RouteId::DashScopeVideo => dashscope_video(),
        RouteId::KlingImage => kling_image(),
        RouteId::KlingOmniImage => kling_omni_image(),
        RouteId::KlingOmniVideo => kling_video(&["kling-v3-omni"], true),
        RouteId::KlingText2Video => kling_video(&["kling-v3"], false),
        RouteId::KlingImage2Video => {
            let mut f = kling_video(&["kling-v3"], false);
            // [UPSTREAM] Kling image2video: the image is required, the prompt is not.
            for field in &mut f {
                if field.path == "/prompt" {
                    field.presence = super::Presence::Optional;
                }
            }
            f.insert(
                2,
                kling_image_input("/image", "First frame image").required(),
            );
            f.push(kling_image_input("/image_tail", "Last frame image"));
            f
        }
        _ => Vec::new(),
    }
}

/// Contract §3.5 (`POST /openai/v1/videos`).
fn openai_videos() -> Vec<F> {
    vec![
        F::new("/model", "Model", K::Choice)
            .required()
            .choice(&["kling-3.0", "kling-v3-omni"])
            .open(),
        F::new("/prompt", "Prompt", K::LongText)
            .required()
            .max_chars(KLING_PROMPT_MAX)
            .help("The contract routes these models to Kling, whose prompt limit applies."),
        // [UPSTREAM] Kling 3.0: 3 to 15 seconds; the contract: "allowed values depend on model".
        F::new("/duration", "Duration (s)", K::Integer)
            .range(3.0, 15.0)
            .default(json!(5)),
        F::new("/aspect_ratio", "Aspect ratio", K::Choice).choice(VIDEO_RATIOS),
        F::new("/mode", "Mode", K::Choice).choice(&["std", "pro"]),
        F::new("/generate_audio", "Generate audio", K::Boolean),
        F::new("/sound", "Sound (Omni)", K::Choice).choice(&["on", "off"]),
        F::new("/image", "First frame image", K::Url),
        // [UPSTREAM] OpenAI `videos.create` takes `input_reference` as a multipart file (JPEG,
        // PNG, WebP); the size bound is ours, as upstream documents none.
        F::new("/input_reference", "Reference image", K::Url).or_file(
            &["image/jpeg", "image/png", "image/webp"],
            20,
            FileEmbed::Multipart,
        ),
        F::new("/frame_images", "Frame images", K::Json)
            .help(r#"[{"url":"https://…","role":"first_frame"}]"#),
    ]
}

/// Contract §3.4: the OpenAI images shape [UPSTREAM OpenAI].
fn openai_images() -> Vec<F> {
    vec![
        F::new("/model", "Model", K::Choice)
            .required()
            .choice(&["nano-banana-2", "kling-v2-1", "qwen-image-plus"])
            .open(),
        // [UPSTREAM] OpenAI: 32000 characters for gpt-image-1 (the longest it documents).
        F::new("/prompt", "Prompt", K::LongText)
            .required()
            .max_chars(32_000),
        // [UPSTREAM] OpenAI: 1 to 10 images.
        F::new("/n", "Images", K::Integer)
            .range(1.0, 10.0)
            .default(json!(1)),
        F::new("/size", "Size", K::Choice)
            .choice(&["1024x1024", "1536x1024", "1024x1536", "auto"])
            .open(),
        F::new("/response_format", "Response format", K::Choice).choice(&["url", "b64_json"]),
    ]
}

/// Contract §3.7: Gemini image output; the model goes in the path.
fn gemini_image() -> Vec<F> {
    vec![
        F::new("/model", "Model", K::Choice)
            .required()
            .choice(&["gemini-3.1-flash-image-preview", "nano-banana-2"])
            .open()
            .help("Sent in the route's path, not in the body."),
        F::new("/contents/0/parts/0/text", "Prompt", K::LongText).required(),
        F::new("/contents/0/role", "Role", K::Choice)
            .choice(&["user"])
            .default(json!("user"))
            .hidden(),
        // Contract §3.7: the image model requires both modalities.
        F::new(
            "/generationConfig/responseModalities",
            "Modalities",
            K::StringList,
        )
        .required()
        .includes(&["TEXT", "IMAGE"])
        .default(json!(["TEXT", "IMAGE"]))
        .hidden(),
    ]
}

/// Contract §3.8 and [UPSTREAM] DashScope qwen-image.
fn dashscope_image() -> Vec<F> {
    vec![
        F::new("/model", "Model", K::Choice)
            .required()
            .choice(&["qwen-image-plus"])
            .open(),
        // [UPSTREAM] qwen-image: the prompt is at most 800 characters, negative_prompt 500.
        F::new("/input/messages/0/content/0/text", "Prompt", K::LongText)
            .required()
            .max_chars(800),
        F::new("/input/messages/0/role", "Role", K::Choice)
            .required()
            .choice(&["user"])
            .default(json!("user"))
            .hidden(),
        F::new("/parameters/size", "Size", K::Choice).choice(&[
            "1664*928",
            "1472*1140",
            "1328*1328",
            "1140*1472",
            "928*1664",
        ]),
        F::new(
            "/parameters/negative_prompt",
            "Negative prompt",
            K::LongText,
        )
        .max_chars(500),
        F::new("/parameters/prompt_extend", "Extend prompt", K::Boolean),
        F::new("/parameters/watermark", "Watermark", K::Boolean),
        F::new("/parameters/seed", "Seed", K::Integer).range(0.0, 2_147_483_647.0),
    ]
}

/// Contract §3.8 (fields [UPSTREAM] DashScope Wan video-synthesis).
fn dashscope_video() -> Vec<F> {
    let wan25: Vec<Value> = ["wan2.5-t2v-preview", "wan2.5-i2v-preview"]
        .into_iter()
        .map(Value::from)
        .collect();
    vec![
        F::new("/model", "Model", K::Choice)
            .required()
            .choice(&[
                "wan2.5-t2v-preview",
                "wan2.5-i2v-preview",
                "wan2.2-t2v-plus",
            ])
            .open(),
        // [UPSTREAM] Wan 2.5 takes 2000 characters of prompt, Wan 2.2 and older 800.
        F::new("/input/prompt", "Prompt", K::LongText)
            .max_chars_when(vec![when("/model", &wan25)], 2000)
            .max_chars(800),
        // [UPSTREAM] DashScope Wan i2v: `img_url` is a URL or a base64 data URL of a JPEG, PNG,
        // BMP or WebP of at most 10 MB.
        F::new("/input/img_url", "First frame image", K::Url).or_file(
            &["image/jpeg", "image/png", "image/bmp", "image/webp"],
            10,
            FileEmbed::DataUrl,
        ),
        F::new("/input/audio_url", "Audio", K::Url),
        F::new("/input/negative_prompt", "Negative prompt", K::LongText).max_chars(500),
        F::new("/parameters/resolution", "Resolution", K::Choice)
            .choice(&["480P", "720P", "1080P"]),
        F::new("/parameters/size", "Size", K::Text).help("e.g. 1280*720"),
        F::new("/parameters/duration", "Duration (s)", K::Integer).range(1.0, 10.0),
        F::new("/parameters/prompt_extend", "Extend prompt", K::Boolean),
        F::new("/parameters/watermark", "Watermark", K::Boolean),
        F::new("/parameters/seed", "Seed", K::Integer).range(0.0, 2_147_483_647.0),
    ]
}

/// Fields every Kling native route takes (contract §3.9).
fn kling_common(models: &[&str]) -> Vec<F> {
    vec![
        F::new("/model_name", "Model", K::Choice)
            .required()
            .choice(models),
        F::new("/prompt", "Prompt", K::LongText)
            .required()
            .max_chars(KLING_PROMPT_MAX),
        F::new("/negative_prompt", "Negative prompt", K::LongText).max_chars(KLING_PROMPT_MAX),
        F::new("/callback_url", "Callback URL", K::Url).set_by_app(),
        F::new("/external_task_id", "External task id", K::Text),
    ]
}

/// Route 27 (`kling-v2-1`) [UPSTREAM Kling image generation].
fn kling_image() -> Vec<F> {
    let mut f = kling_common(&["kling-v2-1"]);
    f.extend([
        kling_image_input("/image", "Reference image"),
        F::new("/n", "Images", K::Integer)
            .range(1.0, 9.0)
            .default(json!(1)),
        F::new("/aspect_ratio", "Aspect ratio", K::Choice).choice(KLING_RATIOS),
    ]);
    f
}

/// Route 29 (`kling-v3-omni`): fields as contract §3.9 lists them.
fn kling_omni_image() -> Vec<F> {
    let mut ratios = KLING_RATIOS.to_vec();
    ratios.push("auto");
    let mut f = kling_common(&["kling-v3-omni"]);
    f.extend([
        F::new("/image_list", "Reference images", K::Json).help(r#"[{"image":"https://…"}]"#),
        F::new("/element_list", "Elements", K::Json).help(r#"[{"element_id":"…"}]"#),
        F::new("/resolution", "Resolution", K::Choice).choice(&["1k", "2k", "4k"]),
        F::new("/result_type", "Result", K::Choice).choice(&["single", "series"]),
        F::new("/n", "Images", K::Integer)
            .range(1.0, 9.0)
            .default(json!(1)),
        F::new("/aspect_ratio", "Aspect ratio", K::Choice).choice(&ratios),
    ]);
    f
}

/// Routes 31, 33, 34: the common video fields of contract §3.9.
fn kling_video(models: &[&str], omni: bool) -> Vec<F> {
    let mut f = kling_common(models);
    f.extend([
        F::new("/mode", "Mode", K::Choice)
            .choice(&["std", "pro"])
            .default(json!("std")),
        // [UPSTREAM] Kling 3.0: 3 to 15 seconds, sent as a number or a string of digits.
        F::new("/duration", "Duration (s)", K::Integer).range(3.0, 15.0),
        F::new("/aspect_ratio", "Aspect ratio", K::Choice).choice(VIDEO_RATIOS),
        F::new("/generate_audio", "Generate audio", K::Boolean),
        F::new("/voice_id", "Voice", K::Text),
    ]);
    if omni {
        f.push(F::new("/sound", "Sound", K::Choice).choice(&["on", "off"]));
        f.push(F::new("/image_list", "Reference images", K::Json));
    } else {
        f.push(F::new("/cfg_scale", "Prompt adherence", K::Number).range(0.0, 1.0));
    }
    f
}
