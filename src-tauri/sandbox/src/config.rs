//! Sandbox configuration and the built-in API keys.
//!
//! The keys model the kinds the contract documents (§5.1–5.3): plain pay-as-you-go keys,
//! `sk-plan-*` plan keys, `sk-custom-*` custom-subscription keys, a disabled key and a key with a
//! per-minute request limit and a key with no balance left, so the app can rehearse
//! 401/402/403/429 without a real account.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::faults::Fault;
use crate::variants::Variant;

/// Plain key: every model in the catalogue.
pub const DEMO_KEY: &str = "sk-sandbox-demo";
/// Plain team key with a small allowlist (a few chat models and one image model).
pub const TEAM_B_KEY: &str = "sk-sandbox-team-b";
/// Plan key (`sk-plan-*`): chat models only.
pub const PLAN_KEY: &str = "sk-plan-sandbox-demo";
/// Custom-subscription key (`sk-custom-*`): the models of the contract's purchase example.
pub const CUSTOM_KEY: &str = "sk-custom-sandbox-demo";
/// A disabled key: every request gets a 401 whose message says the key is disabled.
pub const DISABLED_KEY: &str = "sk-sandbox-disabled";
/// A key limited to 2 requests per minute; the third gets 429 with `Retry-After`.
pub const LIMITED_KEY: &str = "sk-sandbox-limited";
/// A key whose balance is used up: every paid request (a POST) gets
/// [`SandboxConfig::exhausted_status`] in the family's envelope; polls and lists still work.
pub const EXHAUSTED_KEY: &str = "sk-sandbox-exhausted";

/// One API key the sandbox accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxKey {
    /// The secret sent by the client (Bearer or `x-api-key`).
    pub secret: String,
    /// Human label, printed by the binary.
    pub label: String,
    /// Model IDs this key may use; `None` means every model in the catalogue.
    pub allowed_models: Option<Vec<String>>,
    /// A disabled key is rejected with 401 (contract §5.2: status `Active` | `Disabled`).
    pub disabled: bool,
    /// Requests per rolling minute; `None` means unlimited.
    pub requests_per_minute: Option<u32>,
    /// The balance is used up: paid requests (POSTs) fail with
    /// [`SandboxConfig::exhausted_status`] (contract §9.3).
    pub exhausted: bool,
}

impl SandboxKey {
    /// A plain, enabled key for every model.
    pub fn new(secret: impl Into<String>, label: impl Into<String>) -> Self {
        SandboxKey {
            secret: secret.into(),
            label: label.into(),
            allowed_models: None,
            disabled: false,
            requests_per_minute: None,
            exhausted: false,
        }
    }

    /// Whether this key may use `model`.
    pub fn allows(&self, model: &str) -> bool {
        match &self.allowed_models {
            None => true,
            Some(list) => list.iter().any(|m| m == model),
        }
    }

    /// The built-in keys, one of each documented kind.
    pub fn defaults() -> Vec<SandboxKey> {
        let list = |ids: &[&str]| Some(ids.iter().map(|s| (*s).to_owned()).collect());
        let chat_only: Vec<String> = crate::catalogue::catalogue()
            .into_iter()
            .filter(|m| m.family == crate::catalogue::ModelFamily::Chat)
            .map(|m| m.id)
            .collect();
        vec![
            SandboxKey::new(DEMO_KEY, "Sandbox demo (plain key, every model)"),
            SandboxKey {
                allowed_models: list(&[
                    "claude-sonnet-4-6",
                    "gpt-5",
                    "gemini-2.0-flash",
                    "nano-banana-2",
                ]),
                ..SandboxKey::new(TEAM_B_KEY, "Team B (plain key, small allowlist)")
            },
            SandboxKey {
                allowed_models: Some(chat_only),
                ..SandboxKey::new(PLAN_KEY, "Plan subscription (chat models only)")
            },
            SandboxKey {
                // Mirrors the contract's custom-subscription purchase example (§5.3).
                allowed_models: list(&["claude-opus-4-6", "nano-banana-2", "gpt-5.5"]),
                ..SandboxKey::new(CUSTOM_KEY, "Custom subscription (three models)")
            },
            SandboxKey {
                disabled: true,
                ..SandboxKey::new(DISABLED_KEY, "Disabled key (always 401)")
            },
            SandboxKey {
                requests_per_minute: Some(2),
                ..SandboxKey::new(LIMITED_KEY, "Rate-limited key (2 requests per minute)")
            },
            SandboxKey {
                exhausted: true,
                ..SandboxKey::new(EXHAUSTED_KEY, "Exhausted balance (paid requests fail)")
            },
        ]
    }
}

/// How music callbacks are wrapped (contract §3.10 leaves this open, so it is configurable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallbackEnvelope {
    /// `{"callbackType":..,"task_id":..,"data":[..]}` as in the AnyInt docs.
    #[default]
    Bare,
    /// `{"code":200,"msg":..,"data":{"callbackType":..,..}}` as upstream Suno API.
    Wrapped,
}

/// The HTTP status of an exhausted balance. Contract §7.3 and §9.3 leave it open (402, 403 or
/// 429), so it is configurable; the body is the family's own (see `errors.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExhaustedStatus {
    /// 402 Payment Required.
    #[default]
    PaymentRequired,
    /// 403 Forbidden, as a policy block.
    Forbidden,
    /// 429 Too Many Requests, as Suno-style "insufficient credits" and OpenAI `insufficient_quota`.
    TooManyRequests,
}

impl ExhaustedStatus {
    /// Every status, in documentation order.
    pub const ALL: [ExhaustedStatus; 3] = [
        ExhaustedStatus::PaymentRequired,
        ExhaustedStatus::Forbidden,
        ExhaustedStatus::TooManyRequests,
    ];

    /// The HTTP status code.
    pub fn code(self) -> u16 {
        match self {
            ExhaustedStatus::PaymentRequired => 402,
            ExhaustedStatus::Forbidden => 403,
            ExhaustedStatus::TooManyRequests => 429,
        }
    }

    /// The status for an HTTP code, if it is one of the three.
    pub fn from_code(code: u16) -> Option<ExhaustedStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A seeded answer: a chat request to `model` (any model when `None`) whose text contains
/// `prompt_contains` is answered with `text` instead of the generated words, on every chat
/// route, streamed or not. The first matching rule wins. The advisor's tests make one model
/// answer "Paris" and another "Lyon" with these; otherwise every model says the same thing
/// for the same seed and prompt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerRule {
    #[serde(default)]
    pub model: Option<String>,
    pub prompt_contains: String,
    pub text: String,
}

impl AnswerRule {
    /// Rules from a JSON list (`[{"model", "promptContains", "text"}]`), as `--answers` reads.
    pub fn parse_list(json: &str) -> Result<Vec<AnswerRule>, String> {
        serde_json::from_str(json).map_err(|e| format!("not a list of answer rules: {e}"))
    }
}

/// Everything a sandbox run can be tuned with. Every field has a sensible default.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Address to bind; default `127.0.0.1:0` (an ephemeral loopback port).
    pub addr: SocketAddr,
    /// Accepted keys; default [`SandboxKey::defaults`].
    pub keys: Vec<SandboxKey>,
    /// Seed for generated text, IDs and fault choices, so runs are reproducible.
    pub seed: u64,
    /// Tokens per second of generated text; `None` streams as fast as possible.
    pub token_rate: Option<f64>,
    /// Delay before the first token of a stream (time-to-first-token).
    pub first_token_delay: Duration,
    /// How long an async task takes from creation to its terminal state.
    pub task_duration: Duration,
    /// Fault applied to every request that does not name its own with `x-sandbox-fault`.
    pub default_fault: Option<Fault>,
    /// Wire variants applied to every request that does not name its own with
    /// `x-sandbox-variant` (CRLF line endings, keep-alive comments, loose chunks).
    pub default_variants: Vec<Variant>,
    /// Under the `keep-alive` variant, a comment line goes before every this-many events.
    pub keep_alive_every: u32,
    /// How many events the `hang` fault sends before it goes silent for good.
    pub hang_after_events: usize,
    /// How long the `stall` fault keeps a stream silent before closing it.
    pub stall_duration: Duration,
    /// Pause between the small pieces of a `slow` (drip) stream.
    pub drip_interval: Duration,
    /// How many failing requests a `burst` fault sends before one succeeds.
    pub burst_len: u32,
    /// Envelope of music callbacks.
    pub callback_envelope: CallbackEnvelope,
    /// Deliver every music callback twice, to exercise idempotent receivers.
    pub callback_duplicates: bool,
    /// How many generated tokens a reply has when the request does not cap it.
    pub default_reply_tokens: u32,
    /// What an exhausted balance answers ([`EXHAUSTED_KEY`], the `exhausted` fault).
    pub exhausted_status: ExhaustedStatus,
    /// How many polls of a task created under the `poll-5xx` fault answer 503 before the
    /// poll succeeds.
    pub poll_failures: u32,
    /// Size in bytes of every WAV and MP4 artifact (and `videos/{id}/content`); `None` keeps the
    /// tiny default files. Large files are streamed as generated, never held in memory, and
    /// their bytes are a function of the seed and the artifact name
    /// ([`crate::Sandbox::artifact_sha256`]).
    pub artifact_size: Option<u64>,
    /// Artifact URLs stop answering (404, like an expired CDN link) this long after their task
    /// finished; `None` keeps them forever. The `expired` fault expires them at once.
    pub artifact_ttl: Option<Duration>,
    /// Seeded answers per model and prompt ([`AnswerRule`]); empty: every answer is generated.
    pub answer_rules: Vec<AnswerRule>,
    /// Whether `POST /files/upload` [3P] is served; `false` answers 404 as a gateway without
    /// the route does.
    pub file_uploads: bool,
    /// A JSON-lines file that keeps accepted tasks across restarts (`task_file.rs`), as a real
    /// gateway remembers them; `None` keeps them in memory only. The app's in-process Sandbox
    /// uses one in its data dir.
    pub task_file: Option<std::path::PathBuf>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            keys: SandboxKey::defaults(),
            seed: 0,
            token_rate: None,
            first_token_delay: Duration::ZERO,
            task_duration: Duration::from_secs(4),
            default_fault: None,
            default_variants: Vec::new(),
            keep_alive_every: 4,
            hang_after_events: 3,
            stall_duration: Duration::from_secs(5),
            drip_interval: Duration::from_millis(20),
            burst_len: 3,
            callback_envelope: CallbackEnvelope::Bare,
            callback_duplicates: false,
            default_reply_tokens: 48,
            exhausted_status: ExhaustedStatus::PaymentRequired,
            poll_failures: 3,
            artifact_size: None,
            artifact_ttl: None,
            answer_rules: Vec::new(),
            file_uploads: true,
            task_file: None,
        }
    }
}
