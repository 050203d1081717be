//! Starting and stopping the sandbox: binds the listener, builds the router of every family and
//! owns the graceful-shutdown signal, so dropping the [`Sandbox`] handle stops the server.

use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::callbacks::RefusedCallbacks;
use crate::config::SandboxConfig;
use crate::errors::{ApiError, ErrorKind, Family};
use crate::host::{self, AllowedHosts};
use crate::state::{AppState, Shared};
use crate::streams::StreamStats;
use crate::{
    anthropic, faults, gemini, kling, media, models, music, music_query, openai, responses, tasks,
    uploads,
};

/// Largest upload the form routes take (an `input_reference` image or video); axum's default is
/// 2 MB, less than a phone photo.
const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// How long [`Sandbox::shutdown`] waits for in-flight requests before aborting the server task.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// A running sandbox. Dropping it stops the server (graceful shutdown, in the background).
pub struct Sandbox {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    streams: Arc<StreamStats>,
    refused_callbacks: Arc<RefusedCallbacks>,
    state: Shared,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

impl Sandbox {
    /// The bound address (with the real port when the config asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://IP:PORT`, with loopback substituted when bound to an unspecified address.
    pub fn base_url(&self) -> String {
        base_url_of(self.addr)
    }

    /// Streamed bodies being written right now: every chat stream, and JSON bodies under a
    /// stream fault. A stream stops counting once it ends, breaks or its client goes away.
    pub fn open_streams(&self) -> usize {
        self.streams.open()
    }

    /// The bytes `POST /files/upload` took, by the URL it answered with; `None` for any other URL.
    pub fn uploaded(&self, url: &str) -> Option<Vec<u8>> {
        self.state
            .uploads
            .bytes_at(&self.state.base_url, url)
            .map(|b| b.to_vec())
    }

    /// Streams whose client went away before the sandbox finished them (a dropped connection,
    /// e.g. the user pressed Stop), counted when the sandbox noticed. Streams that ended on their
    /// own, broke by a fault, or were ended by [`Sandbox::shutdown`] do not count.
    pub fn closed_streams(&self) -> u64 {
        self.streams.closed_by_client()
    }

    /// Waits until [`Sandbox::closed_streams`] reaches `at_least`; `false` if `timeout` passed
    /// first. For tests: noticing a dropped connection takes the server a moment.
    pub async fn wait_for_closed_streams(&self, at_least: u64, timeout: Duration) -> bool {
        self.streams.wait_closed(at_least, timeout).await
    }

    /// Waits until [`Sandbox::open_streams`] is at most `at_most`; `false` if `timeout` passed
    /// first.
    pub async fn wait_for_open_streams(&self, at_most: usize, timeout: Duration) -> bool {
        self.streams.wait_open_at_most(at_most, timeout).await
    }

    /// Callback URLs the sandbox refused to contact because they name another machine (it
    /// calls back loopback addresses and `localhost` only), oldest first, the last 256. Each
    /// refused delivery (one per callback stage) adds one entry; nothing was sent for it.
    pub fn refused_callbacks(&self) -> Vec<String> {
        self.refused_callbacks.list()
    }

    /// Accepted creates per task kind: `openai-video`, `openai-image`, `dashscope-image`,
    /// `dashscope-video`, `kling:{group}/{kind}` (e.g. `kling:videos/text2video`) and
    /// `suno:{route}` (e.g. `suno:generate`). A create the sandbox refused (a 4xx, a fault
    /// before the handler) is not counted; a sync generation (images) is.
    pub fn creates(&self) -> BTreeMap<String, u64> {
        self.state.creates.by_kind()
    }

    /// Accepted creates of every kind.
    pub fn creates_total(&self) -> u64 {
        self.state.creates.total()
    }

    /// Creates that repeated an earlier one exactly (same key, kind and JSON body): what a
    /// client that resubmits a paid job after a crash or a double click leaves behind. A test
    /// that submits distinct bodies expects 0.
    pub fn duplicate_creates(&self) -> u64 {
        self.state.creates.duplicates()
    }

    /// The sha256 (lowercase hex) of what `url` serves: an artifact URL the sandbox handed out
    /// (`.../sandbox/artifacts/NAME`) or a video's `.../openai/v1/videos/{id}/content`. `None`
    /// for a URL the sandbox does not know. Computed by generating the bytes again, so it takes
    /// as long as a download of a large artifact would.
    pub fn artifact_sha256(&self, url: &str) -> Option<String> {
        tasks::bytes_of(&self.state, url).map(|b| b.sha256())
    }

    /// Stops accepting connections, ends open streams and waits (briefly) for the server to stop.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Streams and the server watch this flag; the server task then ends on its own.
        let _ = self.shutdown.send(true);
    }
}

fn base_url_of(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        addr.ip()
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// Binds `config.addr`, spawns the server on the current tokio runtime and returns once it is
/// listening (connections made after this returns are accepted).
pub async fn start(config: SandboxConfig) -> io::Result<Sandbox> {
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = watch::channel(false);
    let base_url = base_url_of(addr);
    let streams = StreamStats::new();
    let refused_callbacks = Arc::new(RefusedCallbacks::default());
    let state: Shared = Arc::new(
        AppState::new(
            config,
            rx.clone(),
            base_url,
            Arc::clone(&streams),
            Arc::clone(&refused_callbacks),
        )
        .with_task_file(),
    );
    let app = router(Arc::clone(&state), AllowedHosts::for_addr(addr));
    let mut signal = rx;
    let task = tokio::spawn(async move {
        let stop = async move {
            let _ = signal.wait_for(|stopped| *stopped).await;
        };
        // Token frames are tiny writes: without TCP_NODELAY the first one after a reused
        // connection's previous stream waits ~40 ms behind the client's delayed ACK (seen in
        // tests/benches/stream_vs_curl.rs). Real gateways stream with Nagle off too.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::warn!("sandbox server stopped with an error: {e}");
        }
    });
    Ok(Sandbox {
        addr,
        shutdown: tx,
        task: Some(task),
        streams,
        refused_callbacks,
        state,
    })
}

/// Every route, one a line: rustfmt would spread the long ones over four lines each and the table
/// would stop reading as one. The `Host` check is the outermost layer: a request not addressed
/// to the sandbox reaches no fault and no route.
#[rustfmt::skip]
fn router(state: Shared, hosts: Arc<AllowedHosts>) -> Router {
    Router::new()
        .route("/openai/v1/models", get(models::list))
        .route("/anthropic/v1/models", get(models::list))
        .route("/openai/v1/chat/completions", post(openai::chat_completions))
        .route("/openai/v1/embeddings", post(openai::embeddings))
        .route("/openai/v1/moderations", post(openai::moderations))
        .route("/anthropic/v1/messages", post(anthropic::messages))
        .route("/anthropic/v1/messages/count_tokens", post(anthropic::count_tokens))
        .route("/gemini/v1beta/models/{target}", post(gemini::models_action))
        .route("/openai/v1/responses", post(responses::create))
        .route("/openai/v1/responses/{id}", get(responses::retrieve))
        .route("/openai/v1/videos", post(media::create_video).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .route("/openai/v1/videos/{id}", get(media::get_video))
        .route("/openai/v1/videos/{id}/content", get(media::video_content))
        .route("/openai/v1/images/generations", post(media::images_generations))
        .route("/openai/v1/audio/speech", post(media::audio_speech))
        .route("/dashscope/v1/services/aigc/multimodal-generation/generation", post(media::dashscope_image))
        .route("/dashscope/v1/services/aigc/video-generation/video-synthesis", post(media::dashscope_video))
        .route("/dashscope/v1/tasks/{id}", get(media::dashscope_task))
        .route("/sandbox/artifacts/{name}", get(tasks::serve_artifact))
        .route("/files/upload", post(uploads::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT * 2)))
        .route("/sandbox/uploads/{id}", get(uploads::serve))
        .route("/transtreams/kling/v1/{group}/{kind}", post(kling::create))
        .route("/transtreams/kling/v1/{group}/{kind}/{id}", get(kling::query))
        .route("/suno/query/{kind}", get(music_query::query))
        .route("/suno/{route}", post(music::post_route))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), faults::middleware))
        .layer(axum::middleware::from_fn_with_state(hosts, host::guard))
        .with_state(state)
}

/// A known route with the wrong method: 405 in the family's envelope.
async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    let path = uri.path();
    let msg = format!("Method {method} is not allowed on {path}");
    ApiError::new(Family::from_path(path), ErrorKind::MethodNotAllowed, msg)
}

/// Unknown routes (including the unpublished `/v1/models`) get a 404 in the family's envelope.
async fn not_found(uri: Uri) -> ApiError {
    let path = uri.path();
    ApiError::not_found(Family::from_path(path), format!("Unknown route: {path}"))
}
