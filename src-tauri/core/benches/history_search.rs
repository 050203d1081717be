//! Prints how fast chat-history search is: a temp database (a real file, WAL, as the app opens
//! it) filled with 10,000 turns of varied text over 1,000 conversations, then 200 searches of
//! one to three words through `ChatHistory::search` (snippets included), as a user types them.
//! Issue target: median under 50 ms. Figures to compare runs, not a pass/fail threshold.
//! Run: `cargo bench -p anyint-core --bench history_search`.

use anyint_core::history::{ChatHistory, NewTurn, PageRequest, TurnStatus};
use anyint_core::store::Store;
use serde_json::json;
use std::time::{Duration, Instant};

const CONVERSATIONS: usize = 1_000;
const TURNS_PER_CONVERSATION: usize = 10;
const SEARCHES: usize = 200;

/// Real words first (so some queries are common words), then made-up ones for a long tail.
const COMMON: &[&str] = &[
    "the",
    "model",
    "request",
    "error",
    "stream",
    "token",
    "rust",
    "python",
    "function",
    "data",
    "server",
    "client",
    "database",
    "query",
    "index",
    "search",
    "history",
    "answer",
    "prompt",
    "image",
    "video",
    "music",
    "gateway",
    "latency",
    "cache",
    "memory",
    "thread",
    "async",
    "await",
    "future",
    "closure",
    "struct",
    "enum",
    "trait",
    "vector",
    "string",
    "json",
    "yaml",
    "config",
    "deploy",
    "docker",
    "kernel",
    "network",
    "socket",
    "packet",
    "router",
    "keyboard",
    "window",
    "screen",
    "button",
    "colour",
    "theme",
    "dark",
    "light",
    "summer",
    "winter",
    "river",
    "mountain",
    "ocean",
    "forest",
    "city",
    "village",
    "history",
    "science",
    "physics",
    "chemistry",
    "biology",
    "planet",
    "star",
    "galaxy",
    "energy",
    "quantum",
    "matrix",
    "graph",
];

/// xorshift64*: deterministic, so every run searches the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indexes, so a few words are frequent and most are rare (Zipf-like).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n
    }
}

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ren", "tu", "sha", "vor", "el", "qui", "dan", "pe", "zor", "ith", "na",
        "bro", "gal", "fen", "xi", "ul", "mar",
    ];
    let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
    while words.len() < 8_000 {
        let n = 2 + rng.below(3);
        words.push(
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect(),
        );
    }
    words
}

fn sentence(rng: &mut Rng, words: &[String], len: usize) -> String {
    let mut out = String::new();
    for i in 0..len {
        if i > 0 {
            out.push_str(if rng.below(12) == 0 { ". " } else { " " });
        }
        out.push_str(&words[rng.skewed(words.len())]);
    }
    out
}

fn new_turn(prompt: String, answer: String) -> NewTurn {
    NewTurn {
        family: "openai_chat".into(),
        model: "gpt-bench".into(),
        request: json!({ "model": "gpt-bench", "messages": [{ "role": "user", "content": prompt }] }),
        prompt,
        answer,
        thinking: String::new(),
        tool_calls: json!([]),
        finish_reason: Some("stop".into()),
        status: TurnStatus::Complete,
        error: None,
        stats: json!({ "ttftMs": 100 }),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let history = ChatHistory::new(Store::open(dir.path())?);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = vocabulary(&mut rng);

    let started = Instant::now();
    let mut answer_bytes = 0usize;
    for _ in 0..CONVERSATIONS {
        let mut conversation: Option<String> = None;
        for _ in 0..TURNS_PER_CONVERSATION {
            let (prompt_len, answer_len) = (8 + rng.below(20), 60 + rng.below(200));
            let prompt = sentence(&mut rng, &words, prompt_len);
            let answer = sentence(&mut rng, &words, answer_len);
            answer_bytes += answer.len();
            let turn = history.append_turn(conversation.as_deref(), new_turn(prompt, answer))?;
            conversation = Some(turn.conversation_id);
        }
    }
    let turns = CONVERSATIONS * TURNS_PER_CONVERSATION;
    let fill = started.elapsed();
    println!(
        "filled {turns} turns ({:.1} MB of answers) in {:.1} s ({:.2} ms per append, one transaction each)",
        answer_bytes as f64 / 1e6,
        fill.as_secs_f64(),
        ms(fill) / turns as f64
    );

    let mut times = Vec::with_capacity(SEARCHES);
    let mut hits = 0usize;
    for i in 0..SEARCHES {
        let n = 1 + rng.below(3);
        let mut query: Vec<String> = (0..n)
            .map(|_| words[rng.skewed(words.len())].clone())
            .collect();
        // Every fourth query is cut short mid-word, as it is while the user types.
        if i % 4 == 0 {
            if let Some(last) = query.last_mut() {
                let keep = last.chars().count().div_ceil(2).max(2);
                *last = last.chars().take(keep).collect();
            }
        }
        let query = query.join(" ");
        let t = Instant::now();
        hits += history.search(&query, 50)?.len();
        times.push(t.elapsed());
    }
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{SEARCHES} searches (limit 50, {:.1} hits on average): median {:.2} ms, p95 {:.2} ms, max {:.2} ms (target: median < 50 ms)",
        hits as f64 / SEARCHES as f64,
        ms(pick(0.5)),
        ms(pick(0.95)),
        ms(pick(1.0)),
    );

    // The worst case: the most frequent word, which matches most of the history.
    let t = Instant::now();
    let worst = history.search("the", 50)?.len();
    println!(
        "most common word (\"the\", {worst} hits kept): {:.2} ms",
        ms(t.elapsed())
    );

    let t = Instant::now();
    let page = history.conversations(PageRequest {
        offset: 500,
        limit: 50,
    })?;
    println!(
        "one page of 50 conversations (offset 500 of {}): {:.2} ms",
        page.total,
        ms(t.elapsed())
    );
    Ok(())
}
