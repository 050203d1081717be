// Words for the Keys screen. Error texts are chosen by the boundary error's `code` only; the
// backend's message is shown underneath, never matched on.
import { ErrorCodes as E, type AttentionReason, type Environment, type IpcError, type KeyKind, type KeyStatus, type Outcome } from "../../ipc";
import type { ErrorText } from "../models/errorText";

export type RowAction = "verify" | "bind" | "copy" | "rotate" | "edit" | "delete";

export const ENVIRONMENTS: { value: Environment; label: string }[] = [
  { value: "dev", label: "dev" },
  { value: "staging", label: "staging" },
  { value: "prod", label: "prod" },
  { value: "personal", label: "personal" },
];

export const KIND_LABEL: Record<KeyKind, string> = {
  plan: "Plan",
  custom: "Custom subscription",
  basic: "Basic",
};

export const STATUS_LABEL: Record<KeyStatus, string> = {
  active: "Active",
  rotating: "Rotating",
  retired: "Retired",
};

export const OUTCOME_LABEL: Record<Outcome, string> = {
  works: "Works",
  invalid: "Invalid (401)",
  blocked: "Blocked (403)",
  limited: "Rate-limited (429)",
  unreachable: "Unreachable",
  error: "Error",
};

export const REASON_LABEL: Record<AttentionReason, string> = {
  due_soon: "rotation or expiry due soon",
  expired: "expired",
  rotation_overdue: "rotation overdue",
  never_verified: "never verified",
  verification_failed: "last verification failed",
  retired_but_in_use: "retired but still used by a connection",
  missing_from_keychain: "secret missing from keychain",
};

export const KEYCHAIN_UNAVAILABLE: ErrorText = {
  title: "No usable keychain:",
  action:
    "AnyInt Desk stores keys only in the OS keychain and will not store them anywhere else. " +
    "Start/unlock your keyring (gnome-keyring, KWallet) and retry.",
};

// No `default`: a code added in Rust that this switch does not place is a type error here.
export function describeKeyError(err: IpcError): ErrorText {
  switch (err.code) {
    case E.KeychainUnavailable:
      return KEYCHAIN_UNAVAILABLE;
    case E.DuplicateKey:
      return {
        title: "This key is already in the vault.",
        action: "Each secret is stored once: use the existing entry (same fingerprint) instead.",
      };
    case E.InvalidInput:
      return { title: "The request was not accepted.", action: "Check the fields and try again." };
    case E.KeyMissing:
      return {
        title: "The secret is missing from the keychain (deleted outside the app).",
        action: "Rotate in a new key, or delete this entry.",
      };
    case E.KeyInUse:
      return {
        title: "The key is still used by a connection.",
        action: "Bind another key to that connection first (“Use…” on that key's row), or rotate the key.",
      };
    case E.NewKeyRejected:
      return {
        title: "The new key was rejected; nothing was changed.",
        action: "Check that you copied the whole key from the AnyInt dashboard and that it is active.",
      };
    case E.StalePlan:
      return {
        title: "The key changed after the new key was verified; nothing was changed.",
        action: "Verify the new key again.",
      };
    case E.HandoffRejected:
      return {
        title: "The hand-off file could not be opened: wrong passphrase, or not an AnyInt Desk hand-off file.",
        action: "Check the passphrase (it is case-sensitive) with the person who exported the file, and pick the .age file they sent.",
      };
    case E.NotFound:
      return { title: "That key or connection no longer exists.", action: "The list has been reloaded." };
    case E.Keychain:
      return { title: "The keychain refused the operation.", action: "Unlock your keyring and retry." };
    case E.NoKey:
      return { title: "There is no key to use.", action: "Bind a key to the active connection first." };
    case E.InsecureHttp:
      return {
        title: "The connection's URL is plain http:// to another machine.",
        action: "Use https://, or confirm plain HTTP when adding the connection.",
      };
    case E.SandboxNotRunning:
      return {
        title: "The Sandbox gateway is not running in this session.",
        action: "Restart the app, or switch to another connection to verify against.",
      };
    case E.Unreachable:
    case E.Timeout:
      return { title: "The gateway could not be reached.", action: "Check the active connection and your network." };
    case E.Unsupported:
    case E.Store:
    case E.Internal:
    case E.BadResponse:
    case E.InvalidKey:
    case E.Forbidden:
    case E.RateLimited:
    case E.BadRequest:
    case E.GatewayUnavailable:
    case E.GatewayError:
      return {
        title: "The operation failed.",
        action: "Try again; if it keeps failing, the details below help a bug report.",
      };
  }
}

// Dates: RFC 3339 times in the user's locale; `YYYY-MM-DD` dates shown as written.
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatTime(iso: string | null): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeFmt.format(d);
}

export function outcomeClass(outcome: Outcome): string {
  if (outcome === "works") return "chip chip-ok";
  if (outcome === "limited" || outcome === "unreachable") return "chip chip-warn";
  return "chip chip-bad";
}

export function statusClass(status: KeyStatus): string {
  return { active: "chip chip-ok", rotating: "chip chip-warn", retired: "chip chip-muted" }[status];
}
