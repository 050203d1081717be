// Saved artifacts reach the players through Tauri's asset protocol, which the Rust side scopes
// to the artifacts folder alone (src-tauri/src/artifacts.rs): any other path gets a 403.
//
// Images load straight from the asset URL. Audio and video do too where the platform's player
// can read it; WebKitGTK's (GStreamer) cannot read a custom URL scheme at all (WebKit bug
// 146351, tauri-apps/tauri#3725: "No URI handler implemented for asset"), so on Linux a player
// that refuses the asset URL gets the same file fetched over the asset protocol into a blob:
// URL, which WebKit feeds to GStreamer itself. That is why the CSP lists the asset origin in
// connect-src and blob: in media-src. The whole file is then held in memory, hence the cap.
import { convertFileSrc } from "@tauri-apps/api/core";

/** Files above this are not copied into memory for a player: "open folder" instead. */
export const MAX_IN_MEMORY_PLAYBACK_BYTES = 512 * 1024 * 1024;

/** The URL an `<img>`, `<video>` or `<audio>` loads a saved artifact from. */
export function artifactUrl(path: string): string {
  return convertFileSrc(path);
}

/**
 * The saved file as a blob: URL (revoke it with `URL.revokeObjectURL` when the player goes),
 * for a player that cannot read the asset URL itself. `mime` types the blob when the protocol
 * does not say (WebKit picks the decoder from it).
 */
export async function artifactBlobUrl(path: string, mime: string | null): Promise<string> {
  const response = await fetch(convertFileSrc(path));
  if (!response.ok) throw new Error(`the file could not be read (HTTP ${response.status})`);
  const bytes = await response.arrayBuffer();
  const type = mime ?? response.headers.get("content-type") ?? "";
  return URL.createObjectURL(new Blob([bytes], { type }));
}
