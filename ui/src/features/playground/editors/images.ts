// Images picked from a file, read into base64 for the families' inline forms.
//
// The cap: Anthropic refuses an image over 5 MB and the whole body travels through IPC and
// history, so a file may be at most 3.75 MB (5 MB once base64 has grown it by a third).

export const MAX_IMAGE_BYTES = 3_750_000;
export const MAX_IMAGE_TEXT = "3.75 MB";

export interface InlineImage {
  /** e.g. `image/png`, from the file (as the browser saw it). */
  mime: string;
  /** Base64 of the bytes, no `data:` prefix. */
  data: string;
  name: string;
  size: number;
}

export type ImageRead = { ok: true; image: InlineImage } | { ok: false; error: string };

/** Why a file cannot be sent inline, or null when it can. */
export function checkImage(file: { name: string; type: string; size: number }): string | null {
  if (!file.type.startsWith("image/")) return `“${file.name}” is not an image (${file.type || "unknown type"}).`;
  if (file.size > MAX_IMAGE_BYTES) {
    return `“${file.name}” is ${(file.size / 1_000_000).toFixed(1)} MB; images up to ${MAX_IMAGE_TEXT} can be sent inline.`;
  }
  return null;
}

export function readImage(file: File): Promise<ImageRead> {
  const problem = checkImage(file);
  if (problem) return Promise.resolve({ ok: false, error: problem });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      const parsed = typeof reader.result === "string" ? parseDataUrl(reader.result) : null;
      if (!parsed) return resolve({ ok: false, error: `“${file.name}” could not be read as an image.` });
      // The reader's MIME can be empty for unusual files; the File's own type is what was checked.
      resolve({ ok: true, image: { mime: file.type || parsed.mime, data: parsed.data, name: file.name, size: file.size } });
    };
    reader.onerror = () => resolve({ ok: false, error: `“${file.name}” could not be read: ${reader.error?.message ?? "unknown error"}.` });
    reader.readAsDataURL(file);
  });
}

export const dataUrl = (img: { mime: string; data: string }): string => `data:${img.mime};base64,${img.data}`;

/** `data:<mime>;base64,<data>` split up; null for anything else (an https URL, say). */
export function parseDataUrl(url: string): { mime: string; data: string } | null {
  const m = /^data:([^;,]*);base64,(.*)$/s.exec(url);
  return m ? { mime: m[1] ?? "", data: m[2] ?? "" } : null;
}

/** How big the bytes of a base64 string are, for the thumbnails' captions. */
export const base64Bytes = (data: string): number => Math.floor((data.length * 3) / 4) - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0);

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(0)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
