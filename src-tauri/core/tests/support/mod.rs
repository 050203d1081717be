//! What the `anyint` CLI tests share: running the binary with the sandbox's demo key and a
//! data folder, off the async runtime's threads.

use std::process::{Command, Output};

pub async fn run(args: Vec<String>, data_dir: &std::path::Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anyint"));
    cmd.args(args)
        .env_remove("ANYINT_BASE_URL")
        .env("ANYINT_API_KEY", anyint_sandbox::DEMO_KEY)
        .env("ANYINT_DESK_DATA_DIR", data_dir);
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

pub fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}
