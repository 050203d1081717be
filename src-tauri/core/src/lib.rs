//! AnyInt Desk without a window: the gateway client, wire formats, store, keys and the `Desk`
//! facade. This crate must never depend on tauri; the desktop app is a thin adapter over it.

pub mod advisor;
pub mod background;
pub mod batch;
pub mod chat;
pub mod compare;
pub mod desk;
pub mod error;
pub mod export;
pub mod fallback;
pub mod gateway;
pub mod history;
pub mod keys;
pub mod ledger;
pub mod models;
pub mod playground;
pub mod settings;
pub mod snippets;
pub mod sse;
pub mod store;
pub mod tasks;
pub mod wire;

pub use desk::{
    Connection, ConnectionKind, Desk, FirstScreen, KeySource, ModelsView, NewConnection,
    NewKeyInput, SandboxEndpoint, Theme,
};
pub use error::{DeskError, ErrorBody, ErrorCode};
