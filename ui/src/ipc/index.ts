// The one door between the UI and the Rust side. Nothing outside src/ipc imports
// @tauri-apps/api, so features can be tested with mockIPC and the contract lives in one place.
import { invoke } from "@tauri-apps/api/core";
import type { Attention } from "./bindings/Attention";
import type { AttentionReason } from "./bindings/AttentionReason";
import type { AuditEntry } from "./bindings/AuditEntry";
import type { Connection } from "./bindings/Connection";
import type { ConnectionKind } from "./bindings/ConnectionKind";
import type { Environment } from "./bindings/Environment";
import type { ImportReport } from "./bindings/ImportReport";
import type { IpcError } from "./bindings/IpcError";
import type { KeyKind } from "./bindings/KeyKind";
import type { KeyMetadata } from "./bindings/KeyMetadata";
import type { KeyRecord } from "./bindings/KeyRecord";
import type { KeyStatus } from "./bindings/KeyStatus";
import type { ModelInfo } from "./bindings/ModelInfo";
import type { ModelsView } from "./bindings/ModelsView";
import type { NewConnection } from "./bindings/NewConnection";
import type { NewKeyInput } from "./bindings/NewKeyInput";
import type { OldModels } from "./bindings/OldModels";
import type { Outcome } from "./bindings/Outcome";
import type { RotationPlan } from "./bindings/RotationPlan";
import type { RotationResult } from "./bindings/RotationResult";
import type { RouteCheck } from "./bindings/RouteCheck";
import type { SkippedKey } from "./bindings/SkippedKey";
import type { Verification } from "./bindings/Verification";

export type {
  Attention,
  AttentionReason,
  AuditEntry,
  Connection,
  ConnectionKind,
  Environment,
  ImportReport,
  IpcError,
  KeyKind,
  KeyMetadata,
  KeyRecord,
  KeyStatus,
  ModelInfo,
  ModelsView,
  NewConnection,
  NewKeyInput,
  OldModels,
  Outcome,
  RotationPlan,
  RotationResult,
  RouteCheck,
  SkippedKey,
  Verification,
};

/** True when `value` already has the boundary error's shape ({code, message}, both strings). */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string";
}

/**
 * Every rejection leaves this module as an IpcError, so callers can switch on `code` alone.
 * Anything else (a JS exception, a string from a plugin, no Tauri runtime at all) becomes
 * `internal`, keeping the original text for the "details" line.
 */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return { code: e.code, message: e.message };
  return { code: "internal", message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export function listConnections(): Promise<Connection[]> {
  return call<Connection[]>("connections_list");
}

export function addConnection(input: NewConnection): Promise<Connection> {
  return call<Connection>("connection_add", { input });
}

export function activateConnection(id: string): Promise<Connection> {
  return call<Connection>("connection_activate", { id });
}

/** Models of the active connection; `refresh` bypasses the cache and asks the gateway. */
export function listModels(refresh: boolean): Promise<ModelsView> {
  return call<ModelsView>("models_list", { refresh });
}

// ---- Key vault (issue 4). Secrets go in (add, rotation plan) and never come back out: every
// answer carries masked forms only. Callers must drop their copy of a secret once these return.

/** Resolves when a keychain answers; rejects with `keychain_unavailable` otherwise. */
export function keychainStatus(): Promise<null> {
  return call<null>("keychain_status");
}

export function listKeys(): Promise<KeyRecord[]> {
  return call<KeyRecord[]>("keys_list");
}

/** `input.secret === null` asks the backend to take ANYINT_API_KEY from its environment. */
export function addKey(input: NewKeyInput): Promise<KeyRecord> {
  return call<KeyRecord>("key_add", { input });
}

export function updateKey(id: string, meta: KeyMetadata): Promise<KeyRecord> {
  return call<KeyRecord>("key_update", { id, meta });
}

export function deleteKey(id: string, alsoKeychain: boolean): Promise<null> {
  return call<null>("key_delete", { id, alsoKeychain });
}

/** Checks the key against the active connection's gateway, both Models routes. */
export function verifyKey(id: string): Promise<Verification> {
  return call<Verification>("key_verify", { id });
}

/** Makes `keyId` the key of `connectionId` in `environment`, and that environment current. */
export function bindKey(connectionId: string, environment: Environment, keyId: string): Promise<Connection> {
  return call<Connection>("key_bind", { connectionId, environment, keyId });
}

/** Copies the secret to the clipboard; resolves with the seconds until it is cleared. */
export function copyKey(id: string): Promise<number> {
  return call<number>("key_copy", { id });
}

/** Step 1 of a rotation: verifies the replacement and returns the diff; nothing is swapped yet. */
export function planRotation(oldKeyId: string, newSecret: string): Promise<RotationPlan> {
  return call<RotationPlan>("rotation_plan", { oldKeyId, newSecret });
}

export function commitRotation(oldKeyId: string, keepOld: boolean): Promise<RotationResult> {
  return call<RotationResult>("rotation_commit", { oldKeyId, keepOld });
}

export function cancelRotation(oldKeyId: string): Promise<KeyRecord> {
  return call<KeyRecord>("rotation_cancel", { oldKeyId });
}

export function listAudit(limit: number): Promise<AuditEntry[]> {
  return call<AuditEntry[]>("audit_list", { limit });
}

/** Writes the audit log as CSV; resolves with the file's path. */
export function exportAudit(): Promise<string> {
  return call<string>("audit_export");
}

export function keysAttention(): Promise<Attention[]> {
  return call<Attention[]>("keys_attention");
}

// ---- Team hand-off (issue 4, item 5). The passphrase goes in and never comes back; callers
// drop their copy as soon as these settle.

/** Minimum passphrase length the backend accepts for an export (counted in characters). */
export const HANDOFF_MIN_PASSPHRASE = 12;

/**
 * Seals the keys `ids` (metadata and secrets) into an age file encrypted with `passphrase`,
 * written to the Downloads folder; resolves with the file's path. Rejects with
 * `invalid_input`, `not_found`, `key_missing` or `keychain_unavailable`.
 */
export function exportHandoff(ids: string[], passphrase: string): Promise<string> {
  return call<string>("keys_export_handoff", { ids, passphrase });
}

/**
 * Imports a hand-off file (`file` is its ASCII-armored text) straight into the keychain.
 * Keys already in the vault are skipped and reported. Rejects with `handoff_rejected`
 * (wrong passphrase, not a hand-off file), `keychain_unavailable` or `invalid_input`.
 */
export function importHandoff(file: string, passphrase: string): Promise<ImportReport> {
  return call<ImportReport>("keys_import_handoff", { file, passphrase });
}
