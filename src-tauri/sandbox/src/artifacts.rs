//! Tiny but valid media files built in code (nothing is downloaded): a PNG with correct CRCs and
//! zlib checksum, a RIFF WAV of silence and a minimal MP4 (`ftyp` + `moov` + `mdat`).

/// CRC-32 (IEEE, reflected), as PNG chunks need.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A `size`×`size` RGB PNG: a two-colour diagonal gradient derived from `seed`.
pub(crate) fn png(seed: u64, size: u32) -> Vec<u8> {
    let size = size.clamp(1, 128);
    let [r, g, b, ..] = seed.to_le_bytes();
    let mut raw = Vec::with_capacity(((size * 3 + 1) * size) as usize);
    for y in 0..size {
        raw.push(0); // filter type: none
        for x in 0..size {
            let t = ((x + y) * 255 / (2 * size)) as u8;
            raw.extend_from_slice(&[r ^ t, g.wrapping_add(t), b.wrapping_sub(t)]);
        }
    }
    // zlib stream of stored (uncompressed) deflate blocks: valid and needs no compressor.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit, truecolour, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &z);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A mono 16-bit 8 kHz WAV of `seconds` of silence.
pub(crate) fn wav(seconds: u32) -> Vec<u8> {
    let data_len = WAV_RATE * 2 * seconds.clamp(1, 30);
    let mut out = wav_header(data_len);
    out.resize(WAV_HEADER_LEN + data_len as usize, 0);
    out
}

const WAV_RATE: u32 = 8_000;
/// Length of [`wav_header`].
pub(crate) const WAV_HEADER_LEN: usize = 44;

/// The 44-byte RIFF header of a mono 16-bit 8 kHz WAV whose data chunk is `data_len` bytes.
pub(crate) fn wav_header(data_len: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(WAV_HEADER_LEN);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&WAV_RATE.to_le_bytes());
    out.extend_from_slice(&(WAV_RATE * 2).to_le_bytes()); // byte rate
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out
}

fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
    out
}

/// A minimal ISO-BMFF file: `ftyp`, a `moov` with an `mvhd` of `seconds`, and an `mdat`.
pub(crate) fn mp4(seconds: u32) -> Vec<u8> {
    let mut out = mp4_head(seconds);
    out.extend(mp4_box(b"mdat", &[0u8; 64]));
    out
}

/// The `ftyp` and `moov` boxes of [`mp4`]; an `mdat` box follows them.
pub(crate) fn mp4_head(seconds: u32) -> Vec<u8> {
    let mut ftyp = b"isom".to_vec();
    ftyp.extend_from_slice(&0x200u32.to_be_bytes());
    ftyp.extend_from_slice(b"isomiso2mp41");
    let mut mvhd = vec![0u8; 4]; // version 0, flags 0
    mvhd.extend_from_slice(&[0; 8]); // creation and modification time
    mvhd.extend_from_slice(&1000u32.to_be_bytes()); // timescale
    mvhd.extend_from_slice(&(seconds * 1000).to_be_bytes()); // duration
    mvhd.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // rate 1.0
    mvhd.extend_from_slice(&0x0100u16.to_be_bytes()); // volume 1.0
    mvhd.extend_from_slice(&[0; 10]); // reserved
    for m in [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
        mvhd.extend_from_slice(&m.to_be_bytes()); // unity matrix
    }
    mvhd.extend_from_slice(&[0; 24]); // pre-defined
    mvhd.extend_from_slice(&2u32.to_be_bytes()); // next track id
    let mut out = mp4_box(b"ftyp", &ftyp);
    out.extend(mp4_box(b"moov", &mp4_box(b"mvhd", &mvhd)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn png_chunks_have_valid_crcs() {
        let p = png(42, 8);
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
        let mut i = 8;
        let mut kinds = Vec::new();
        while i < p.len() {
            let len = u32::from_be_bytes([p[i], p[i + 1], p[i + 2], p[i + 3]]) as usize;
            let body = &p[i + 4..i + 8 + len];
            let crc = u32::from_be_bytes([
                p[i + 8 + len],
                p[i + 9 + len],
                p[i + 10 + len],
                p[i + 11 + len],
            ]);
            assert_eq!(crc32(body), crc);
            kinds.push(String::from_utf8_lossy(&body[..4]).into_owned());
            i += 12 + len;
        }
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
    }

    #[test]
    fn wav_and_mp4_headers() {
        let w = wav(1);
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(&w[8..12], b"WAVE");
        assert_eq!(w.len(), 44 + 16_000);
        let m = mp4(5);
        assert_eq!(&m[4..8], b"ftyp");
        let ftyp_len = u32::from_be_bytes([m[0], m[1], m[2], m[3]]) as usize;
        assert_eq!(&m[ftyp_len + 4..ftyp_len + 8], b"moov");
    }
}
