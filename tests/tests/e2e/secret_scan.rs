//! Looks for secrets in plain bytes: every file under the given roots, read whole.

use std::path::{Path, PathBuf};

/// Files under `roots` containing any of `secrets`, as (file, secret index).
pub fn find_secrets(roots: &[PathBuf], secrets: &[&str]) -> Vec<(PathBuf, usize)> {
    let mut hits = Vec::new();
    let mut files = 0usize;
    for root in roots {
        walk(root, &mut |path| {
            files += 1;
            let Ok(bytes) = std::fs::read(path) else {
                return;
            };
            for (i, secret) in secrets.iter().enumerate() {
                if contains(&bytes, secret.as_bytes()) || contains(&bytes, &utf16le(secret)) {
                    hits.push((path.to_path_buf(), i));
                }
            }
        });
    }
    assert!(files > 0, "the scan read no file under {roots:?}");
    hits
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        if dir.is_file() {
            visit(dir);
        }
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, visit),
            Ok(t) if t.is_file() => visit(&path),
            _ => {}
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// WebKit keeps some storage (localStorage) as UTF-16.
fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn the_scan_finds_a_planted_secret_in_utf8_and_utf16() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(dir.path().join("a/b/plain.txt"), b"xx sk-test-planted yy").unwrap();
    std::fs::write(dir.path().join("a/wide.bin"), utf16le("sk-test-wide")).unwrap();
    std::fs::write(dir.path().join("clean"), b"nothing here").unwrap();
    let hits = find_secrets(
        &[dir.path().to_path_buf()],
        &["sk-test-planted", "sk-test-wide", "sk-test-absent"],
    );
    let mut found: Vec<usize> = hits.iter().map(|(_, i)| *i).collect();
    found.sort();
    assert_eq!(found, [0, 1]);
}
