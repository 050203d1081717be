//! The UI's IPC types are generated from these Rust types by ts-rs. This test fails when a
//! file under `ui/src/ipc/bindings/` is missing or differs from what the Rust types generate;
//! `UPDATE_BINDINGS=1 cargo test -p anyint-core --test bindings` rewrites them.

use anyint_core::keys::{
    Attention, AttentionReason, AuditEntry, Environment, ImportReport, KeyKind, KeyMetadata,
    KeyRecord, KeyStatus, OldModels, Outcome, RotationPlan, RotationResult, RouteCheck, SkippedKey,
    Verification,
};
use anyint_core::models::ModelInfo;
use anyint_core::{Connection, ConnectionKind, ErrorBody, ModelsView, NewConnection, NewKeyInput};
use std::path::PathBuf;
use ts_rs::TS;

fn generated() -> Vec<(String, String)> {
    fn one<T: TS + 'static>() -> (String, String) {
        let text = T::export_to_string().expect("ts-rs export");
        (format!("{}.ts", T::name()), text)
    }
    vec![
        one::<Connection>(),
        one::<ConnectionKind>(),
        one::<NewConnection>(),
        one::<ModelInfo>(),
        one::<ModelsView>(),
        one::<ErrorBody>(),
        one::<Environment>(),
        one::<KeyKind>(),
        one::<KeyStatus>(),
        one::<KeyRecord>(),
        one::<KeyMetadata>(),
        one::<NewKeyInput>(),
        one::<Outcome>(),
        one::<RouteCheck>(),
        one::<Verification>(),
        one::<OldModels>(),
        one::<RotationPlan>(),
        one::<RotationResult>(),
        one::<AuditEntry>(),
        one::<Attention>(),
        one::<AttentionReason>(),
        one::<ImportReport>(),
        one::<SkippedKey>(),
    ]
}

#[test]
fn ui_bindings_match_the_rust_types() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/ipc/bindings");
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    for (file, text) in generated() {
        let path = dir.join(&file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == text => {}
            Ok(_) => stale.push(format!("{file} differs")),
            Err(_) => stale.push(format!("{file} is missing")),
        }
    }
    assert!(
        stale.is_empty(),
        "stale TS bindings ({}); run `UPDATE_BINDINGS=1 cargo test -p anyint-core --test bindings`",
        stale.join(", ")
    );
}
