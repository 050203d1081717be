//! `anyint-sandbox`: a local, simulated AnyInt gateway.
//!
//! The public gateway has no test mode, so this crate is what a new user tries the app on and what
//! every test runs against. It serves the contract's route families (see
//! `../shared/contract/anyint-gateway.md`) on loopback with the family's own wire formats, error
//! envelopes, task lifecycles and injectable faults.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = anyint_sandbox::start(anyint_sandbox::SandboxConfig::default()).await?;
//! println!("{}/openai/v1/models", sandbox.base_url());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod anthropic;
mod artifacts;
mod auth;
mod callbacks;
mod catalogue;
mod config;
mod creates;
mod errors;
mod faults;
mod gemini;
mod host;
mod kling;
mod large_files;
mod loose;
mod media;
mod models;
mod music;
mod music_query;
mod music_rules;
mod music_sync;
mod openai;
mod request;
mod responses;
mod server;
mod sse;
mod state;
mod streams;
mod task_file;
mod tasks;
mod text;
mod uploads;
mod variants;

pub use catalogue::{catalogue, CatalogueModel, ModelFamily};
pub use config::{
    AnswerRule, CallbackEnvelope, ExhaustedStatus, SandboxConfig, SandboxKey, CUSTOM_KEY, DEMO_KEY,
    DISABLED_KEY, EXHAUSTED_KEY, LIMITED_KEY, PLAN_KEY, TEAM_B_KEY,
};
pub use faults::{Fault, FAULT_HEADER};
pub use request::TASK_MS_HEADER;
pub use server::{start, Sandbox};
pub use variants::{Variant, TOKEN_RATE_HEADER, VARIANT_HEADER};
