// Client-side checks for the "add connection" form. They catch typos before a round trip;
// the backend validates again and its answer is shown inline too.

export const BASE_URL_PRESETS = ["https://api.anyint.ai", "https://gateway.api.anyint.ai"] as const;
export const DEFAULT_BASE_URL = BASE_URL_PRESETS[0];

export function validateName(name: string): string | null {
  const n = name.trim();
  if (n === "") return "Give the connection a name.";
  if (n.length > 80) return "Keep the name under 80 characters.";
  return null;
}

/** Null when `value` is an absolute http(s) URL with a host; otherwise what is wrong with it. */
export function validateBaseUrl(value: string): string | null {
  const v = value.trim();
  if (v === "") return "Enter the gateway's base URL, e.g. https://api.anyint.ai.";
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return "This is not a URL. Use the form https://host[:port].";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "Use an http:// or https:// URL.";
  }
  if (url.hostname === "") return "The URL needs a host name.";
  // Keys travel in headers, never in the URL: credentials here would end up in logs and the DB.
  if (url.username !== "" || url.password !== "") {
    return "Do not put credentials in the URL; the key is set separately.";
  }
  if (url.search !== "" || url.hash !== "") {
    return "Leave out ?query and #fragment; only the base URL is needed.";
  }
  return null;
}
