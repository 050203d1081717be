//! What the window may load from disk: the artifacts folder and nothing else, through Tauri's
//! asset protocol (`convertFileSrc` in `ui/src/ipc/`). tauri.conf.json enables the protocol
//! with an empty static scope, so until [`allow_artifacts`] runs nothing on disk is reachable;
//! it then allows exactly the one folder the core downloads into (Settings may move it, so it is
//! only known at run time). The database, the keys' metadata and the rest of the data dir stay
//! out of reach of a script in the window.

use std::path::Path;
use tauri::{Manager, Runtime};

/// Lets the asset protocol serve the files under `dir` (recursively), creating `dir` first:
/// the scope canonicalises what it is given, so a missing folder could not be allowed.
/// Symlinks are resolved before a request is checked, so a link inside the folder that points
/// elsewhere is refused.
pub fn allow_artifacts<R: Runtime, M: Manager<R>>(app: &M, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "could not create the artifacts folder {}: {e}",
            dir.display()
        )
    })?;
    app.asset_protocol_scope()
        .allow_directory(dir, true)
        .map_err(|e| format!("could not open {} to the window: {e}", dir.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn conf() -> serde_json::Value {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// The static part: the protocol is on (the players need it) but allows nothing by itself;
    /// a pattern there (`$APPDATA/**`, `$HOME/**`) would open more than the artifacts folder.
    #[test]
    fn the_config_enables_the_asset_protocol_with_no_static_scope() {
        let asset = &conf()["app"]["security"]["assetProtocol"];
        assert_eq!(asset["enable"], serde_json::json!(true));
        assert_eq!(
            asset["scope"],
            serde_json::json!([]),
            "tauri.conf.json's assetProtocol.scope must stay empty: the folder is allowed at run time"
        );
    }

    /// The CSP lets the players load from the asset origin and nothing more: images and media
    /// from it, its files fetched into a `blob:` for a player that cannot read a custom scheme
    /// (WebKitGTK's GStreamer; see ui/src/ipc/assets.ts), never a script, style or frame from it,
    /// and forms go nowhere.
    #[test]
    fn the_csp_lets_only_the_players_reach_the_asset_origin() {
        let csp = conf()["app"]["security"]["csp"]
            .as_str()
            .unwrap()
            .to_owned();
        let directive = |name: &str| -> Vec<String> {
            csp.split(';')
                .map(str::trim)
                .find_map(|d| d.strip_prefix(name).map(|rest| rest.trim().to_owned()))
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let asset = |sources: &[String]| {
            sources.iter().any(|s| s == "asset:")
                && sources.iter().any(|s| s == "http://asset.localhost")
        };
        for name in ["img-src", "media-src", "connect-src"] {
            assert!(
                asset(&directive(name)),
                "{name} must allow the asset origin: {:?}",
                directive(name)
            );
        }
        assert_eq!(
            directive("media-src"),
            ["asset:", "http://asset.localhost", "blob:"],
            "media-src: the asset origin and the blobs made from it, nothing else"
        );
        for name in [
            "default-src",
            "script-src",
            "style-src",
            "object-src",
            "frame-ancestors",
        ] {
            let sources = directive(name);
            assert!(
                !sources.iter().any(|s| s.contains("asset") || s == "blob:"),
                "{name} must not allow the asset origin or blobs: {sources:?}"
            );
        }
        assert_eq!(directive("script-src"), ["'self'"]);
        assert_eq!(directive("form-action"), ["'none'"]);
    }

    /// The run-time part: after `allow_artifacts`, a file in the folder (or below it) is
    /// served; the database beside it, the data dir itself, a `..` escape and a symlink out of
    /// the folder are not.
    #[test]
    fn the_scope_is_the_artifacts_folder_only() {
        let app = tauri::test::mock_app();
        let data = tempfile::tempdir().unwrap();
        let artifacts = data.path().join("artifacts");
        let outside = data.path().join("anyint.db");
        std::fs::write(&outside, b"sqlite").unwrap();

        let scope = app.asset_protocol_scope();
        assert!(
            !scope.is_allowed(&outside),
            "nothing is allowed before the call"
        );

        allow_artifacts(&app, &artifacts).unwrap();
        let song = artifacts.join("task-1").join("night-drive.mp3");
        std::fs::create_dir_all(song.parent().unwrap()).unwrap();
        std::fs::write(&song, b"ID3").unwrap();
        assert!(scope.is_allowed(&song), "a saved artifact is served");
        assert!(!scope.is_allowed(&outside), "the database is not");
        assert!(!scope.is_allowed(data.path()), "nor the data dir");
        assert!(!scope.is_allowed(artifacts.join("..").join("anyint.db")));

        #[cfg(unix)]
        {
            let link = artifacts.join("escape.db");
            std::os::unix::fs::symlink(&outside, &link).unwrap();
            assert!(
                !scope.is_allowed(&link),
                "a symlink out of the folder is refused"
            );
        }
    }
}
