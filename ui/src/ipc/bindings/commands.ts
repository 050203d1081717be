// Generated from src-tauri/src/commands/table.rs by src-tauri/src/commands/contract.rs.
// Do not edit: `UPDATE_BINDINGS=1 cargo test -p anyint-desk` rewrites it.
import { call } from "../call";
import type { Attention } from "./Attention";
import type { AuditEntry } from "./AuditEntry";
import type { Connection } from "./Connection";
import type { Environment } from "./Environment";
import type { ImportReport } from "./ImportReport";
import type { KeyMetadata } from "./KeyMetadata";
import type { KeyRecord } from "./KeyRecord";
import type { ModelsView } from "./ModelsView";
import type { NewConnection } from "./NewConnection";
import type { NewKeyInput } from "./NewKeyInput";
import type { RotationPlan } from "./RotationPlan";
import type { RotationResult } from "./RotationResult";
import type { Verification } from "./Verification";

/** Every command the window may call: its arguments as sent, and what it resolves with. */
export interface Commands {
  connections_list: { args: Record<string, never>; result: Array<Connection> };
  connection_add: { args: { input: NewConnection }; result: Connection };
  connection_activate: { args: { id: string }; result: Connection };
  models_list: { args: { refresh: boolean }; result: ModelsView };
  keychain_status: { args: Record<string, never>; result: null };
  keys_list: { args: Record<string, never>; result: Array<KeyRecord> };
  key_add: { args: { input: NewKeyInput }; result: KeyRecord };
  key_update: { args: { id: string; meta: KeyMetadata }; result: KeyRecord };
  key_delete: { args: { id: string; alsoKeychain: boolean }; result: null };
  key_verify: { args: { id: string }; result: Verification };
  key_bind: { args: { connectionId: string; environment: Environment; keyId: string }; result: Connection };
  key_copy: { args: { id: string }; result: number };
  keys_attention: { args: Record<string, never>; result: Array<Attention> };
  rotation_plan: { args: { oldKeyId: string; newSecret: string }; result: RotationPlan };
  rotation_commit: { args: { oldKeyId: string; keepOld: boolean }; result: RotationResult };
  rotation_cancel: { args: { oldKeyId: string }; result: KeyRecord };
  audit_list: { args: { limit: number }; result: Array<AuditEntry> };
  audit_export: { args: Record<string, never>; result: string };
  keys_export_handoff: { args: { ids: Array<string>; passphrase: string }; result: string };
  keys_import_handoff: { args: { file: string; passphrase: string }; result: ImportReport };
}

export type CommandName = keyof Commands;

export function connectionsList(): Promise<Array<Connection>> {
  return call("connections_list", {});
}

export function connectionAdd(input: NewConnection): Promise<Connection> {
  return call("connection_add", { input });
}

/**
 * Makes the connection the one every screen uses.
 */
export function connectionActivate(id: string): Promise<Connection> {
  return call("connection_activate", { id });
}

/**
 * The active connection's models; `refresh` bypasses the cache and asks the gateway.
 */
export function modelsList(refresh: boolean): Promise<ModelsView> {
  return call("models_list", { refresh });
}

/**
 * Resolves when a keychain answers; rejects with `keychain_unavailable` otherwise.
 */
export function keychainStatus(): Promise<null> {
  return call("keychain_status", {});
}

export function keysList(): Promise<Array<KeyRecord>> {
  return call("keys_list", {});
}

/**
 * `input.secret === null` asks the backend to take ANYINT_API_KEY from its environment.
 */
export function keyAdd(input: NewKeyInput): Promise<KeyRecord> {
  return call("key_add", { input });
}

export function keyUpdate(id: string, meta: KeyMetadata): Promise<KeyRecord> {
  return call("key_update", { id, meta });
}

export function keyDelete(id: string, alsoKeychain: boolean): Promise<null> {
  return call("key_delete", { id, alsoKeychain });
}

/**
 * Checks the key against the active connection's gateway, both Models routes.
 */
export function keyVerify(id: string): Promise<Verification> {
  return call("key_verify", { id });
}

/**
 * Makes `keyId` the key of `connectionId` in `environment`, and that environment current.
 */
export function keyBind(connectionId: string, environment: Environment, keyId: string): Promise<Connection> {
  return call("key_bind", { connectionId, environment, keyId });
}

/**
 * Copies the secret to the clipboard; resolves with the seconds until it is cleared.
 */
export function keyCopy(id: string): Promise<number> {
  return call("key_copy", { id });
}

export function keysAttention(): Promise<Array<Attention>> {
  return call("keys_attention", {});
}

/**
 * Step 1 of a rotation: verifies the replacement and returns the diff; nothing is swapped yet.
 */
export function rotationPlan(oldKeyId: string, newSecret: string): Promise<RotationPlan> {
  return call("rotation_plan", { oldKeyId, newSecret });
}

/**
 * Step 2: swaps the verified key into every connection that used the old one.
 */
export function rotationCommit(oldKeyId: string, keepOld: boolean): Promise<RotationResult> {
  return call("rotation_commit", { oldKeyId, keepOld });
}

export function rotationCancel(oldKeyId: string): Promise<KeyRecord> {
  return call("rotation_cancel", { oldKeyId });
}

export function auditList(limit: number): Promise<Array<AuditEntry>> {
  return call("audit_list", { limit });
}

/**
 * Writes the audit log as CSV; resolves with the file's path.
 */
export function auditExport(): Promise<string> {
  return call("audit_export", {});
}

/**
 * Seals the keys `ids` (metadata and secrets) into an age file encrypted with
 * `passphrase`, written to the Downloads folder; resolves with the file's path.
 */
export function keysExportHandoff(ids: Array<string>, passphrase: string): Promise<string> {
  return call("keys_export_handoff", { ids, passphrase });
}

/**
 * Imports a hand-off file (`file` is its ASCII-armored text) straight into the keychain.
 * Keys already in the vault are skipped and reported.
 */
export function keysImportHandoff(file: string, passphrase: string): Promise<ImportReport> {
  return call("keys_import_handoff", { file, passphrase });
}
