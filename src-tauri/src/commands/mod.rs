//! Commands: `table.rs` declares each one once; this module turns the table into the Tauri
//! wrappers and the invoke handler, and `contract` into the TypeScript side. The functions
//! the table points at live in one file per feature, each a few lines into `anyint_core::Desk`.

mod audit;
mod connections;
#[cfg(test)]
pub mod contract;
mod handoff;
mod keys;
mod models;
mod rotation;

use crate::error::IpcError;
use anyint_core::keys::{
    Attention, AuditEntry, Environment, ImportReport, KeyMetadata, KeyRecord, RotationPlan,
    RotationResult, Verification,
};
use anyint_core::{Connection, Desk, ModelsView, NewConnection, NewKeyInput};
use tauri::{AppHandle, State};

/// What every command function gets besides its own arguments.
pub struct Ctx<'a> {
    pub app: &'a AppHandle,
    pub desk: &'a Desk,
}

macro_rules! commands {
    ($($(#[doc = $doc:literal])* $mode:ident $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $path:path;)*) => {
        $(commands!(@wrap $mode $name($($arg: $ty),*) -> $ret = $path);)*

        /// The invoke handler for every command in the table.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The table as data, for the generated TypeScript and the drift tests.
        #[cfg(test)]
        pub fn table() -> Vec<contract::CommandSpec> {
            vec![$(contract::CommandSpec::new::<$ret>(
                stringify!($name),
                &[$($doc),*],
                vec![$(contract::ArgSpec::new::<$ty>(stringify!($arg))),*],
            )),*]
        }
    };
    (@wrap sync $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $path:path) => {
        #[tauri::command]
        fn $name(app: AppHandle, desk: State<'_, Desk>, $($arg: $ty),*) -> Result<$ret, IpcError> {
            $path(&Ctx { app: &app, desk: desk.inner() }, $($arg),*)
        }
    };
    (@wrap async $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $path:path) => {
        #[tauri::command]
        async fn $name(
            app: AppHandle,
            desk: State<'_, Desk>,
            $($arg: $ty),*
        ) -> Result<$ret, IpcError> {
            $path(&Ctx { app: &app, desk: desk.inner() }, $($arg),*).await
        }
    };
}

include!("table.rs");
