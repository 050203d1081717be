// Declaring the app's commands makes each one need an explicit `allow-…` permission, so
// capabilities/default.json is the complete list of what the window may call. The list is
// src/commands/table.rs itself: this `commands!` keeps only the names from each line.
macro_rules! commands {
    ($($(#[doc = $doc:literal])* $mode:ident $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $(, streams $ev:ty)? = $path:path;)*) => {
        &[$(stringify!($name)),*]
    };
}

fn main() {
    println!("cargo:rerun-if-changed=src/commands/table.rs");
    let commands: &[&str] = include!("src/commands/table.rs");
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build script failed: {e:#}");
    }
}
