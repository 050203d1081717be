// Test-only: an in-memory stand-in for the Rust commands, installed through Tauri's mockIPC so
// tests exercise the real src/ipc wrappers (names, argument keys, error normalisation).
// Lives under src/ipc because that is the only folder allowed to import @tauri-apps/api.
//
// It follows the generated contract: `handlers` is a `Handlers` (one typed handler per entry of
// bindings/commands.ts), so a command it does not answer, or an answer of the wrong shape, fails
// `npm run check`. Its Sandbox is the JSON a Rust test writes from the real backend.
import { clearMocks, mockConvertFileSrc, mockIPC } from "@tauri-apps/api/mocks";
import { ErrorCodes, type CommandName, type Commands, type Connection, type ModelsView, type NewConnection } from "../index";
import { history } from "./historyHandlers";
import { keyHandlers } from "./keyHandlers";
import { modelChoiceFake, modelChoiceHandlers } from "./modelChoiceHandlers";
import { playgroundHandlers } from "./playgroundHandlers";
import { DEFAULT_SETTINGS, settingsHandlers } from "./settingsHandlers";
import { fail, maskOf, model } from "./records";
import { callbackHandlers, callbackInboxFake } from "./callbackHandlers";
import { advisorFake, advisorHandlers } from "./advisorHandlers";
import { compareFake, compareHandlers } from "./compareHandlers";
import { taskHandlers, type FakeTask } from "./taskHandlers";
import sandboxConnection from "./sandbox-connection.json";
import type { AppearanceCommand, Call, CallOf, ConnectionCommand, FakeBackend, Handler, Handlers } from "./types";

export type { Binding, Call, CallOf, FakeBackend } from "./types";
export { EXPORT_PATH, titleOf } from "./historyHandlers";
export { sandboxReply, TOOL_ARGUMENTS } from "./playgroundWire";
export { callbackRecord, INBOX_URL, type CallbackInboxFake } from "./callbackHandlers";
export { ARTIFACTS_DIR, fakeTask, LOCAL_CANCEL, savedArtifact, taskRow, type FakeTask, type TaskCenterFake } from "./taskHandlers";
export { connectionTestOf, DEFAULT_SETTINGS } from "./settingsHandlers";
export { defaultAnswer, type CompareFake } from "./compareHandlers";
export type { AdvisorFake } from "./advisorHandlers";
export { fingerprintOf, HANDOFF_PATH, handoffFile, keyRecord, maskOf, meta, model, NOW, verificationFor, workload } from "./records";

/**
 * The Sandbox connection exactly as the real backend lists it (written by the Rust test in
 * src-tauri/src/commands/contract/tests.rs). The cast is sound because that file is serde's
 * output of the same Rust `Connection` that bindings/Connection.ts is generated from; JSON
 * imports only widen its literals (`"sandbox"` to `string`).
 */
export const SANDBOX: Connection = sandboxConnection as Connection;

/** Rust's `is_plain_http_remote`: http:// to anything but localhost, 127.0.0.0/8 or ::1. */
function isPlainHttpRemote(baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const loopback = host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "[::1]";
  return url.protocol === "http:" && !loopback;
}

/** Serialise and parse, as the IPC does: neither side sees the other's later mutations. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

export function installFakeBackend(
  init: Partial<
    Pick<FakeBackend, "connections" | "models" | "keys" | "keychain" | "gateway" | "bindings" | "rotations" | "conversations" | "turns" | "settings" | "proxyPassword" | "theme">
  > & {
    /** Seeds the task center, oldest first. */
    tasks?: FakeTask[];
  } = {},
): FakeBackend {
  const fake: FakeBackend = {
    connections: overTheWire(init.connections ?? [SANDBOX]),
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
    theme: init.theme ?? "system",
    gate: null,
    // The filter on `cmd` is what ties each call to its argument type; TS cannot follow that.
    callsTo: <K extends CommandName>(cmd: K) => fake.calls.filter((c) => c.cmd === cmd) as CallOf<K>[],
    keys: (init.keys ?? []).map((k) => ({ ...k })),
    keychain: { ...(init.keychain ?? {}) },
    keychainError: null,
    gateway: init.gateway ?? {},
    envKey: null,
    bindings: (init.bindings ?? []).map((b) => ({ ...b })),
    rotations: overTheWire(init.rotations ?? {}),
    audit: [],
    failNext: {},
    lastHandoff: null,
    playgroundGate: null,
    playgroundFailure: null,
    playgroundError: null,
    conversations: overTheWire(init.conversations ?? []),
    turns: overTheWire(init.turns ?? []),
    lastExport: null,
    taskCenter: {
      tasks: init.tasks ?? [],
      routes: [],
      openedFolders: [],
      inputFiles: new Map(),
      // Replaced by taskHandlers below, which owns the window's channels.
      transition: () => fail(ErrorCodes.Internal, "the task center is not installed"),
      click: () => undefined,
    },
    settings: overTheWire(init.settings ?? DEFAULT_SETTINGS),
    proxyPassword: init.proxyPassword ?? null,
    nextConnectionTest: null,
    callbackInbox: callbackInboxFake(),
    modelChoice: modelChoiceFake(),
    compare: compareFake(),
    advisor: advisorFake(),
  };

  // The checks Rust's add and update share, and the fields they set.
  const connectionFields = (input: NewConnection, self: string | null) => {
    const name = input.name.trim();
    if (!name) fail(ErrorCodes.InvalidInput, "a connection needs a name");
    if (fake.connections.some((c) => c.id !== self && c.name.toLowerCase() === name.toLowerCase())) {
      fail(ErrorCodes.InvalidInput, `a connection named \`${name}\` already exists`);
    }
    const baseUrl = input.baseUrl.trim().replace(/\/+$/, "");
    const insecureHttp = isPlainHttpRemote(baseUrl);
    if (insecureHttp && !input.allowInsecureHttp) {
      fail(ErrorCodes.InsecureHttp, `${new URL(baseUrl).hostname} is plain http:// to another machine: keys and prompts would travel unencrypted`);
    }
    const useEnvKey = input.useEnvKey ?? false;
    const env = useEnvKey ? fake.envKey : null;
    return {
      name,
      baseUrl,
      useEnvKey,
      insecureHttp,
      keySource: env ? ({ kind: "environmentVariable" } as const) : ({ kind: "missing" } as const),
      maskedKey: env ? maskOf(env) : null,
    };
  };

  const connectionOf = (id: string): Connection =>
    fake.connections.find((c) => c.id === id) ?? fail(ErrorCodes.NotFound, `no connection with id \`${id}\``);

  // Rust's `describe`: the vault key bound for the connection's current environment wins;
  // otherwise the connection keeps the source it was stored with (Sandbox, env var, missing).
  const describe = (c: Connection): Connection => {
    const binding = fake.bindings.find((b) => b.connectionId === c.id && b.environment === c.environment);
    const key = binding && fake.keys.find((k) => k.id === binding.keyId);
    if (!key) return c;
    return { ...c, keySource: { kind: "vault", label: key.label, environment: c.environment }, maskedKey: key.maskedKey };
  };

  const connectionHandlers: Pick<Handlers, ConnectionCommand> = {
    connections_list: () => fake.connections.map(describe),

    // Like Desk::add_connection: names are trimmed and unique, the URL loses its trailing slash,
    // plain http:// to another host needs `allowInsecureHttp`, and a new AnyInt connection
    // starts in prod with ANYINT_API_KEY only if it opted in (and the app has one).
    connection_add: ({ input }) => {
      if (fake.addError) throw fake.addError;
      const created: Connection = {
        id: `c${fake.connections.length + 1}`,
        kind: "anyint",
        environment: "prod",
        active: false,
        ...connectionFields(input, null),
      };
      fake.connections.push(created);
      return describe(created);
    },

    connection_update: ({ id, input }) => {
      const c = connectionOf(id);
      if (c.kind === "sandbox") fail(ErrorCodes.InvalidInput, "the Sandbox connection cannot be edited");
      Object.assign(c, connectionFields(input, id));
      return describe(c);
    },

    connection_activate: ({ id }) => {
      const target = connectionOf(id);
      for (const c of fake.connections) c.active = c.id === target.id;
      return describe(target);
    },

    // Like Desk::set_environment: the connection's bound key for that environment takes over.
    connection_environment: ({ id, environment }) => {
      const target = connectionOf(id);
      target.environment = environment;
      return describe(target);
    },

    models_list: async () => {
      if (fake.gate) await fake.gate;
      const err = fake.modelsErrors.shift();
      if (err) throw err;
      const active = fake.connections.find((c) => c.active) ?? fail(ErrorCodes.NotFound, "no active connection");
      const view: ModelsView = {
        connectionId: active.id,
        models: fake.models[active.id] ?? [],
        fetchedAt: "2025-01-02T03:04:05Z",
        fromCache: fake.fromCache,
      };
      return view;
    },

    // The app only logs it; the calls are recorded like any other.
    first_screen_shown: () => null,
  };

  const appearanceHandlers: Pick<Handlers, AppearanceCommand> = {
    theme_get: () => fake.theme,
    theme_set: ({ theme }) => {
      fake.theme = theme;
      return null;
    },
  };

  const access = { connectionOf, describe };
  const chats = history(fake);
  const playground = playgroundHandlers(fake, access, chats);
  const handlers: Handlers = {
    ...connectionHandlers,
    ...appearanceHandlers,
    ...keyHandlers(fake, access),
    ...playground,
    ...chats.handlers,
    ...taskHandlers(fake),
    ...settingsHandlers(fake, access),
    ...callbackHandlers(fake),
    ...modelChoiceHandlers(fake, playground),
    ...compareHandlers(fake),
    ...advisorHandlers(fake),
  };

  const isCommand = (cmd: string): cmd is CommandName => Object.prototype.hasOwnProperty.call(handlers, cmd);

  // Generic in K so that `handlers[cmd]` is the handler of that very command, not a union of all.
  const dispatch = <K extends CommandName>(cmd: K, args: Commands[K]["args"]) => {
    const failure = fake.failNext[cmd];
    if (failure) {
      delete fake.failNext[cmd];
      throw failure;
    }
    const handler: Handler<K> = handlers[cmd];
    return handler(args);
  };

  // Artifacts are shown through the asset protocol; the Linux form of its URLs.
  mockConvertFileSrc("linux");
  mockIPC(async (cmd, payload) => {
    // A bug in the test or the UI, not an answer the backend could give: fail loudly.
    if (!isCommand(cmd)) throw new Error(`unexpected command ${cmd}`);
    // The generated wrappers are the only callers and send `Commands[cmd]["args"]`; the real
    // backend would check the shape with serde, the fake trusts the wrapper's types.
    const args = overTheWire(payload ?? {}) as Commands[typeof cmd]["args"];
    // `cmd` and `args` belong together, but TS sees two independent unions.
    fake.calls.push({ cmd, args } as Call);
    return overTheWire(await dispatch(cmd, args));
  });
  return fake;
}

/** Removes whatever mockIPC installed, so the next test starts with no backend at all. */
export function removeFakeBackend(): void {
  clearMocks();
}
