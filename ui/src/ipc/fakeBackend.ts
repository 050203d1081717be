// Test-only: an in-memory stand-in for the Rust commands, installed through Tauri's mockIPC so
// tests exercise the real src/ipc wrappers (names, argument keys, error normalisation).
// Lives in src/ipc because it is the only folder allowed to import @tauri-apps/api.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Connection, IpcError, ModelInfo, ModelsView, NewConnection } from "./index";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export interface FakeBackend {
  connections: Connection[];
  models: Record<string, ModelInfo[]>;
  calls: Call[];
  /** Next models_list answers with this error instead of a list (once per queued entry). */
  modelsErrors: IpcError[];
  /** Next connection_add rejects with this. */
  addError: IpcError | null;
  fromCache: boolean;
  /** When set, models_list waits for this promise before answering (to observe loading). */
  gate: Promise<void> | null;
  callsTo(cmd: string): Call[];
}

export function model(id: string, displayName: string | null = null, createdAt: string | null = null): ModelInfo {
  return { id, displayName, type: "chat", createdAt, ownedBy: null };
}

export const SANDBOX: Connection = {
  id: "sandbox",
  name: "Sandbox",
  baseUrl: "http://127.0.0.1:41234",
  kind: "sandbox",
  active: true,
  keySource: "sandbox",
  maskedKey: "sk-sand…1234",
};

export function installFakeBackend(init: Partial<Pick<FakeBackend, "connections" | "models">> = {}): FakeBackend {
  const fake: FakeBackend = {
    connections: (init.connections ?? [SANDBOX]).map((c) => ({ ...c })),
    models: init.models ?? {
      sandbox: [
        model("gpt-4o", "GPT-4o", "2024-05-13T00:00:00Z"),
        model("claude-sonnet-4-5", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
        model("gemini-2.5-pro", null, null),
      ],
    },
    calls: [],
    modelsErrors: [],
    addError: null,
    fromCache: false,
    gate: null,
    callsTo: (cmd) => fake.calls.filter((c) => c.cmd === cmd),
  };

  mockIPC(async (cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    fake.calls.push({ cmd, args });
    switch (cmd) {
      case "connections_list":
        return fake.connections.map((c) => ({ ...c }));
      case "connection_add": {
        if (fake.addError) throw fake.addError;
        const input = args.input as NewConnection;
        const created: Connection = {
          id: `c${fake.connections.length + 1}`,
          name: input.name,
          baseUrl: input.baseUrl,
          kind: "anyint",
          active: false,
          keySource: "env:ANYINT_API_KEY",
          maskedKey: null,
        };
        fake.connections.push(created);
        return created;
      }
      case "connection_activate": {
        const target = fake.connections.find((c) => c.id === args.id);
        if (!target) throw { code: "not_found", message: `no connection ${String(args.id)}` };
        for (const c of fake.connections) c.active = c.id === target.id;
        return { ...target };
      }
      case "models_list": {
        if (fake.gate) await fake.gate;
        const err = fake.modelsErrors.shift();
        if (err) throw err;
        const active = fake.connections.find((c) => c.active);
        if (!active) throw { code: "internal", message: "no active connection" };
        const view: ModelsView = {
          connectionId: active.id,
          models: fake.models[active.id] ?? [],
          fetchedAt: "2025-01-02T03:04:05Z",
          fromCache: fake.fromCache,
        };
        return view;
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return fake;
}

/** Removes whatever mockIPC installed, so the next test starts with no backend at all. */
export function removeFakeBackend(): void {
  clearMocks();
}
