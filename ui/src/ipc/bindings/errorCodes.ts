// Generated from src-tauri/src/commands/table.rs by src-tauri/src/commands/contract.rs.
// Do not edit: `UPDATE_BINDINGS=1 cargo test -p anyint-desk` rewrites it.
import type { ErrorCode } from "./ErrorCode";

export const ErrorCodes = {
  InvalidInput: "invalid_input",
  NotFound: "not_found",
  NoKey: "no_key",
  SandboxNotRunning: "sandbox_not_running",
  InsecureHttp: "insecure_http",
  Unsupported: "unsupported",
  Store: "store",
  Internal: "internal",
  Unreachable: "unreachable",
  Timeout: "timeout",
  BadResponse: "bad_response",
  InvalidKey: "invalid_key",
  Forbidden: "forbidden",
  RateLimited: "rate_limited",
  BadRequest: "bad_request",
  GatewayUnavailable: "gateway_unavailable",
  GatewayError: "gateway_error",
  KeychainUnavailable: "keychain_unavailable",
  Keychain: "keychain",
  KeyMissing: "key_missing",
  DuplicateKey: "duplicate_key",
  KeyInUse: "key_in_use",
  NewKeyRejected: "new_key_rejected",
  StalePlan: "stale_plan",
  HandoffRejected: "handoff_rejected",
} as const satisfies Record<string, ErrorCode>;
