//! The main window as the desktop sees it: opened from its config with the stored theme handed
//! to the page before its first paint, brought forward when the app is launched again, and its
//! size and position remembered per profile (data dir).

use crate::commands;
use anyint_core::{FirstScreen, Theme};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Manager, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is remembered: not VISIBLE (a window hidden when the app quit must still open shown).
pub fn state_flags() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// How long the window must stay put before its new size and position are written.
const SAVE_AFTER: Duration = Duration::from_millis(500);

/// The label of the one window (tauri.conf.json, capabilities/default.json).
pub const MAIN: &str = "main";

/// Opens the main window, which tauri.conf.json declares with `create: false` so it opens here,
/// once the stored theme is known.
pub fn open_main(
    app: &AppHandle,
    theme: Theme,
    first_screen: Option<&FirstScreen>,
) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        return Err(tauri::Error::WindowNotFound);
    };
    let shown = Arc::new(AtomicBool::new(false));
    let on_load = shown.clone();
    let mut builder = WebviewWindowBuilder::from_config(app, config)?
        .initialization_script(theme_script(theme))
        // Mapped once the page has loaded (see `show_once`), not before it has a web process.
        .visible(false)
        .on_page_load(move |window, payload| {
            if payload.event() == PageLoadEvent::Finished {
                show_once(&window, &on_load, "the page has loaded");
            }
        });
    if let Some(first) = first_screen {
        builder = builder.initialization_script(first_screen_script(first)?);
    }
    let window = builder.build()?;
    // A page that never finishes loading (a broken bundle, a hung web process) still gets its
    // window, showing whatever it has, rather than an app with no window at all.
    let fallback = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SHOW_AT_THE_LATEST).await;
        show_once(&fallback, &shown, "the page did not finish loading in time");
    });
    // The plugin writes the state when the app exits normally; writing it shortly after each
    // move or resize as well keeps it when the session ends the app with a signal.
    let app = app.clone();
    let moves = Arc::new(AtomicU64::new(0));
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let this_move = moves.fetch_add(1, Ordering::SeqCst) + 1;
        let (app, moves) = (app.clone(), moves.clone());
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SAVE_AFTER).await;
            if moves.load(Ordering::SeqCst) == this_move {
                if let Err(e) = app.save_window_state(state_flags()) {
                    tracing::debug!("could not save the window state: {e}");
                }
            }
        });
    });
    Ok(())
}

/// How long after the window is created it is shown even if its page has not loaded.
const SHOW_AT_THE_LATEST: Duration = Duration::from_secs(3);

/// Shows the main window the first time it is called; later calls (a reload's page load, the
/// fallback after a load) do nothing, so a window the user hid stays hidden.
///
/// Why not mapped at once: without compositing (`rendering.rs`), a WebKitGTK view asked to paint
/// before its web process has sent its first backing store blocks the UI thread for up to
/// 500 ms waiting for it, and the web process waits on that same thread. Measured with
/// `.dev/bench-startup`'s floor app, compositing off: 2 of 8 launches took ~1,000 ms instead of
/// ~450 (the whole machine idle meanwhile); created hidden and shown on page load, none did.
fn show_once(window: &tauri::WebviewWindow, shown: &AtomicBool, why: &str) {
    if shown.swap(true, Ordering::SeqCst) {
        return;
    }
    commands::startup::mark(format_args!("window shown: {why}"));
    if let Err(e) = window.show() {
        tracing::warn!("could not show the window: {e}");
    }
}

/// A script that runs before the page's own (WebKit injects it at document start), setting
/// `data-theme` (what the CSS switches on) and `data-theme-choice` on `<html>`, so a dark
/// choice never flashes light. `ui/src/theme.ts` takes over from there.
fn theme_script(theme: Theme) -> String {
    // `as_str` is one of three fixed words, so it is safe to splice into the script.
    format!(
        r#"(function () {{
  var choice = "{choice}";
  function apply(root) {{
    var dark = choice === "dark" || (choice === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    root.dataset.themeChoice = choice;
    root.dataset.theme = dark ? "dark" : "light";
  }}
  if (document.documentElement) {{ apply(document.documentElement); return; }}
  new MutationObserver(function (_, observer) {{
    if (document.documentElement) {{ observer.disconnect(); apply(document.documentElement); }}
  }}).observe(document, {{ childList: true }});
}})();"#,
        choice = theme.as_str()
    )
}

/// The name of the page's global that holds the first screen's data (`ui/src/ipc/firstScreen.ts`).
const FIRST_SCREEN_GLOBAL: &str = "__ANYINT_FIRST_SCREEN__";

/// A script that hands the page its first screen's data before its own scripts run. JSON is a
/// JavaScript expression, so the serialised value is spliced in as it is. It holds what the
/// first commands would answer (masked keys, never a key), and the page takes it only on the
/// window's first load: a reload would run this script again with what was true at start-up.
fn first_screen_script(first: &FirstScreen) -> tauri::Result<String> {
    let json = serde_json::to_string(first)?;
    Ok(format!("window.{FIRST_SCREEN_GLOBAL} = {json};"))
}

/// A second launch of the app: bring the first one's window forward (it may be minimised or
/// hidden by the tray's owner) and give it the keyboard.
pub fn bring_forward(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    for (step, result) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(e) = result {
            tracing::warn!("could not {step} the window: {e}");
        }
    }
}

/// The D-Bus name the single-instance lock is held under. The default profile uses the app's
/// identifier; a data dir given by `ANYINT_DESK_DATA_DIR` is another profile and gets its own
/// lock, so two profiles can run side by side (and each test run has its own).
pub fn instance_id(identifier: &str, data_dir: Option<&Path>) -> String {
    match data_dir {
        None => identifier.to_owned(),
        Some(dir) => {
            let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            // FNV-1a: stable across builds (std's hasher is not), and D-Bus name-safe in hex.
            let hash = dir
                .as_os_str()
                .as_encoded_bytes()
                .iter()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
                });
            format!("{identifier}.profile_{hash:016x}")
        }
    }
}

/// Where the window-state plugin keeps the window's size and position: next to the database
/// when a data dir is given (so a fresh test dir starts from the configured size), else its
/// default file in the app's config dir.
pub fn state_file(data_dir: Option<&Path>) -> Option<String> {
    data_dir.map(|dir| dir.join("window-state.json").to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_profile_gets_its_own_valid_dbus_name() {
        let default = instance_id("ai.anyint.desk", None);
        let a = instance_id("ai.anyint.desk", Some(Path::new("/tmp/profile-a")));
        let b = instance_id("ai.anyint.desk", Some(Path::new("/tmp/profile-b")));
        assert_eq!(default, "ai.anyint.desk");
        assert_ne!(a, b);
        assert_eq!(
            a,
            instance_id("ai.anyint.desk", Some(Path::new("/tmp/profile-a")))
        );
        // D-Bus: elements of [A-Za-z0-9_-], none starting with a digit.
        for element in a.split('.') {
            assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{a}");
            assert!(
                element
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{a}"
            );
        }
    }

    #[test]
    fn the_theme_script_carries_the_choice() {
        for theme in Theme::ALL {
            let script = theme_script(theme);
            assert!(script.contains(&format!("var choice = \"{}\";", theme.as_str())));
        }
    }

    #[test]
    fn the_first_screen_script_sets_the_global_to_the_data_as_sent() {
        let first = FirstScreen {
            connections: Vec::new(),
            models: Some(anyint_core::ModelsView {
                connection_id: "sandbox".into(),
                models: Vec::new(),
                // What would break out of the script if it were spliced in unescaped.
                fetched_at: "\"; alert(1); \"</script>\u{2028}".into(),
                from_cache: true,
            }),
        };
        let script = first_screen_script(&first).unwrap();
        let json = script
            .strip_prefix(&format!("window.{FIRST_SCREEN_GLOBAL} = "))
            .and_then(|rest| rest.strip_suffix(';'))
            .unwrap();
        let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(parsed, serde_json::to_value(&first).unwrap());
        assert_eq!(parsed["models"]["fromCache"], true);
    }

    #[test]
    fn window_state_lives_in_a_given_data_dir() {
        assert_eq!(state_file(None), None);
        let file = state_file(Some(Path::new("/data/p"))).unwrap();
        assert_eq!(Path::new(&file), Path::new("/data/p/window-state.json"));
    }
}
