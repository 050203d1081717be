// The one door between the UI and the Rust side. Nothing outside src/ipc imports
// @tauri-apps/api, so features can be tested with mockIPC and the contract lives in one place.
// The command wrappers, the types and the error codes are all generated from Rust (see
// bindings/commands.ts); this file only gathers them and adds what the UI alone decides.
export * from "./bindings/commands";
export { ErrorCodes } from "./bindings/errorCodes";
export { isIpcError, toIpcError } from "./call";
export type { Attention } from "./bindings/Attention";
export type { AttentionReason } from "./bindings/AttentionReason";
export type { AuditEntry } from "./bindings/AuditEntry";
export type { Connection } from "./bindings/Connection";
export type { ConnectionKind } from "./bindings/ConnectionKind";
export type { Environment } from "./bindings/Environment";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { ImportReport } from "./bindings/ImportReport";
export type { IpcError } from "./bindings/IpcError";
export type { KeyKind } from "./bindings/KeyKind";
export type { KeyMetadata } from "./bindings/KeyMetadata";
export type { KeyRecord } from "./bindings/KeyRecord";
export type { KeySource } from "./bindings/KeySource";
export type { KeyStatus } from "./bindings/KeyStatus";
export type { ModelInfo } from "./bindings/ModelInfo";
export type { ModelsView } from "./bindings/ModelsView";
export type { NewConnection } from "./bindings/NewConnection";
export type { NewKeyInput } from "./bindings/NewKeyInput";
export type { OldModels } from "./bindings/OldModels";
export type { Outcome } from "./bindings/Outcome";
export type { RotationPlan } from "./bindings/RotationPlan";
export type { RotationResult } from "./bindings/RotationResult";
export type { RouteCheck } from "./bindings/RouteCheck";
export type { SkippedKey } from "./bindings/SkippedKey";
export type { Verification } from "./bindings/Verification";

/** Minimum passphrase length the backend accepts for a hand-off export (in characters). */
export const HANDOFF_MIN_PASSPHRASE = 12;
