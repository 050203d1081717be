// What a Models error means for the user, chosen by the boundary error's `code` only: message
// text is the gateway's and may change, so it is shown underneath, never matched on.
import type { IpcError } from "../../ipc";

export interface ErrorText {
  /** What happened. */
  title: string;
  /** What to do about it. */
  action: string;
}

/** The host part of a base URL for messages; falls back to the text itself if it won't parse. */
export function hostOf(baseUrl: string | null | undefined): string {
  if (!baseUrl) return "the gateway";
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

export function describeModelsError(err: IpcError, baseUrl: string | null | undefined): ErrorText {
  switch (err.code) {
    case "invalid_key":
      return {
        title: "The gateway rejected the key (401).",
        action: "Check the key for this connection.",
      };
    case "forbidden":
      return {
        title: "The gateway refused access (403): a policy or the subscription does not allow it.",
        action: "Check the key's team and project policy or its subscription in the AnyInt dashboard.",
      };
    case "rate_limited":
      return {
        title: "The gateway is rate-limiting this key (429).",
        action: "Wait a moment, then press Refresh.",
      };
    case "unreachable":
      return {
        title: `Cannot reach ${hostOf(baseUrl)}.`,
        action: "Check the base URL and your network.",
      };
    case "timeout":
      return {
        title: `${hostOf(baseUrl)} did not answer in time.`,
        action: "Check your network, then press Refresh.",
      };
    case "bad_response":
      return {
        title: "The gateway answered with something that is not a models list.",
        action: "Check that the base URL points at an AnyInt gateway, such as https://api.anyint.ai.",
      };
    case "no_key":
      return {
        title: "This connection has no key.",
        action: "Set ANYINT_API_KEY and restart the app.",
      };
    case "invalid_input":
      return {
        title: "The request was not valid.",
        action: "Check this connection's base URL on the Connections screen.",
      };
    default:
      return {
        title: "Loading models failed.",
        action: "Press Refresh to try again; if it keeps failing, the details below help a bug report.",
      };
  }
}
