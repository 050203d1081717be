// What a Models error means for the user, chosen by the boundary error's `code` only: message
// text is the gateway's and may change, so it is shown underneath, never matched on.
import { ErrorCodes as E, type IpcError } from "../../ipc";

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

// No `default`: a code added in Rust that this switch does not place is a type error here.
export function describeModelsError(err: IpcError, baseUrl: string | null | undefined): ErrorText {
  switch (err.code) {
    case E.InvalidKey:
      return {
        title: "The gateway rejected the key (401).",
        action: "Check the key for this connection.",
      };
    case E.Forbidden:
      return {
        title: "The gateway refused access (403): a policy or the subscription does not allow it.",
        action: "Check the key's team and project policy or its subscription in the AnyInt dashboard.",
      };
    case E.RateLimited:
      return {
        title: "The gateway is rate-limiting this key (429).",
        action: "Wait a moment, then press Refresh.",
      };
    case E.Unreachable:
      return {
        title: `Cannot reach ${hostOf(baseUrl)}.`,
        action: "Check the base URL and your network.",
      };
    case E.Timeout:
      return {
        title: `${hostOf(baseUrl)} did not answer in time.`,
        action: "Check your network, then press Refresh.",
      };
    case E.BadResponse:
      return {
        title: "The gateway answered with something that is not a models list.",
        action: "Check that the base URL points at an AnyInt gateway, such as https://api.anyint.ai.",
      };
    case E.NoKey:
      return {
        title: "This connection has no key.",
        action: "Bind a key to it on the Keys screen, or set ANYINT_API_KEY and restart the app.",
      };
    case E.KeyMissing:
      return {
        title: "The secret of this connection's key is missing from the keychain (deleted outside the app).",
        action: "On the Keys screen, rotate in a new key or bind another one.",
      };
    case E.InsecureHttp:
      return {
        title: "This connection's URL is plain http:// to another machine.",
        action: "Edit the connection to use https://, or confirm plain HTTP on the Connections screen.",
      };
    case E.SandboxNotRunning:
      return {
        title: "The Sandbox gateway is not running in this session.",
        action: "Restart the app; if it keeps failing, the app's log says why the Sandbox did not start.",
      };
    case E.InvalidInput:
      return {
        title: "The request was not valid.",
        action: "Check this connection's base URL on the Connections screen.",
      };
    case E.KeychainUnavailable:
    case E.Keychain:
      return {
        title: "The keychain did not answer, so the connection's key could not be read.",
        action: "Start or unlock your keyring (gnome-keyring, KWallet), then press Refresh.",
      };
    case E.NotFound:
    case E.Unsupported:
    case E.Store:
    case E.Internal:
    case E.BadRequest:
    case E.GatewayUnavailable:
    case E.GatewayError:
    case E.DuplicateKey:
    case E.KeyInUse:
    case E.NewKeyRejected:
    case E.StalePlan:
    case E.HandoffRejected:
      return {
        title: "Loading models failed.",
        action: "Press Refresh to try again; if it keeps failing, the details below help a bug report.",
      };
  }
}
