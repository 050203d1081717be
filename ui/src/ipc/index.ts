// The one door between the UI and the Rust side. Nothing outside src/ipc imports
// @tauri-apps/api, so features can be tested with mockIPC and the contract lives in one place.
import { invoke } from "@tauri-apps/api/core";
import type { Connection } from "./bindings/Connection";
import type { ConnectionKind } from "./bindings/ConnectionKind";
import type { IpcError } from "./bindings/IpcError";
import type { ModelInfo } from "./bindings/ModelInfo";
import type { ModelsView } from "./bindings/ModelsView";
import type { NewConnection } from "./bindings/NewConnection";

export type { Connection, ConnectionKind, IpcError, ModelInfo, ModelsView, NewConnection };

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
