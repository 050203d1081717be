// The fake's playground commands: a run against the fake Sandbox, streamed over the window's
// channel the way Tauri delivers it, stoppable by its id, stored in the fake history; token
// counts on the Anthropic and Gemini routes; code export. Follows Rust's desk/playground.rs
// and playground/run.rs; the replies and wire events come from playgroundWire.ts.
//
// Events: the channel arrives as its IPC form, "__CHANNEL__:<id>" (the fake sends every
// argument through JSON, as the real IPC does). Each event goes to
// `window.__TAURI_INTERNALS__.runCallback(id, { index, message })` with index 0, 1, 2…, then
// `{ index, end: true }` (Rust drops the channel), which is how the real Channel receives them.
// Timings are made up but fixed, so stats are the same on every run.
import {
  ErrorCodes,
  type ChatFamily,
  type PlaygroundEvent,
  type RunFailure,
  type RunStats,
  type RunSummary,
  type SentRequest,
  type Snippet,
  type SnippetLang,
  type SnippetRequest,
} from "../index";
import type { History, NewTurn } from "./historyHandlers";
import type { ConnectionAccess } from "./keyHandlers";
import {
  allText,
  ANTHROPIC_VERSION,
  applyEvent,
  emptyTranscript,
  estimateTokens,
  familyUrl,
  FAMILY_PREFIX,
  isEventStream,
  planOf,
  promptOf,
  TERMINATOR,
  wireJson,
} from "./playgroundWire";
import { fail } from "./records";
import type { FakeBackend, Handlers, PlaygroundCommand } from "./types";

/** Milliseconds (made up) from sending to the response head, and between stream events. */
const HEAD_MS = 45;
const FIRST_EVENT_MS = 120;
const EVENT_GAP_MS = 30;
const bytesOf = (s: string) => new TextEncoder().encode(s).length;

/** The kinds a gateway gives instead of an answer, never in the middle of one. */
const BEFORE_ANSWER: ReadonlySet<RunFailure["kind"]> = new Set(["http", "unreachable", "timeout"]);

interface TauriInternals {
  runCallback(id: number, data: unknown): void;
}

/** Sends to the window's channel as Tauri does: numbered messages, then the end. */
export function channelTo<E = PlaygroundEvent>(onEvent: unknown, command = "playground_send"): { send(event: E): void; end(): void } {
  // The handler sees the argument after JSON (a string); a direct call may pass the Channel.
  const wire: unknown = JSON.parse(JSON.stringify(onEvent ?? null));
  const id = typeof wire === "string" ? /^__CHANNEL__:(\d+)$/.exec(wire)?.[1] : undefined;
  if (id === undefined) throw new Error(`${command} needs a Channel as onEvent, got ${JSON.stringify(wire)}`);
  const internals = (window as unknown as { __TAURI_INTERNALS__?: Partial<TauriInternals> }).__TAURI_INTERNALS__;
  const run = (data: unknown) => {
    if (!internals?.runCallback) throw new Error("no runCallback: install the fake backend first");
    internals.runCallback(Number(id), data);
  };
  let index = 0;
  return {
    send: (event) => run({ index: index++, message: JSON.parse(JSON.stringify(event)) as unknown }),
    end: () => run({ index, end: true }),
  };
}

const failure = (kind: RunFailure["kind"], message: string): RunFailure => ({ kind, message, gatewayMessage: null, status: null, retryAfterS: null });

export function playgroundHandlers(fake: FakeBackend, connections: ConnectionAccess, store: History): Pick<Handlers, PlaygroundCommand> {
  /** Runs in flight, by run id: calling one stops it. */
  const running = new Map<string, () => void>();
  let runs = 0;

  // Desk::active and Desk::client: the active connection, and a key for it.
  const endpoint = () => {
    const active = fake.connections.find((c) => c.active) ?? fail(ErrorCodes.NotFound, "no connection with id `sandbox`");
    const c = connections.describe(active);
    if (c.keySource.kind === "missing" || c.maskedKey === null) {
      fail(ErrorCodes.NoKey, `connection \`${c.name}\` has no key: add one in Keys, or set ANYINT_API_KEY and restart`);
    }
    return { baseUrl: c.baseUrl, maskedKey: c.maskedKey };
  };

  return {
    playground_send: async ({ request, onEvent }) => {
      const channel = channelTo(onEvent);
      const rejection = fake.playgroundError;
      if (rejection) {
        fake.playgroundError = null;
        throw rejection;
      }
      const { baseUrl, maskedKey } = endpoint();
      const n = ++runs;
      let stopped = false;
      let wake = () => {};
      const stopSignal = new Promise<void>((resolve) => (wake = resolve));
      running.set(request.runId, () => {
        stopped = true;
        wake();
      });
      const broken = fake.playgroundFailure;
      fake.playgroundFailure = null;
      const pause = async () => {
        if (fake.playgroundGate) await Promise.race([fake.playgroundGate, stopSignal]);
      };

      const streamed = isEventStream(request);
      // GatewayClient::describe_request: the key masked, the body as serde_json writes it.
      const headers: [string, string][] = [["content-type", "application/json"]];
      if (request.stream) headers.push(["accept", "text/event-stream"]);
      if (request.family === "anthropic") headers.push(["x-api-key", maskedKey], ["anthropic-version", ANTHROPIC_VERSION]);
      else headers.push(["authorization", `Bearer ${maskedKey}`]);
      const sent: SentRequest = {
        method: "POST",
        url: familyUrl(baseUrl, request.family, request.model, request.stream),
        headers,
        body: wireJson(request.body),
      };
      channel.send({ type: "request", request: sent });

      const transcript = emptyTranscript();
      const stats: RunStats = { ttftMs: null, totalMs: HEAD_MS, tokensPerS: null, tokensEstimated: false, events: 0, bytes: 0 };
      let failed: RunFailure | null = null;
      let httpStatus: number | null = null;
      let terminatorSeen = false;
      let deltas = 0;
      const plan = planOf(request, n);

      if (broken && BEFORE_ANSWER.has(broken.kind)) {
        failed = broken;
        if (broken.kind === "http") {
          httpStatus = broken.status ?? 500;
          channel.send({ type: "response", response: { status: httpStatus, headers: [["content-type", "application/json"]], atMs: HEAD_MS } });
          const text = wireJson({ error: { message: broken.gatewayMessage ?? broken.message, type: "sandbox_error" } });
          stats.bytes = bytesOf(text);
          channel.send({ type: "body", text });
        }
      } else {
        httpStatus = 200;
        const head: [string, string][] = streamed
          ? [
              ["content-type", "text/event-stream"],
              ["cache-control", "no-cache"],
            ]
          : [["content-type", "application/json"]];
        channel.send({ type: "response", response: { status: 200, headers: head, atMs: HEAD_MS } });
        if (!streamed) {
          await pause();
          if (stopped) failed = failure("stopped", "stopped while the answer was read");
          else if (broken) failed = broken;
          else {
            const text = wireJson(plan.json);
            stats.bytes = bytesOf(text);
            channel.send({ type: "body", text });
            for (const e of plan.chunks.flat().flatMap((w) => w.chat)) applyEvent(transcript, e);
            stats.ttftMs = FIRST_EVENT_MS;
            stats.totalMs = FIRST_EVENT_MS + 5;
            terminatorSeen = true;
          }
        } else {
          for (const [i, items] of plan.chunks.entries()) {
            if (i > 0) {
              // A window's Stop lands between two chunks.
              await Promise.resolve();
              if (stopped) {
                failed = failure("stopped", "stopped; the answer so far is kept");
                break;
              }
            }
            const wire = items.map((w) => {
              const seq = stats.events++;
              const atMs = FIRST_EVENT_MS + seq * EVENT_GAP_MS;
              const event = w.event ?? "message";
              stats.bytes += bytesOf(`${w.event === null ? "" : `event: ${w.event}\n`}data: ${w.data}\n\n`);
              stats.totalMs = atMs + 5;
              for (const e of w.chat) {
                applyEvent(transcript, e);
                if (e.kind === "text_delta" || e.kind === "thinking_delta" || e.kind === "refusal" || e.kind === "tool_call_delta") {
                  deltas++;
                  stats.ttftMs ??= atMs;
                }
              }
              return { seq, event, data: w.data, bytes: bytesOf(event) + bytesOf(w.data), atMs, sincePrevMs: seq === 0 ? atMs : EVENT_GAP_MS };
            });
            channel.send({ type: "chunk", wire, chat: items.flatMap((w) => w.chat) });
            if (i === 0) {
              await pause();
              if (broken && !stopped) {
                failed = broken;
                break;
              }
            }
          }
          terminatorSeen = failed === null || (request.family === "gemini" && transcript.finishReason !== null);
        }
      }
      running.delete(request.runId);

      // Run::finish: the figures, then whether anything of an answer came.
      const tokens = transcript.usage.outputTokens ?? deltas;
      stats.tokensEstimated = transcript.usage.outputTokens === null;
      const generating = stats.ttftMs === null ? 0 : (stats.totalMs - stats.ttftMs) / 1000;
      stats.tokensPerS = generating > 0 && tokens > 0 ? tokens / generating : null;
      const status = failed === null ? "complete" : stats.ttftMs !== null ? "partial" : "failed";
      const summary: RunSummary = {
        runId: request.runId,
        family: request.family,
        model: request.model,
        status,
        transcript,
        stats,
        failure: failed,
        terminator: TERMINATOR[request.family],
        terminatorSeen,
        httpStatus,
        requestId: null,
        request: sent,
        turnId: null,
        conversationId: request.conversationId,
      };

      // Desk::store_turn; a conversation that is gone leaves the turn unstored (ids stay empty).
      const turn: NewTurn = {
        family: request.family,
        model: request.model,
        request: request.body,
        prompt: promptOf(request.family, request.body),
        answer: transcript.text,
        thinking: transcript.thinking,
        toolCalls: transcript.toolCalls,
        finishReason: transcript.finishReason,
        status,
        error: failed && (failed.gatewayMessage ? `${failed.message} (${failed.gatewayMessage})` : failed.message),
        stats: { stats, usage: transcript.usage, httpStatus, requestId: null, failure: failed },
      };
      const stored = store.append(request.conversationId, turn);
      if (stored) {
        summary.turnId = stored.id;
        summary.conversationId = stored.conversationId;
      }
      channel.send({ type: "done", summary });
      channel.end();
      return summary;
    },

    playground_stop: ({ runId }) => {
      const stop = running.get(runId);
      if (!stop) return false;
      running.delete(runId);
      stop();
      return true;
    },

    // The Sandbox counts a token per four characters of the text the count route is given.
    count_tokens: ({ request }) => {
      endpoint();
      const body: Record<string, unknown> = typeof request.body === "object" && request.body !== null && !Array.isArray(request.body) ? { ...request.body } : {};
      switch (request.family) {
        case "anthropic": {
          const counted = ["model", "messages", "system", "tools", "tool_choice", "thinking"];
          const payload = Object.fromEntries(Object.entries(body).filter(([k]) => counted.includes(k)));
          payload.model ??= request.model;
          return estimateTokens(allText(payload));
        }
        case "gemini": {
          const extras = "systemInstruction" in body || "tools" in body;
          const payload = extras ? { generateContentRequest: { ...body, model: `models/${request.model}` } } : { contents: body.contents ?? [] };
          return estimateTokens(allText(payload));
        }
        case "openai_chat":
        case "openai_responses":
          return fail(ErrorCodes.Unsupported, "not offered by this route family: token counting (the OpenAI families have no count route)");
      }
    },

    playground_snippets: ({ request }) => snippetsOf(request),
  };
}

// ---- code export (snippets/mod.rs, in short: same URL, headers and body; the key from the env)

const LANGS: SnippetLang[] = ["curl", "python_sdk", "typescript_sdk", "python_requests", "javascript_fetch"];
const KEY_ENV = "ANYINT_API_KEY";

function sdkName(family: ChatFamily): [python: string, typescript: string] {
  if (family === "anthropic") return ["anthropic", "@anthropic-ai/sdk"];
  if (family === "gemini") return ["google-genai", "@google/genai"];
  return ["openai", "openai"];
}

/** google-genai takes `model`, `contents` and `config` (generationConfig flattened into it). */
function geminiArguments(model: string, body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { model, contents: body };
  const config: Record<string, unknown> = {};
  const args: Record<string, unknown> = { model };
  for (const [k, v] of Object.entries(body)) {
    if (k === "contents") args.contents = v;
    else if (k === "generationConfig" && typeof v === "object" && v !== null && !Array.isArray(v)) Object.assign(config, v);
    else config[k] = v;
  }
  if (Object.keys(config).length > 0) args.config = config;
  return args;
}

/** The official-SDK forms, in Python and TypeScript: the client on the SDK base, then the call. */
function sdkSnippets(req: SnippetRequest, url: string, sdkBase: string): [python: string, typescript: string] {
  const q = (s: string) => JSON.stringify(s);
  const py = `os.environ[${q(KEY_ENV)}]`;
  const ts = `process.env.${KEY_ENV}`;
  const gemini = req.family === "gemini";
  const args = wireJson(gemini ? geminiArguments(req.model, req.body) : req.body, 2);
  const [name, pyCall, tsCall] = ((): [string, string, string] => {
    const out = req.stream ? "stream" : { openai_chat: "completion", openai_responses: "response", anthropic: "message", gemini: "response" }[req.family];
    switch (req.family) {
      case "openai_chat":
        return [out, `client.chat.completions.create(**body)`, `client.chat.completions.create`];
      case "openai_responses":
        return [out, `client.responses.create(**body)`, `client.responses.create`];
      case "anthropic":
        return [out, `client.messages.create(**body)`, `client.messages.create`];
      case "gemini":
        return req.stream
          ? [out, "client.models.generate_content_stream(**request)", "ai.models.generateContentStream"]
          : [out, "client.models.generate_content(**request)", "ai.models.generateContent"];
    }
  })();
  const pySetup = gemini
    ? `from google import genai\nfrom google.genai import types\n\nclient = genai.Client(\n    api_key=${py},\n    http_options=types.HttpOptions(\n        base_url=${q(sdkBase)},\n        api_version="v1beta",\n        headers={"Authorization": "Bearer " + ${py}},\n    ),\n)\n`
    : req.family === "anthropic"
      ? `from anthropic import Anthropic\n\nclient = Anthropic(\n    base_url=${q(sdkBase)},\n    api_key=${py},\n)\n`
      : `from openai import OpenAI\n\nclient = OpenAI(\n    base_url=${q(sdkBase)},\n    api_key=${py},\n)\n`;
  const tsSetup = gemini
    ? `import { GoogleGenAI } from "@google/genai";\n\nconst ai = new GoogleGenAI({\n  apiKey: ${ts},\n  httpOptions: {\n    baseUrl: ${q(sdkBase)},\n    apiVersion: "v1beta",\n    headers: { Authorization: \`Bearer \${${ts}}\` },\n  },\n});\n`
    : req.family === "anthropic"
      ? `import Anthropic from "@anthropic-ai/sdk";\n\nconst client = new Anthropic({\n  baseURL: ${q(sdkBase)},\n  apiKey: ${ts},\n});\n`
      : `import OpenAI from "openai";\n\nconst client = new OpenAI({\n  baseURL: ${q(sdkBase)},\n  apiKey: ${ts},\n});\n`;
  const pyRead = req.stream ? `for event in ${name}:\n    print(event)` : `print(${name})`;
  const tsRead = req.stream ? `for await (const event of ${name}) {\n  console.log(event);\n}` : `console.log(${name});`;
  const python = `# POST ${url}\nimport os\n\n${pySetup}\n${gemini ? "request" : "body"} = ${pythonLiteral(args)}\n\n${name} = ${pyCall}\n${pyRead}\n`;
  const typescript = `// POST ${url}\n// An ES module (top-level await): e.g. \`npx tsx snippet.ts\`.\n${tsSetup}\nconst ${name} = await ${tsCall}(${args});\n${tsRead}\n`;
  return [python, typescript];
}

/** JSON as a Python literal: `true`/`false`/`null` outside strings become `True`/`False`/`None`. */
function pythonLiteral(json: string): string {
  const words: Record<string, string> = { true: "True", false: "False", null: "None" };
  return json.replace(/"(?:[^"\\]|\\.)*"|\btrue\b|\bfalse\b|\bnull\b/g, (m) => words[m] ?? m);
}

/** A header of the request: fixed text, or the key from ANYINT_API_KEY after `scheme`. */
type Header = { name: string; text: string } | { name: string; scheme: string };

export function snippetsOf(req: SnippetRequest): Snippet[] {
  const url = familyUrl(req.baseUrl, req.family, req.model, req.stream);
  const base = req.baseUrl.trim().replace(/\/+$/, "");
  const prefix = FAMILY_PREFIX[req.family];
  // The Anthropic and Gemini SDKs add the version segment themselves.
  const sdkBase = req.family.startsWith("openai") ? `${base}${prefix}` : `${base}${prefix.slice(0, prefix.lastIndexOf("/"))}`;
  const json = wireJson(req.body, 2);
  const headers: Header[] = [
    ...(req.family === "anthropic"
      ? [
          { name: "x-api-key", scheme: "" },
          { name: "anthropic-version", text: ANTHROPIC_VERSION },
        ]
      : [{ name: "Authorization", scheme: "Bearer " }]),
    { name: "Content-Type", text: "application/json" },
    ...(req.stream ? [{ name: "Accept", text: "text/event-stream" }] : []),
  ];
  const [pySdk, tsSdk] = sdkName(req.family);
  const [pythonSdk, typescriptSdk] = sdkSnippets(req, url, sdkBase);
  const q = (s: string) => JSON.stringify(s);
  const pyKey = `os.environ[${q(KEY_ENV)}]`;
  const jsKey = `process.env.${KEY_ENV}`;
  const code: Record<SnippetLang, string> = {
    curl: [
      `curl ${req.stream ? "-sS -N" : "-sS"} -X POST '${url.replace(/'/g, "'\\''")}' \\`,
      ...headers.map((h) => `  -H ${"text" in h ? `'${h.name}: ${h.text}'` : `"${h.name}: ${h.scheme}$${KEY_ENV}"`} \\`),
      "  --data-binary @- <<'JSON'",
      json,
      "JSON",
      "",
    ].join("\n"),
    python_sdk: pythonSdk,
    typescript_sdk: typescriptSdk,
    python_requests: [
      "import os",
      "",
      "import requests",
      "",
      `url = ${q(url)}`,
      "headers = {",
      ...headers.map((h) => `    ${q(h.name)}: ${"text" in h ? q(h.text) : h.scheme ? `${q(h.scheme)} + ${pyKey}` : pyKey},`),
      "}",
      `body = ${pythonLiteral(json)}`,
      "",
      `response = requests.post(url, headers=headers, json=body${req.stream ? ", stream=True" : ""}, timeout=60)`,
      "",
    ].join("\n"),
    javascript_fetch: [
      `const response = await fetch(${q(url)}, {`,
      '  method: "POST",',
      "  headers: {",
      ...headers.map((h) => `    ${q(h.name)}: ${"text" in h ? q(h.text) : h.scheme ? `\`${h.scheme}\${${jsKey}}\`` : jsKey},`),
      "  },",
      `  body: JSON.stringify(${json}),`,
      "});",
      "",
    ].join("\n"),
  };
  const labels: Record<SnippetLang, string> = {
    curl: "curl",
    python_sdk: `Python (${pySdk})`,
    typescript_sdk: `TypeScript (${tsSdk})`,
    python_requests: "Python (requests)",
    javascript_fetch: "JavaScript (fetch)",
  };
  return LANGS.map((lang) => ({ lang, label: labels[lang], code: code[lang] }));
}
