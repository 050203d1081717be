//! Files the app writes for the user (exports): a fresh, timestamped name in the chosen
//! folder that nothing else holds, never a path that already exists.
//!
//! Names are claimed with `create_new` (`O_CREAT | O_EXCL`), which refuses any existing entry,
//! a symlink too, dangling or not: an export never writes through a link planted in the folder
//! and never replaces a file, not even one another export made the same second. The bytes go
//! to a temp file (also `create_new`) that is renamed over the claimed, still empty name, so
//! a crash leaves an empty file or a complete one, never half an export.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Names tried before giving up: far more than exports of one stem in one second.
const MAX_ATTEMPTS: u32 = 1000;

pub fn write_new_file(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .map_err(std::io::Error::other)?;
    write_stamped(dir, &format!("{stem}-{stamp}"), ext, bytes)
}

/// `write_new_file` with the name's stem and stamp given (`base`), so tests can know it.
fn write_stamped(dir: &Path, base: &str, ext: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let named = |n: u32| match n {
        1 => format!("{base}.{ext}"),
        n => format!("{base}-{n}.{ext}"),
    };
    let (claim, path) = create_unique(|n| dir.join(named(n)))?;
    drop(claim);
    let (mut tmp, tmp_path) = match create_unique(|n| dir.join(format!(".{}.part", named(n)))) {
        Ok(created) => created,
        Err(e) => {
            // Give the claimed name back rather than leave an empty export behind.
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    };
    let written = tmp.write_all(bytes).and_then(|()| tmp.sync_all());
    drop(tmp);
    // `rename` replaces the entry itself (our empty claim), never the target of a link.
    match written.and_then(|()| std::fs::rename(&tmp_path, &path)) {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp_path);
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}

/// Creates the first of `candidate(1)`, `candidate(2)`, … that does not exist yet.
fn create_unique(candidate: impl Fn(u32) -> PathBuf) -> std::io::Result<(File, PathBuf)> {
    for n in 1..=MAX_ATTEMPTS {
        let path = candidate(n);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        ErrorKind::AlreadyExists,
        format!("{MAX_ATTEMPTS} names for this export are taken already"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_distinct_complete_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_new_file(dir.path(), "audit", "csv", b"a,b\n").unwrap();
        let b = write_new_file(dir.path(), "audit", "csv", b"c,d\n").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read(&a).unwrap(), b"a,b\n");
        assert_eq!(std::fs::read(&b).unwrap(), b"c,d\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temp file left behind");
    }

    /// Links planted at the export's first names and at its temp file's name (pointing at a
    /// file someone wants overwritten, or at nothing yet) are left alone: the export takes
    /// the next free names and the files behind the links are untouched.
    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        let first = dir.path().join("audit-stamp.csv");
        std::os::unix::fs::symlink(&victim, &first).unwrap();
        let dangling_target = dir.path().join("not-yet.txt");
        let second = dir.path().join("audit-stamp-2.csv");
        std::os::unix::fs::symlink(&dangling_target, &second).unwrap();
        let temp = dir.path().join(".audit-stamp.csv.part");
        std::os::unix::fs::symlink(&victim, &temp).unwrap();

        let path = write_stamped(dir.path(), "audit-stamp", "csv", b"a,b\n").unwrap();

        assert_eq!(path, dir.path().join("audit-stamp-3.csv"));
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\n");
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(
            !dangling_target.exists(),
            "nothing was created through the link"
        );
        for link in [&first, &second, &temp] {
            assert!(std::fs::symlink_metadata(link).unwrap().is_symlink());
        }
    }

    /// Exports of the same stem in the same second, at once: each gets its own file.
    #[test]
    fn concurrent_writes_never_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let writers: Vec<_> = (0..8)
            .map(|i| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || {
                    let text = format!("export {i}\n");
                    let path = write_stamped(&dir, "audit-stamp", "csv", text.as_bytes()).unwrap();
                    (path, text)
                })
            })
            .collect();
        let written: Vec<(PathBuf, String)> =
            writers.into_iter().map(|w| w.join().unwrap()).collect();
        for (path, text) in &written {
            assert_eq!(&std::fs::read_to_string(path).unwrap(), text);
        }
        let names: std::collections::BTreeSet<_> = written.iter().map(|(p, _)| p).collect();
        assert_eq!(names.len(), 8);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 8);
    }
}
