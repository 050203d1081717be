//! Screenshots read from the X server (Xvfb) rather than through WebDriver.
//!
//! Without a GPU the app turns WebKit's compositing off (src-tauri/src/rendering.rs). In that
//! mode WebKitWebDriver's "take screenshot" asks the web process for a snapshot that, on the
//! Media studio, never came back, and the whole suite hung on it. The X server holds the pixels
//! the person sees anyway, so the harness reads them there: the window's rectangle off the root
//! window, as PNG.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, ImageOrder};

/// A rectangle of the screen, in root-window pixels.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub width: u64,
    pub height: u64,
}

/// The pixels inside `rect` (clipped to the screen) as a PNG.
pub fn grab_png(rect: Rect) -> Result<Vec<u8>, String> {
    let (conn, screen_num) = x11rb::connect(None).map_err(|e| format!("X display: {e}"))?;
    let setup = conn.setup();
    let screen = &setup.roots[screen_num];
    // Read as B, G, R, unused below: 32 bits a pixel, least significant byte first (Xvfb's
    // 24-bit screens on x86). Anything else is refused rather than saved with wrong colours.
    let bpp = setup
        .pixmap_formats
        .iter()
        .find(|f| f.depth == screen.root_depth)
        .map(|f| f.bits_per_pixel);
    if setup.image_byte_order != ImageOrder::LSB_FIRST || bpp != Some(32) {
        return Err(format!(
            "an X screen of depth {} at {bpp:?} bits a pixel, {:?}, is not supported",
            screen.root_depth, setup.image_byte_order
        ));
    }
    let clip = clip_to(rect, screen.width_in_pixels, screen.height_in_pixels)
        .ok_or_else(|| format!("{rect:?} is off the screen"))?;
    let image = conn
        .get_image(
            ImageFormat::Z_PIXMAP,
            screen.root,
            clip.0,
            clip.1,
            clip.2,
            clip.3,
            !0,
        )
        .map_err(|e| format!("GetImage: {e}"))?
        .reply()
        .map_err(|e| format!("GetImage reply: {e}"))?;
    let (w, h) = (usize::from(clip.2), usize::from(clip.3));
    if image.data.len() < w * h * 4 {
        return Err(format!(
            "GetImage gave {} bytes for {w}x{h}",
            image.data.len()
        ));
    }
    let rgb: Vec<u8> = image.data[..w * h * 4]
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0]])
        .collect();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, u32::from(clip.2), u32::from(clip.3));
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| format!("PNG: {e}"))?;
    writer
        .write_image_data(&rgb)
        .map_err(|e| format!("PNG: {e}"))?;
    writer.finish().map_err(|e| format!("PNG: {e}"))?;
    Ok(png)
}

/// `rect` clipped to a `width` x `height` screen, as GetImage's x, y, width, height. (WebDriver
/// reports no negative positions through fantoccini, but a window past the right or bottom
/// edge is clipped here, and one wholly off the screen refused.)
fn clip_to(rect: Rect, width: u16, height: u16) -> Option<(i16, i16, u16, u16)> {
    let x0 = rect.x.clamp(0, i64::from(width));
    let y0 = rect.y.clamp(0, i64::from(height));
    let x1 = (rect.x + rect.width as i64).clamp(0, i64::from(width));
    let y1 = (rect.y + rect.height as i64).clamp(0, i64::from(height));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    Some((
        i16::try_from(x0).ok()?,
        i16::try_from(y0).ok()?,
        u16::try_from(x1 - x0).ok()?,
        u16::try_from(y1 - y0).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_window_partly_off_the_screen_is_clipped_and_one_wholly_off_is_refused() {
        use super::clip_to;
        let r = |x, y, width, height| super::Rect {
            x,
            y,
            width,
            height,
        };
        assert_eq!(
            clip_to(r(10, 20, 100, 50), 1280, 800),
            Some((10, 20, 100, 50))
        );
        assert_eq!(
            clip_to(r(-5, 760, 100, 100), 1280, 800),
            Some((0, 760, 95, 40))
        );
        assert_eq!(clip_to(r(1300, 0, 10, 10), 1280, 800), None);
    }
}
