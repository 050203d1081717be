// The one place that calls Tauri's invoke. The generated wrappers in bindings/commands.ts go
// through `call`, so a command's name, arguments and result are checked against the table in
// src-tauri/src/commands/table.rs, and every rejection leaves as an IpcError.
import { invoke } from "@tauri-apps/api/core";
import type { CommandName, Commands } from "./bindings/commands";
import { ErrorCodes } from "./bindings/errorCodes";
import type { IpcError } from "./bindings/IpcError";

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

/** True when `value` already has the boundary error's shape, with a code this build knows. */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && KNOWN_CODES.has(v.code) && typeof v.message === "string";
}

/**
 * Every rejection leaves this module as an IpcError, so callers can switch on `code` alone.
 * Anything else (a JS exception, a string from a plugin, no Tauri runtime at all) becomes
 * `internal`, keeping the original text for the "details" line.
 */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return { code: e.code, message: e.message };
  if (typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string") {
    return { code: ErrorCodes.Internal, message: (e as { message: string }).message };
  }
  return { code: ErrorCodes.Internal, message: String(e) };
}

export async function call<K extends CommandName>(cmd: K, args: Commands[K]["args"]): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}
