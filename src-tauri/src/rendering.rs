//! How WebKitGTK draws the window. On a machine without a GPU (a VM, a remote desktop, Xvfb),
//! WebKit's accelerated compositing still runs, through Mesa's software OpenGL (llvmpipe), and
//! every repaint of the page goes through it: the window benchmark measured ~75 ms a frame
//! while an answer streams (12 fps) and ~12% of a core at idle, against 16 ms (60 fps) and ~2%
//! with compositing off. So without a GPU render node the app turns compositing off, the way
//! WebKit documents (`WEBKIT_DISABLE_COMPOSITING_MODE`). A value the user set is left alone
//! (any value, `0` included, is left to WebKit and stops this switch).
//!
//! In this mode WebKitWebDriver's screenshot of the Media studio never returned, so the e2e
//! suite reads its screenshots off the X server instead (tests/tests/e2e/x_screen.rs); the
//! window itself paints the studio as usual.

/// WebKitGTK's switch for its non-composited (CPU, damage-rect) drawing mode.
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Must run before any thread starts (it sets a process environment variable, which is only
/// sound while the process has one thread) and before the first webview is created.
pub fn choose_compositing() {
    if !cfg!(target_os = "linux") || std::env::var_os(DISABLE_COMPOSITING).is_some() {
        return;
    }
    if !has_gpu_render_node(std::path::Path::new("/dev/dri")) {
        std::env::set_var(DISABLE_COMPOSITING, "1");
        // The subscriber is not installed yet: say it on stderr, once.
        eprintln!("anyint-desk: no GPU render node in /dev/dri; WebKit compositing is off ({DISABLE_COMPOSITING}=1)");
    }
}

/// Whether `dri` holds a DRM render node (`renderD128`...), the device a GPU driver exposes.
fn has_gpu_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::has_gpu_render_node;

    #[test]
    fn a_render_node_counts_as_a_gpu_and_a_card_alone_or_no_folder_does_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_gpu_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert!(!has_gpu_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_gpu_render_node(dir.path()));
    }
}
