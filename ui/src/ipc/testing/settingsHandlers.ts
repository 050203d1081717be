// The fake's settings commands. Validation follows Settings::validate in
// src-tauri/core/src/settings/mod.rs where a test can see it (the field named first in the
// message, `invalid_input`); the password lives in `fake.proxyPassword` and is never answered.
import { ErrorCodes, type ConnectionTest, type Settings, type SettingsUpdate, type SettingsView, type Step } from "../index";
import type { ConnectionAccess } from "./keyHandlers";
import { fail } from "./records";
import type { FakeBackend, Handlers, SettingsCommand } from "./types";

/** Settings::default(). */
export const DEFAULT_SETTINGS: Settings = {
  proxy: { mode: "system", url: "", username: "", noProxy: [] },
  tlsRoots: "bundled",
  timeouts: { connectSecs: 10, requestSecs: 60, streamIdleSecs: 60 },
  artifactsDir: null,
  notifications: true,
  clipboardClearSecs: 30,
};

const DATA_DIR = "/home/tester/.local/share/ai.anyint.desk";

function validate(s: Settings): Settings {
  const bad = (field: string, reason: string): never => fail(ErrorCodes.InvalidInput, `${field}: ${reason}`);
  const url = s.proxy.url.trim();
  if (s.proxy.mode === "manual" || url) {
    if (!url) bad("proxy.url", "a manual proxy needs a URL, e.g. http://proxy.example:3128");
    const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase();
    if (!scheme) bad("proxy.url", `\`${url}\` has no scheme: start it with http://, https://, socks5:// or socks5h://`);
    if (!["http", "https", "socks5", "socks5h"].includes(scheme!)) {
      bad("proxy.url", `unknown proxy scheme \`${scheme}\`: use http, https, socks5 or socks5h`);
    }
  }
  for (const [field, v] of [
    ["timeouts.connectSecs", s.timeouts.connectSecs],
    ["timeouts.requestSecs", s.timeouts.requestSecs],
    ["timeouts.streamIdleSecs", s.timeouts.streamIdleSecs],
  ] as const) {
    if (!(v >= 1)) bad(field, "must be at least 1 second");
  }
  if (s.clipboardClearSecs < 5 || s.clipboardClearSecs > 600) bad("clipboardClearSecs", "must be between 5 and 600 seconds");
  const dir = s.artifactsDir?.trim() || null;
  if (dir && !dir.startsWith("/")) bad("artifactsDir", `\`${dir}\` is not an absolute path`);
  return {
    ...s,
    proxy: {
      ...s.proxy,
      url: url.replace(/\/+$/, ""),
      username: s.proxy.username.trim(),
      noProxy: s.proxy.noProxy.flatMap((e) => e.split(",")).map((e) => e.trim()).filter(Boolean),
    },
    artifactsDir: dir,
  };
}

/** A test result where `failed` (if any) failed with `detail` and the steps after it were skipped. */
export function connectionTestOf(target: string, via: string | null, failed: Step | null = null, detail = "refused"): ConnectionTest {
  const planned: Step[] = ["dns", "tcp", ...(via ? (["proxy"] as Step[]) : []), ...(target.startsWith("https") ? (["tls"] as Step[]) : []), "http"];
  const at = failed ? planned.indexOf(failed) : -1;
  return {
    target,
    via,
    ok: failed === null,
    failedStep: failed,
    steps: planned.map((step, i) => ({
      step,
      status: at === -1 || i < at ? "ok" : i === at ? "failed" : "skipped",
      millis: at === -1 || i <= at ? 3 : 0,
      detail: i === at ? detail : at !== -1 && i > at ? "not run: an earlier step failed" : `${step} ok`,
      httpStatus: step === "http" && at === -1 ? 200 : null,
    })),
  };
}

export function settingsHandlers(fake: FakeBackend, connections: ConnectionAccess): Pick<Handlers, SettingsCommand> {
  const view = (): SettingsView => ({
    settings: fake.settings,
    proxyPasswordSaved: fake.proxyPassword !== null,
    artifactsDirEffective: fake.settings.artifactsDir ?? `${DATA_DIR}/artifacts`,
    defaults: DEFAULT_SETTINGS,
  });
  const applyPassword = (update: SettingsUpdate) => {
    const change = update.proxyPassword;
    if (change.kind === "set") {
      if (!change.value.trim()) fail(ErrorCodes.InvalidInput, "proxy.password: empty; type the password, or choose to clear it");
      fake.proxyPassword = change.value;
    } else if (change.kind === "clear") {
      fake.proxyPassword = null;
    }
  };
  return {
    settings_get: view,
    settings_save: ({ update }) => {
      const settings = validate(update.settings);
      applyPassword(update);
      fake.settings = settings;
      return view();
    },
    settings_test_connection: ({ connectionId, edited }) => {
      const c = connections.connectionOf(connectionId);
      const settings = edited ? validate(edited.settings) : fake.settings;
      const next = fake.nextConnectionTest;
      fake.nextConnectionTest = null;
      if (next) return next;
      const loopback = /^https?:\/\/(127\.|localhost|\[::1\])/.test(c.baseUrl);
      const via = settings.proxy.mode === "manual" && !loopback ? settings.proxy.url : null;
      return connectionTestOf(c.baseUrl, via);
    },
  };
}
