//! The tray icon: Show / Quit and how many tasks are running. Optional by nature: a desktop
//! without a tray (a bare X server, some Wayland shells) gets one log line and a working window.

use crate::window;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{App, AppHandle, Manager, Runtime, Wry};

const COUNT: &str = "tray-count";
const SHOW: &str = "tray-show";
const QUIT: &str = "tray-quit";

/// What `set_running_tasks` updates; managed only when the icon was created.
struct RunningTasksTray {
    icon: TrayIcon,
    count: MenuItem<Wry>,
}

/// Creates the icon. Never fails the start-up: on Linux the icon needs libayatana-appindicator
/// at run time (tray-icon panics when it is missing), so a panic is caught here as well.
pub fn install(app: &App) {
    let handle = app.handle().clone();
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(&handle)));
    match built {
        Ok(Ok(tray)) => {
            tracing::info!("tray icon created (it shows where the desktop has a tray)");
            app.manage(tray);
        }
        Ok(Err(e)) => tracing::warn!("no tray icon: {e}; the window works without it"),
        Err(_) => {
            tracing::warn!("no tray icon: the tray library is missing; the window works without it")
        }
    }
}

fn build(app: &AppHandle) -> tauri::Result<RunningTasksTray> {
    let (menu, count) = menu(app)?;
    let mut builder = TrayIconBuilder::with_id("main")
        .menu(&menu)
        .tooltip(tooltip(0))
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()));
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let icon = builder.build(app)?;
    Ok(RunningTasksTray { icon, count })
}

/// The tray's menu: the running count (a label, disabled), Show and Quit. Answers the count's
/// item too, which `set_running_tasks` rewrites.
fn menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<(Menu<R>, MenuItem<R>)> {
    let count = MenuItem::with_id(app, COUNT, tasks_text(0), false, None::<&str>)?;
    let show = MenuItem::with_id(app, SHOW, "Show AnyInt Desk", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&count, &separator, &show, &quit])?;
    Ok((menu, count))
}

/// What the menu's items do. The app is the real one; the tests record the calls, because the
/// tray itself cannot be clicked under Xvfb (no tray host) and tauri's mock runtime neither
/// shows windows nor exits.
trait TrayActions {
    fn show(&self);
    fn quit(&self);
}

impl TrayActions for AppHandle {
    fn show(&self) {
        window::bring_forward(self)
    }
    fn quit(&self) {
        self.exit(0)
    }
}

/// A click on the menu item `id`.
fn on_menu(actions: &impl TrayActions, id: &str) {
    match id {
        SHOW => actions.show(),
        QUIT => actions.quit(),
        // The count is a disabled label; anything else is not ours.
        _ => {}
    }
}

/// Shows `n` running tasks in the tray's menu, tooltip and (where the tray has one) its label.
/// The task center calls this on every change; without a tray icon it does nothing.
pub fn set_running_tasks(app: &AppHandle, n: u32) {
    let Some(tray) = app.try_state::<RunningTasksTray>() else {
        return;
    };
    let label = (n > 0).then(|| n.to_string());
    let results = [
        tray.count.set_text(tasks_text(n)),
        tray.icon.set_tooltip(Some(tooltip(n))),
        tray.icon.set_title(label),
    ];
    // One line per update at most: a tray that refuses updates must not flood the log.
    if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
        tracing::debug!("could not update the tray icon: {e}");
    }
}

fn tasks_text(n: u32) -> String {
    match n {
        0 => "No tasks running".to_owned(),
        1 => "1 task running".to_owned(),
        n => format!("{n} tasks running"),
    }
}

fn tooltip(n: u32) -> String {
    format!("AnyInt Desk: {}", tasks_text(n).to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Records what a menu click asked for.
    #[derive(Default)]
    struct Recorded(RefCell<Vec<&'static str>>);

    impl TrayActions for Recorded {
        fn show(&self) {
            self.0.borrow_mut().push("show");
        }
        fn quit(&self) {
            self.0.borrow_mut().push("quit");
        }
    }

    /// Clicks every item of the real menu (built on tauri's mock runtime) by its id, as the
    /// tray's menu event would, and checks which action each one triggers.
    #[test]
    fn show_and_quit_in_the_menu_do_what_they_say() {
        let app = tauri::test::mock_app();
        let (menu, count) = menu(app.handle()).unwrap();
        assert_eq!(count.id().as_ref(), COUNT);
        let mut clicked = Vec::new();
        for item in menu.items().unwrap() {
            let Some(item) = item.as_menuitem() else {
                continue; // the separator
            };
            let recorded = Recorded::default();
            on_menu(&recorded, item.id().as_ref());
            let text = item.text().unwrap();
            clicked.push((text, item.is_enabled().unwrap(), recorded.0.into_inner()));
        }
        assert_eq!(
            clicked,
            vec![
                ("No tasks running".to_owned(), false, vec![]),
                ("Show AnyInt Desk".to_owned(), true, vec!["show"]),
                ("Quit".to_owned(), true, vec!["quit"]),
            ]
        );
    }

    #[test]
    fn other_menu_ids_do_nothing() {
        let recorded = Recorded::default();
        on_menu(&recorded, "someone-elses-item");
        on_menu(&recorded, COUNT);
        assert!(recorded.0.into_inner().is_empty());
    }

    #[test]
    fn the_count_reads_as_a_sentence() {
        assert_eq!(tasks_text(0), "No tasks running");
        assert_eq!(tasks_text(1), "1 task running");
        assert_eq!(tasks_text(12), "12 tasks running");
        assert_eq!(tooltip(2), "AnyInt Desk: 2 tasks running");
    }
}
