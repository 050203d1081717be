//! Commands: `table.rs` declares each one once; this module turns the table into the Tauri
//! wrappers and the invoke handler, and `contract` into the TypeScript side. The functions
//! the table points at live in one file per feature, each a few lines into `anyint_core::Desk`.

mod appearance;
mod audit;
mod callbacks;
mod compare;
mod connections;
#[cfg(test)]
pub mod contract;
mod handoff;
mod history;
mod keys;
mod model_choice;
mod models;
mod playground;
mod rotation;
mod settings;
pub(crate) mod startup;
mod stream;
mod tasks;

use crate::error::IpcError;
use anyint_core::advisor::{Advice, AdviseEvent, AdviseRequest, EvalSet, EvalSetFormat};
use anyint_core::compare::{CompareEvent, CompareRequest, Comparison, ComparisonSummary};
use anyint_core::desk::{InboxStatus, TokenCountRequest};
use anyint_core::fallback::{
    Decision, DryRunInput, ExportFormat, RunOptions, Workload, WorkloadRun,
};
use anyint_core::history::{Conversation, Page, PageRequest, SearchHit, Turn};
use anyint_core::keys::{
    Attention, AuditEntry, Environment, ImportReport, KeyMetadata, KeyRecord, RotationPlan,
    RotationResult, Verification,
};
use anyint_core::ledger::{GroupBy, Price, UsageTotal};
use anyint_core::playground::{PlaygroundEvent, PlaygroundRequest, RunSummary};
use anyint_core::settings::probe::ConnectionTest;
use anyint_core::settings::{SettingsUpdate, SettingsView};
use anyint_core::snippets::{Snippet, SnippetRequest};
use anyint_core::store::FallbackLogRow;
use anyint_core::tasks::inbox::CallbackRecord;
use anyint_core::tasks::inputs::TaskFileRef;
use anyint_core::tasks::routes::RouteSpec;
use anyint_core::tasks::view::{
    LineageNode, TaskDetail, TaskFilter, TaskPage, TaskRow, TaskSubmit, TaskTransition,
};
use anyint_core::{Connection, Desk, ModelsView, NewConnection, NewKeyInput, Theme};
use tauri::{AppHandle, State};

/// Names the runtime of `generate_handler!`'s closure, which is generic until something does.
fn invoke_handler<F: Fn(tauri::ipc::Invoke) -> bool>(handle: F) -> F {
    handle
}

/// What every command function gets besides its own arguments.
pub struct Ctx<'a> {
    pub app: &'a AppHandle,
    pub desk: &'a Desk,
}

macro_rules! commands {
    ($($(#[doc = $doc:literal])* $mode:ident $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $(, streams $ev:ty)? = $path:path;)*) => {
        $(commands!(@wrap $mode [$($ev)?] $name($($arg: $ty),*) -> $ret = $path);)*

        /// The invoke handler for every command in the table.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            let handle = invoke_handler(tauri::generate_handler![$($name),*]);
            move |invoke: tauri::ipc::Invoke| {
                // Which calls the first screen waits on, and when each arrived (start-up log).
                startup::mark(format_args!("command {}", invoke.message.command()));
                handle(invoke)
            }
        }

        /// The table as data, for the generated TypeScript and the drift tests.
        #[cfg(test)]
        pub fn table() -> Vec<contract::CommandSpec> {
            vec![$({
                #[allow(unused_mut)]
                let mut spec = contract::CommandSpec::new::<$ret>(
                    stringify!($name),
                    &[$($doc),*],
                    vec![$(contract::ArgSpec::new::<$ty>(stringify!($arg))),*],
                );
                $(spec = spec.streams::<$ev>();)?
                spec
            }),*]
        }
    };
    (@wrap sync [] $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $path:path) => {
        #[tauri::command]
        fn $name(app: AppHandle, desk: State<'_, Desk>, $($arg: $ty),*) -> Result<$ret, IpcError> {
            $path(&Ctx { app: &app, desk: desk.inner() }, $($arg),*)
        }
    };
    (@wrap async [] $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $path:path) => {
        #[tauri::command]
        async fn $name(
            app: AppHandle,
            desk: State<'_, Desk>,
            $($arg: $ty),*
        ) -> Result<$ret, IpcError> {
            $path(&Ctx { app: &app, desk: desk.inner() }, $($arg),*).await
        }
    };
    // A streaming command: its events go over a channel the window passes as `onEvent`.
    (@wrap async [$ev:ty] $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $path:path) => {
        #[tauri::command]
        async fn $name(
            app: AppHandle,
            desk: State<'_, Desk>,
            $($arg: $ty,)*
            on_event: tauri::ipc::Channel<$ev>,
        ) -> Result<$ret, IpcError> {
            $path(&Ctx { app: &app, desk: desk.inner() }, $($arg,)* on_event).await
        }
    };
}

include!("table.rs");
