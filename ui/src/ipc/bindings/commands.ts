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

export function connectionActivate(id: string): Promise<Connection> {
  return call("connection_activate", { id });
}

export function modelsList(refresh: boolean): Promise<ModelsView> {
  return call("models_list", { refresh });
}

export function keychainStatus(): Promise<null> {
  return call("keychain_status", {});
}

export function keysList(): Promise<Array<KeyRecord>> {
  return call("keys_list", {});
}

export function keyAdd(input: NewKeyInput): Promise<KeyRecord> {
  return call("key_add", { input });
}

export function keyUpdate(id: string, meta: KeyMetadata): Promise<KeyRecord> {
  return call("key_update", { id, meta });
}

export function keyDelete(id: string, alsoKeychain: boolean): Promise<null> {
  return call("key_delete", { id, alsoKeychain });
}

export function keyVerify(id: string): Promise<Verification> {
  return call("key_verify", { id });
}

export function keyBind(connectionId: string, environment: Environment, keyId: string): Promise<Connection> {
  return call("key_bind", { connectionId, environment, keyId });
}

export function keyCopy(id: string): Promise<number> {
  return call("key_copy", { id });
}

export function keysAttention(): Promise<Array<Attention>> {
  return call("keys_attention", {});
}

export function rotationPlan(oldKeyId: string, newSecret: string): Promise<RotationPlan> {
  return call("rotation_plan", { oldKeyId, newSecret });
}

export function rotationCommit(oldKeyId: string, keepOld: boolean): Promise<RotationResult> {
  return call("rotation_commit", { oldKeyId, keepOld });
}

export function rotationCancel(oldKeyId: string): Promise<KeyRecord> {
  return call("rotation_cancel", { oldKeyId });
}

export function auditList(limit: number): Promise<Array<AuditEntry>> {
  return call("audit_list", { limit });
}

export function auditExport(): Promise<string> {
  return call("audit_export", {});
}

export function keysExportHandoff(ids: Array<string>, passphrase: string): Promise<string> {
  return call("keys_export_handoff", { ids, passphrase });
}

export function keysImportHandoff(file: string, passphrase: string): Promise<ImportReport> {
  return call("keys_import_handoff", { file, passphrase });
}
