//! Artifacts of a chosen size ([`crate::SandboxConfig::artifact_size`]), for download tests and
//! the throughput benchmark: a valid WAV or MP4 header claiming the whole size, then generated
//! bytes, streamed chunk by chunk so a file of hundreds of MB is never held in memory.
//!
//! The bytes are a pure function of the artifact's seed and the size, so a test can check a
//! download's sha256 against [`crate::Sandbox::artifact_sha256`]. Every chunk starts with its
//! own index, so a download that drops, repeats or reorders chunks gets another checksum.
//! `Range: bytes=N-` requests get the rest from byte N (206), so a client can resume.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::artifacts::{mp4_head, wav_header, WAV_HEADER_LEN};
use crate::tasks::ArtifactKind;
use crate::text::SplitMix64;

/// Bytes per streamed chunk.
const CHUNK: usize = 64 * 1024;
/// WAV and MP4 (without a 64-bit `mdat`) both carry 32-bit sizes.
const MAX_SIZE: u64 = u32::MAX as u64;

/// The bytes of one artifact: small files in one piece, sized ones as a sequence of chunks.
pub(crate) struct ArtifactBytes {
    head: Option<Bytes>,
    block: Bytes,
    index: u64,
    /// Bytes after the head still to come.
    remaining: u64,
    /// Bytes of the next chunk already skipped (a range that starts inside a chunk).
    skip_in_chunk: usize,
}

impl ArtifactBytes {
    /// The artifact of `kind` with `seed`, `size` bytes long when a size is set and the kind
    /// can be any size (WAV, MP4); PNGs stay small real images.
    pub(crate) fn new(kind: ArtifactKind, seed: u64, size: Option<u64>) -> ArtifactBytes {
        let sized = size.filter(|_| kind != ArtifactKind::Png);
        let Some(size) = sized else {
            let bytes = Bytes::from(kind.bytes(seed));
            return ArtifactBytes {
                head: Some(bytes),
                block: Bytes::new(),
                index: 0,
                remaining: 0,
                skip_in_chunk: 0,
            };
        };
        let size = size.min(MAX_SIZE);
        let head = match kind {
            ArtifactKind::Wav => {
                let data = size.saturating_sub(WAV_HEADER_LEN as u64);
                wav_header(u32::try_from(data).unwrap_or(u32::MAX))
            }
            _ => {
                let mut head = mp4_head(5);
                let mdat = size.saturating_sub(head.len() as u64).max(8);
                head.extend_from_slice(&u32::try_from(mdat).unwrap_or(u32::MAX).to_be_bytes());
                head.extend_from_slice(b"mdat");
                head
            }
        };
        let remaining = size.saturating_sub(head.len() as u64);
        let mut rng = SplitMix64::new(seed);
        let mut block = Vec::with_capacity(CHUNK);
        while block.len() < CHUNK {
            block.extend_from_slice(&rng.next_u64().to_le_bytes());
        }
        ArtifactBytes {
            head: Some(Bytes::from(head)),
            block: Bytes::from(block),
            index: 0,
            remaining,
            skip_in_chunk: 0,
        }
    }

    /// The bytes from `start` to `end` inclusive (clamped to the artifact), for a `Range`
    /// request; generating them costs nothing for the chunks skipped.
    pub(crate) fn range(mut self, start: u64, end: u64) -> ArtifactBytes {
        let head_len = self.head.as_ref().map_or(0, |h| h.len() as u64);
        let mut want = end.saturating_add(1).saturating_sub(start);
        if start < head_len {
            if let Some(head) = self.head.take() {
                let to = head_len.min(start + want);
                self.head = Some(head.slice(start as usize..to as usize));
                want -= to - start;
            }
        } else {
            self.head = None;
            let into = start - head_len;
            let chunks = into / CHUNK as u64;
            self.index = chunks;
            self.skip_in_chunk = (into % CHUNK as u64) as usize;
            self.remaining = self.remaining.saturating_sub(into);
        }
        self.remaining = self.remaining.min(want);
        self
    }

    /// Total length in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.head.as_ref().map_or(0, |h| h.len() as u64) + self.remaining
    }

    /// The sha256 of the whole artifact, lowercase hex.
    pub(crate) fn sha256(self) -> String {
        let mut hasher = Sha256::new();
        for chunk in self {
            hasher.update(&chunk);
        }
        hex::encode(hasher.finalize())
    }

    /// The artifact as a response to a request with these `headers`: the whole file, or (for a
    /// `Range: bytes=N-` / `bytes=N-M` request, as CDNs serve them, so a download can resume)
    /// 206 with that part, or 416 for a range past the end.
    pub(crate) fn respond(self, kind: ArtifactKind, headers: &HeaderMap) -> Response {
        let total = self.len();
        let Some((start, end)) = headers
            .get(header::RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_range)
        else {
            return self.into_response(kind);
        };
        if start >= total {
            let unsatisfied = format!("bytes */{total}");
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, unsatisfied)],
            )
                .into_response();
        }
        let end = end.unwrap_or(u64::MAX).min(total - 1);
        let range = format!("bytes {start}-{end}/{total}");
        let mut response = self.range(start, end).into_response(kind);
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(v) = HeaderValue::from_str(&range) {
            response.headers_mut().insert(header::CONTENT_RANGE, v);
        }
        response
    }

    /// The artifact as a streamed response with its content type and length.
    pub(crate) fn into_response(self, kind: ArtifactKind) -> Response {
        let len = self.len();
        let body = Body::from_stream(futures::stream::iter(self.map(Ok::<_, Infallible>)));
        (
            [
                (header::CONTENT_TYPE, kind.content_type().to_owned()),
                (header::CONTENT_LENGTH, len.to_string()),
                (header::ACCEPT_RANGES, "bytes".to_owned()),
            ],
            body,
        )
            .into_response()
    }
}

/// `bytes=START-` or `bytes=START-END`; other forms (suffixes, several ranges) are ignored and
/// the whole file is sent, which RFC 9110 allows.
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start = start.trim().parse::<u64>().ok()?;
    let end = match end.trim() {
        "" => None,
        e => Some(e.parse::<u64>().ok().filter(|e| *e >= start)?),
    };
    Some((start, end))
}

impl Iterator for ArtifactBytes {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        if let Some(head) = self.head.take() {
            return Some(head);
        }
        if self.remaining == 0 {
            return None;
        }
        let skip = std::mem::take(&mut self.skip_in_chunk);
        let n = usize::try_from(self.remaining).map_or(CHUNK - skip, |r| r.min(CHUNK - skip));
        let mut chunk = Vec::with_capacity(CHUNK);
        chunk.extend_from_slice(&self.index.to_le_bytes());
        chunk.extend_from_slice(&self.block[8..]);
        self.index += 1;
        self.remaining -= n as u64;
        Some(Bytes::from(chunk).slice(skip..skip + n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: ArtifactBytes) -> Vec<u8> {
        bytes.flat_map(|c| c.to_vec()).collect()
    }

    #[test]
    fn sized_files_have_the_size_a_valid_header_and_stable_bytes() {
        let size = 3 * CHUNK as u64 + 17;
        let wav = all(ArtifactBytes::new(ArtifactKind::Wav, 7, Some(size)));
        assert_eq!(wav.len() as u64, size);
        assert_eq!((&wav[..4], &wav[8..12]), (&b"RIFF"[..], &b"WAVE"[..]));
        let data_len = u32::from_le_bytes([wav[40], wav[41], wav[42], wav[43]]);
        assert_eq!(u64::from(data_len), size - 44);
        let mp4 = all(ArtifactBytes::new(ArtifactKind::Mp4, 7, Some(size)));
        assert_eq!(mp4.len() as u64, size);
        assert_eq!(&mp4[4..8], b"ftyp");
        let head = mp4_head(5).len();
        assert_eq!(&mp4[head + 4..head + 8], b"mdat");
        let mdat = u32::from_be_bytes([mp4[head], mp4[head + 1], mp4[head + 2], mp4[head + 3]]);
        assert_eq!(head as u64 + u64::from(mdat), size, "mdat runs to the end");
        assert_eq!(
            wav,
            all(ArtifactBytes::new(ArtifactKind::Wav, 7, Some(size)))
        );
        assert_ne!(
            wav,
            all(ArtifactBytes::new(ArtifactKind::Wav, 8, Some(size)))
        );
    }

    #[test]
    fn checksum_is_of_the_streamed_bytes_and_chunks_differ() {
        let bytes = ArtifactBytes::new(ArtifactKind::Mp4, 1, Some(2 * CHUNK as u64));
        let expected = hex::encode(Sha256::digest(all(bytes)));
        let again = ArtifactBytes::new(ArtifactKind::Mp4, 1, Some(2 * CHUNK as u64));
        assert_eq!(again.sha256(), expected);
        let chunks: Vec<Bytes> = ArtifactBytes::new(ArtifactKind::Wav, 1, Some(4 * CHUNK as u64))
            .skip(1)
            .collect();
        assert_ne!(chunks[0], chunks[1], "each chunk carries its index");
    }

    #[test]
    fn a_range_is_exactly_that_slice_of_the_whole() {
        let size = 3 * CHUNK as u64 + 100;
        let whole = all(ArtifactBytes::new(ArtifactKind::Mp4, 9, Some(size)));
        for (start, end) in [
            (0, 10),
            (5, size - 1),
            (CHUNK as u64 + 3, 2 * CHUNK as u64 + 9),
            (size - 1, size + 50),
        ] {
            let part = all(ArtifactBytes::new(ArtifactKind::Mp4, 9, Some(size)).range(start, end));
            let to = (end + 1).min(size) as usize;
            assert_eq!(part, whole[start as usize..to], "{start}-{end}");
        }
        let small = all(ArtifactBytes::new(ArtifactKind::Png, 9, None));
        assert_eq!(
            all(ArtifactBytes::new(ArtifactKind::Png, 9, None).range(8, 20)),
            small[8..21]
        );
        assert_eq!(parse_range("bytes=10-"), Some((10, None)));
        assert_eq!(parse_range("bytes=10-20"), Some((10, Some(20))));
        assert_eq!(parse_range("bytes=20-10"), None);
        assert_eq!(parse_range("bytes=-5"), None);
    }

    #[test]
    fn unsized_and_png_artifacts_are_the_small_files() {
        let png = all(ArtifactBytes::new(ArtifactKind::Png, 3, Some(1 << 20)));
        assert_eq!(png, ArtifactKind::Png.bytes(3));
        let wav = all(ArtifactBytes::new(ArtifactKind::Wav, 3, None));
        assert_eq!(wav, ArtifactKind::Wav.bytes(3));
    }
}
