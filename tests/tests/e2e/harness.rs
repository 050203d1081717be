//! Starts `tauri-driver` for one test, opens a WebDriver session on the app, and cleans up.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// Beside this file, wherever it is included from (the benches include it too).
#[path = "x_screen.rs"]
mod x_screen;

/// Records every `Notify` call on the session bus into a file.
pub struct BusMonitor {
    child: Child,
    pub log: PathBuf,
}

impl BusMonitor {
    pub fn start(dir: &std::path::Path) -> BusMonitor {
        let log = dir.join("notify-bus.log");
        let file = std::fs::File::create(&log).expect("bus log");
        let child = Command::new("dbus-monitor")
            .args([
                "--session",
                "interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::from(file))
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (package dbus) on PATH");
        BusMonitor { child, log }
    }

    pub fn count(&self, needle: &str) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .matches(needle)
            .count()
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Eight compare targets: a few models through every chat family, as a comparison would have
/// (the compare e2e test and the window bench's compare phase).
pub const EIGHT_TARGETS: [(&str, &str); 8] = [
    ("openai_chat", "gpt-5"),
    ("openai_chat", "gpt-5-mini"),
    ("openai_responses", "gpt-5"),
    ("anthropic", "claude-sonnet-4-6"),
    ("anthropic", "claude-haiku-4-5"),
    ("gemini", "gemini-2.5-pro"),
    ("gemini", "gemini-2.0-flash"),
    ("openai_chat", "gpt-5.5"),
];

pub struct App {
    pub client: Client,
    pub data_dir: tempfile::TempDir,
    /// Everything the app and the driver wrote to stderr (the app's log).
    pub log_path: PathBuf,
    driver: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub fn app_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("ANYINT_DESK_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug/anyint-desk")
}

pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("ANYINT_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-artifacts")
        });
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

impl App {
    /// Launches the app with a fresh data dir (plus `env`) and waits for its first screen.
    pub async fn launch(name: &str, env: &[(&str, &str)]) -> App {
        let data_dir = tempfile::tempdir().expect("temp data dir");
        App::launch_in(name, data_dir, env).await
    }

    /// Launches the app on `data_dir` (one a previous run left, say) and waits for its first
    /// screen.
    pub async fn launch_in(name: &str, data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> App {
        let bin = app_binary();
        assert!(
            bin.exists(),
            "build the app first: {} is missing (run .dev/test-all)",
            bin.display()
        );
        let port = free_port();
        let log_path = artifacts_dir().join(format!("{name}-app.log"));
        let log = std::fs::File::create(&log_path).expect("app log file");
        let mut command = Command::new("tauri-driver");
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("ANYINT_DESK_DATA_DIR", data_dir.path())
            // Its own process group, so ending the test ends WebKitWebDriver (its child) too.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::from(log));
        for (k, v) in env {
            command.env(k, v);
        }
        let driver = command
            .spawn()
            .expect("tauri-driver on PATH (cargo install tauri-driver --locked --version ^2)");

        let url = format!("http://127.0.0.1:{port}");
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": bin.display().to_string() }),
        );
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(_) if started.elapsed() < Duration::from_secs(30) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no WebDriver session after 30 s: {e}"),
            }
        };
        let app = App {
            client,
            data_dir,
            log_path,
            driver,
        };
        app.wait_css("[data-ready='true']").await;
        app
    }

    pub async fn wait_css(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("`{css}` did not appear: {e}"))
    }

    /// Waits until nothing matches `css` (a dialog closed).
    pub async fn wait_gone(&self, css: &str) {
        for _ in 0..100 {
            match self.client.find_all(Locator::Css(css)).await {
                Ok(found) if found.is_empty() => return,
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        panic!("`{css}` is still there after 10 s");
    }

    /// Clicks like a person: scrolled to the middle of its pane first, because WebDriver only
    /// scrolls until some of the element shows, and its centre can then sit under the status bar.
    pub async fn click(&self, css: &str) {
        let element = self.wait_css(css).await;
        let arg = serde_json::to_value(&element).expect("an element serialises");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
            .await
            .unwrap_or_else(|e| panic!("scroll to `{css}`: {e}"));
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.wait_css(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear `{css}`: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    }

    /// Sets a field's value at once and tells Svelte (an `input` event), for long text such as
    /// a raw JSON body, which typing key by key would make slow.
    pub async fn set_value(&self, css: &str, text: &str) {
        let field = self.wait_css(css).await;
        let arg = serde_json::to_value(&field).expect("an element serialises");
        self.client
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                vec![arg, serde_json::Value::String(text.to_owned())],
            )
            .await
            .unwrap_or_else(|e| panic!("set `{css}`: {e}"));
    }

    /// The text of the first element matching `css` (empty when there is none).
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the first element matching `css` has text satisfying `ok`.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        for _ in 0..300 {
            let text = self.text(css).await;
            if ok(&text) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "`{css}` never showed {what}; it says: {}",
            self.text(css).await
        );
    }

    /// Sends one key (e.g. Escape) to the focused element, as a person pressing it.
    pub async fn press(&self, key: fantoccini::key::Key) {
        self.client
            .active_element()
            .await
            .expect("a focused element")
            .send_keys(&char::from(key).to_string())
            .await
            .expect("send a key");
    }

    /// Picks the `<option>` of a `<select>` by its value.
    pub async fn select(&self, css: &str, value: &str) {
        // A row added just before may still be re-rendering or lie below the fold (WebKitWebDriver
        // then answers an empty error): bring it into view and try again.
        let mut last = None;
        for _ in 0..10 {
            let select = self.wait_css(css).await;
            let _ = self
                .client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'});",
                    vec![serde_json::to_value(&select).expect("element as JSON")],
                )
                .await;
            match select.select_by_value(value).await {
                Ok(()) => return,
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("select `{value}` in `{css}`: {last:?}");
    }

    /// The `data-*`/attribute values of every element matching `css`.
    pub async fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        // A list re-rendered between the find and the read leaves stale elements: read again.
        for _ in 0..10 {
            if let Some(values) = self.try_attrs(css, attr).await {
                return values;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("`{css}` kept changing while its `{attr}` was read");
    }

    async fn try_attrs(&self, css: &str, attr: &str) -> Option<Vec<String>> {
        let mut out = Vec::new();
        for el in self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
        {
            if let Some(v) = el.attr(attr).await.ok()? {
                out.push(v);
            }
        }
        Some(out)
    }

    /// Calls one of the app's real commands from inside the window (what a screen's button
    /// does through `ui/src/ipc`), and returns its answer; a rejection fails the test.
    pub async fn invoke(&self, command: &str, args: serde_json::Value) -> serde_json::Value {
        let answer = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
                   .then((value) => done({ ok: value ?? null }), (error) => done({ error }));",
                vec![serde_json::Value::String(command.to_owned()), args],
            )
            .await
            .unwrap_or_else(|e| panic!("invoke `{command}`: {e}"));
        match answer.get("ok") {
            Some(value) => value.clone(),
            None => panic!("`{command}` was rejected: {answer}"),
        }
    }

    /// The player of the first element matching `css` once it has settled: loaded its metadata
    /// (`ready`, with its `src`), or failed for good (`error` / `broken`). A failure of the asset
    /// URL itself is not final: the card then fetches the file into a blob: URL and builds a new
    /// element (ArtifactCard.svelte), so only a blob: player's error, or the card's own error
    /// text, ends the wait.
    pub async fn player_settled(&self, css: &str) -> serde_json::Value {
        for _ in 0..100 {
            let state = self
                .client
                .execute(
                    "const broken = document.querySelector('#task-artifacts .player-error');
                     if (broken) return { broken: broken.textContent.trim() };
                     const el = document.querySelector(arguments[0]);
                     if (!el) return null;
                     const src = el.getAttribute('src') ?? '';
                     const ready = el.tagName === 'IMG' ? el.complete && el.naturalWidth > 0 : el.readyState >= 1;
                     if (ready) return { ready: el.tagName === 'IMG' ? el.naturalWidth : el.readyState, src };
                     if (el.error && src.startsWith('blob:')) return { error: el.error.code, src };
                     return null;",
                    vec![serde_json::Value::String(css.to_owned())],
                )
                .await
                .expect("read the player");
            if !state.is_null() {
                return state;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        serde_json::Value::Null
    }

    /// Saves a PNG of the window under the artifacts dir, scrolled back to the top of the
    /// screen so the picture shows what a person sees first.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let _ = self
            .client
            .execute(
                "window.scrollTo(0, 0); document.querySelector('main.content')?.scrollTo(0, 0);",
                vec![],
            )
            .await;
        self.screenshot_here(name).await
    }

    /// Saves a PNG of the window as it is now, read off the X server rather than through
    /// WebDriver (see x_screen.rs): what a person sees.
    pub async fn screenshot_here(&self, name: &str) -> PathBuf {
        let (x, y, width, height) = self.client.get_window_rect().await.expect("window rect");
        let rect = x_screen::Rect {
            x: x as i64,
            y: y as i64,
            width,
            height,
        };
        // X holds what was drawn, not what the page is about to draw: let the page render two
        // frames, then give the paint a moment to reach the screen.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                vec![],
            )
            .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let png = x_screen::grab_png(rect).unwrap_or_else(|e| panic!("screenshot: {e}"));
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the session and the app; hands back the data dir so a test can inspect it.
    pub async fn close(mut self) -> tempfile::TempDir {
        let _ = self.client.clone().close().await;
        stop_driver(&mut self.driver);
        std::mem::replace(&mut self.data_dir, tempfile::tempdir().expect("temp dir"))
    }
}

impl Drop for App {
    fn drop(&mut self) {
        stop_driver(&mut self.driver);
    }
}

/// Ends tauri-driver's whole process group: killing tauri-driver alone left one
/// WebKitWebDriver running per test.
fn stop_driver(driver: &mut Child) {
    // Once reaped, its id may belong to someone else.
    if !matches!(driver.try_wait(), Ok(None)) {
        return;
    }
    // `--` before the negative id: procps-ng 4.0.2's kill reads `kill -TERM -15548` as
    // kill(-1, SIGTERM), every process the user may signal (it ended a whole CI run).
    let _ = Command::new("kill")
        .args(["-s", "TERM", "--", &format!("-{}", driver.id())])
        .status();
    let _ = driver.kill();
    let _ = driver.wait();
}

/// Notifications dunst moved to its history with `summary` as their title (dunst keeps them for
/// the whole session, so a test counts what it added).
pub fn dunst_history_count(summary: &str) -> usize {
    let _ = Command::new("dunstctl").arg("close-all").status();
    std::thread::sleep(Duration::from_millis(200));
    let out = Command::new("dunstctl")
        .arg("history")
        .output()
        .expect("dunstctl on PATH");
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    json["data"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|group| group.as_array().into_iter().flatten())
        .filter(|n| n["summary"]["data"].as_str() == Some(summary))
        .count()
}
