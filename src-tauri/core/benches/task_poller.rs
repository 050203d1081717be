//! Prints what the task poller costs with 10,000 tracked tasks: a temp database (a real file,
//! WAL, as the app opens it) with 10,000 tasks across the four families, a gateway double that
//! answers every poll at once with "still running", and the standard per-family cadence
//! (2 s backing off to 8-15 s). After a warm-up long enough for every task to reach its longest
//! gap, the process's CPU time is read from /proc over a measuring window and printed as a
//! share of one core, beside the polls per second it served. Issue target: under 2% of a core.
//! Figures to compare runs, not a pass/fail threshold. Linux only (reads /proc/self/stat).
//! Run: `cargo bench -p anyint-core --bench task_poller` (about 1.5 minutes).

use anyint_core::background::BackgroundWork;
use anyint_core::store::Store;
use anyint_core::tasks::center::{SubmitArgs, TaskCenter};
use anyint_core::tasks::poller::{Backends, PollerConfig, TaskPoller};
use anyint_core::tasks::{BackendFailure, Created, PollReport, TaskBackend, TaskState};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TASKS: usize = 10_000;
const ROUTES: [&str; 4] = [
    "suno.generate",
    "dashscope.video",
    "kling.text2video",
    "openai.videos",
];
const WARM_UP: Duration = Duration::from_secs(40);
const MEASURE: Duration = Duration::from_secs(30);

/// Answers creates with a fresh id and every poll with "running", counting polls.
struct StillRunning {
    polls: AtomicU64,
    next: AtomicU64,
}

impl TaskBackend for StillRunning {
    async fn create(&self, _route: &str, _body: &Value) -> Result<Created, BackendFailure> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Ok(Created::Task {
            gateway_task_id: format!("gw-{n}"),
            raw: json!({"id": n}),
        })
    }

    async fn poll(&self, _route: &str, id: &str) -> Result<PollReport, BackendFailure> {
        self.polls.fetch_add(1, Ordering::Relaxed);
        Ok(PollReport {
            state: TaskState::Running,
            raw_status: "RUNNING".into(),
            progress: None,
            artifacts: Vec::new(),
            failure: None,
            raw: json!({"task_id": id, "task_status": "RUNNING"}),
        })
    }

    async fn open_content(&self, _path: &str) -> Result<reqwest::Response, BackendFailure> {
        Err(BackendFailure {
            status: None,
            message: "no content in this bench".into(),
            retryable: false,
            retry_after: None,
            raw: None,
        })
    }
}

struct One(Arc<StillRunning>);

impl Backends for One {
    type Backend = StillRunning;
    fn backend(&self, _connection_id: &str) -> Result<Arc<StillRunning>, String> {
        Ok(self.0.clone())
    }
}

/// User + system CPU time of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the `(comm)` part; utime and stime are the 12th and 13th of those.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<u64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    // USER_HZ is 100 on every Linux the app targets.
    Duration::from_millis(ticks * 10)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("no runtime: {e}"));
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("no store: {e}"));
        let center = Arc::new(TaskCenter::new(store, dir.path().join("artifacts")));
        let backend = Arc::new(StillRunning {
            polls: AtomicU64::new(0),
            next: AtomicU64::new(0),
        });
        let filled = Instant::now();
        for i in 0..TASKS {
            let body = json!({"prompt": format!("task {i}"), "model": "m"});
            let sid = format!("s{i}");
            let args = SubmitArgs {
                connection_id: "sandbox",
                route: ROUTES[i % ROUTES.len()],
                body: &body,
                label: None,
                submission_id: &sid,
                parent_task_id: None,
                rerun_of: None,
            };
            center
                .submit(&*backend, &args)
                .await
                .unwrap_or_else(|e| panic!("submit failed: {e}"));
        }
        println!(
            "submitted {TASKS} tasks in {:.1} s",
            filled.elapsed().as_secs_f64()
        );
        let work = BackgroundWork::new(tokio::runtime::Handle::current());
        TaskPoller::start(
            center.clone(),
            One(backend.clone()),
            PollerConfig::default(),
            &work,
        )
        .unwrap_or_else(|e| panic!("poller did not start: {e}"));
        tokio::time::sleep(WARM_UP).await;
        let (cpu0, polls0, t0) = (
            cpu_time(),
            backend.polls.load(Ordering::Relaxed),
            Instant::now(),
        );
        tokio::time::sleep(MEASURE).await;
        let (cpu1, polls1, wall) = (
            cpu_time(),
            backend.polls.load(Ordering::Relaxed),
            t0.elapsed(),
        );
        work.stop().await;
        let share = (cpu1 - cpu0).as_secs_f64() / wall.as_secs_f64() * 100.0;
        let rate = (polls1 - polls0) as f64 / wall.as_secs_f64();
        println!(
            "poller with {TASKS} tracked tasks: {share:.2}% of one core, {rate:.0} polls/s \
             (every answer recorded), measured over {:.0} s after {:.0} s of warm-up",
            wall.as_secs_f64(),
            WARM_UP.as_secs_f64()
        );
        println!(
            "per poll: {:.0} µs of CPU",
            (cpu1 - cpu0).as_secs_f64() * 1e6 / (polls1 - polls0).max(1) as f64
        );
        println!(
            "still running after the window: {}",
            center.running_count().unwrap_or(0)
        );
    });
}
