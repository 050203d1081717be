// The one door between the UI and the Rust side. Nothing outside src/ipc imports
// @tauri-apps/api, so features can be tested with mockIPC and the contract lives in one place.
// The command wrappers, the types and the error codes are all generated from Rust (see
// bindings/commands.ts); this file only gathers them and adds what the UI alone decides.
export * from "./bindings/commands";
export { ErrorCodes } from "./bindings/errorCodes";
export { isIpcError, toIpcError } from "./call";
export { playgroundRun } from "./streams";
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
export type { ChatEvent } from "./bindings/ChatEvent";
export type { ChatFamily } from "./bindings/ChatFamily";
export type { ChatTranscript } from "./bindings/ChatTranscript";
export type { Conversation } from "./bindings/Conversation";
export type { FailureKind } from "./bindings/FailureKind";
export type { ForkPoint } from "./bindings/ForkPoint";
export type { Page } from "./bindings/Page";
export type { PageRequest } from "./bindings/PageRequest";
export type { PlaygroundEvent } from "./bindings/PlaygroundEvent";
export type { PlaygroundRequest } from "./bindings/PlaygroundRequest";
export type { RunFailure } from "./bindings/RunFailure";
export type { RunStats } from "./bindings/RunStats";
export type { RunStatus } from "./bindings/RunStatus";
export type { RunSummary } from "./bindings/RunSummary";
export type { SearchHit } from "./bindings/SearchHit";
export type { SentRequest } from "./bindings/SentRequest";
export type { Snippet } from "./bindings/Snippet";
export type { SnippetLang } from "./bindings/SnippetLang";
export type { SnippetPart } from "./bindings/SnippetPart";
export type { SnippetRequest } from "./bindings/SnippetRequest";
export type { Theme } from "./bindings/Theme";
export type { TokenCountRequest } from "./bindings/TokenCountRequest";
export type { ToolCall } from "./bindings/ToolCall";
export type { Turn } from "./bindings/Turn";
export type { TurnStatus } from "./bindings/TurnStatus";
export type { Usage } from "./bindings/Usage";
export type { WireEvent } from "./bindings/WireEvent";
export type { WireResponse } from "./bindings/WireResponse";

/** Minimum passphrase length the backend accepts for a hand-off export (in characters). */
export const HANDOFF_MIN_PASSPHRASE = 12;
