//! Drift tests: the command table against the generated TypeScript, the capability file and
//! the permission manifest tauri-build wrote. Each names the fix in its failure message.

use super::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn table() -> Vec<CommandSpec> {
    crate::commands::table()
}

#[test]
fn command_names_are_unique_snake_case() {
    let names: Vec<&str> = table().iter().map(|c| c.name).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(names.len(), unique.len(), "a command is declared twice");
    for name in names {
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "`{name}` is not snake_case"
        );
    }
}

#[test]
fn ui_bindings_follow_the_command_table() {
    let dir = crate_dir().join("../ui/src/ipc/bindings");
    let wanted: BTreeMap<String, String> = generated_files(&table()).unwrap().into_iter().collect();
    let existing: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        for name in existing.keys().filter(|n| !wanted.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, text) in &wanted {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &wanted {
        match existing.get(name) {
            Some(have) if have == text => {}
            Some(_) => stale.push(format!("{name} differs")),
            None => stale.push(format!("{name} is missing")),
        }
    }
    for name in existing.keys().filter(|n| !wanted.contains_key(*n)) {
        stale.push(format!("{name} is no longer generated"));
    }
    assert!(
        stale.is_empty(),
        "ui/src/ipc/bindings is stale ({}); run `UPDATE_BINDINGS=1 cargo test -p anyint-desk`",
        stale.join(", ")
    );
}

/// The window may call exactly the table's commands: a command without its permission would
/// be refused at run time, a permission without a command is a hole waiting for a name.
#[test]
fn the_capability_allows_exactly_the_table() {
    let text = std::fs::read_to_string(crate_dir().join("capabilities/default.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let granted: BTreeSet<String> = json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| p.starts_with("allow-"))
        .map(str::to_owned)
        .collect();
    let wanted: BTreeSet<String> = table().iter().map(CommandSpec::permission).collect();
    let missing: Vec<&String> = wanted.difference(&granted).collect();
    let extra: Vec<&String> = granted.difference(&wanted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "capabilities/default.json drifted from src/commands/table.rs: missing {missing:?}, not a command {extra:?}"
    );
}

/// Desktop notifications and the clipboard are driven from Rust (`events.rs`, the key-copy
/// command), never from the window; and the window uses no core API beyond `invoke` and
/// `ipc::Channel`, which need no permission. So it is granted no plugin permission at all: a
/// script injected into the window (say, through rendered model output) could otherwise send
/// notifications or read the clipboard. Grant one here only with a UI call that needs it.
#[test]
fn the_capability_grants_no_plugin_permission() {
    /// Plugin permissions the UI needs, with the UI call that needs each. None today.
    const UI_USES: [&str; 0] = [];
    let text = std::fs::read_to_string(crate_dir().join("capabilities/default.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let permissions: Vec<&str> = json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .or_else(|| p["identifier"].as_str())
                .unwrap_or("")
        })
        .collect();
    for permission in &permissions {
        assert!(
            !permission.starts_with("notification:") && !permission.starts_with("clipboard-manager:"),
            "capabilities/default.json grants `{permission}`: notifications and the clipboard are Rust's alone"
        );
    }
    let plugin: Vec<&&str> = permissions
        .iter()
        .filter(|p| !p.starts_with("allow-") && !UI_USES.contains(p))
        .collect();
    assert!(
        plugin.is_empty(),
        "capabilities/default.json grants {plugin:?}, which the UI does not use"
    );
}

/// build.rs declares the same table to tauri-build (it `include!`s table.rs), so the manifest
/// it wrote for this build has a permission for every command.
#[test]
fn the_permission_manifest_has_every_command() {
    let text = std::fs::read_to_string(crate_dir().join("gen/schemas/acl-manifests.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let manifest = &json["__app-acl__"]["permissions"];
    for command in table() {
        let permission = command.permission();
        assert_eq!(
            manifest[&permission]["commands"]["allow"][0].as_str(),
            Some(command.name),
            "tauri-build wrote no `{permission}`; is build.rs still reading table.rs?"
        );
    }
}

#[test]
fn arguments_cross_in_camel_case() {
    assert_eq!(camel_case("also_keychain"), "alsoKeychain");
    assert_eq!(camel_case("id"), "id");
    let bind = table().into_iter().find(|c| c.name == "key_bind").unwrap();
    let names: Vec<&str> = bind.args.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["connectionId", "environment", "keyId"]);
}

/// The UI's test double answers `connections_list` with this file: the Sandbox connection
/// exactly as the real backend describes it on first start (environment, key source, masked
/// key), at a fixed loopback port. Regenerated with the bindings.
#[test]
fn the_test_double_sandbox_is_the_real_one() {
    use anyint_core::keys::testing::MemoryKeychain;
    use anyint_core::keys::ApiKey;
    let endpoint = anyint_core::SandboxEndpoint {
        base_url: "http://127.0.0.1:41234".into(),
        key: ApiKey::new(anyint_sandbox::DEMO_KEY).unwrap(),
    };
    let desk = anyint_core::Desk::with_parts(
        anyint_core::store::Store::in_memory().unwrap(),
        MemoryKeychain::new().keychain(),
        Some(endpoint),
        None,
    )
    .unwrap();
    let sandbox = desk.active().unwrap();
    let text = serde_json::to_string_pretty(&sandbox).unwrap() + "\n";
    let path = crate_dir().join("../ui/src/ipc/testing/sandbox-connection.json");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have,
        text,
        "{} is stale; run `UPDATE_BINDINGS=1 cargo test -p anyint-desk`",
        path.display()
    );
}

/// JSON has no big integers: a `u64` that ts-rs spells `bigint` would be typed wrong in the
/// UI (the value arrives as a `number`). Such fields need `#[ts(type = "number")]` or a `u32`.
#[test]
fn no_generated_type_says_bigint() {
    for (name, text) in generated_files(&table()).unwrap() {
        assert!(
            !text.contains("bigint"),
            "{name} has a `bigint`: annotate the u64 with #[ts(type = \"number\")]"
        );
    }
}

/// The UI's test double answers `task_routes` with this file: the core's route catalogue (the
/// fields and documented limits the studios build their forms from) exactly as the real
/// command returns it, so a studio test checks the real limits. Regenerated with the bindings.
#[test]
fn the_test_double_task_routes_are_the_real_catalogue() {
    let text =
        serde_json::to_string_pretty(&anyint_core::tasks::routes::catalogue()).unwrap() + "\n";
    let path = crate_dir().join("../ui/src/ipc/testing/task-routes.json");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have,
        text,
        "{} is stale; run `UPDATE_BINDINGS=1 cargo test -p anyint-desk`",
        path.display()
    );
}
