//! Files the app writes for the user (exports): a fresh, timestamped name in the chosen
//! folder, written to a temp file first and renamed, so a crash never leaves half a file
//! under the final name.

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write_new_file(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .map_err(std::io::Error::other)?;
    let mut path = dir.join(format!("{stem}-{stamp}.{ext}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{stamp}-{n}.{ext}"));
    }
    let tmp = dir.join(format!(".{stem}-{stamp}.{ext}.part"));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_distinct_complete_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = super::write_new_file(dir.path(), "audit", "csv", b"a,b\n").unwrap();
        let b = super::write_new_file(dir.path(), "audit", "csv", b"c,d\n").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read(&a).unwrap(), b"a,b\n");
        assert_eq!(std::fs::read(&b).unwrap(), b"c,d\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temp file left behind");
    }
}
