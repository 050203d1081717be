// The fake's model choice (issue 11): workloads, the price table and the fallback log held in
// memory (`fake.modelChoice`), checked the way desk/model_choice.rs and fallback/mod.rs check
// them. Differences a test can see: workload_send asks the fake playground for the primary; it
// falls back only in a rehearsal (`rehearseFault`: `rate-limit` is a 429, `burst` a 500, any
// other fault a 503 on the primary), deciding as the dry run below does, and logs that
// fallback (a paid tier's held fallback is not played: the primary answers); seed
// `fallbackLog`/`totals` for anything else; export and import speak JSON only; the dry run
// knows the table's main rows (400/401/403 give up, 429 and 5xx fall back), not its retries;
// usage totals and the CSV are what a test seeds.
import type { Decision } from "../bindings/Decision";
import type { FallbackLogRow } from "../bindings/FallbackLogRow";
import type { GroupBy } from "../bindings/GroupBy";
import type { Price } from "../bindings/Price";
import type { UsageTotal } from "../bindings/UsageTotal";
import type { Workload } from "../bindings/Workload";
import { ErrorCodes } from "../index";
import { fail } from "./records";
import type { FakeBackend, Handlers, ModelChoiceCommand, PlaygroundCommand } from "./types";

export interface ModelChoiceFake {
  /** By name, as workloads_list answers. */
  workloads: Workload[];
  prices: Price[];
  /** Newest first, as fallback_log answers. */
  fallbackLog: FallbackLogRow[];
  totals: Record<GroupBy, UsageTotal[]>;
  csv: string;
  /** What the last *_copy command put on the clipboard. */
  clipboard: string | null;
}

export function modelChoiceFake(): ModelChoiceFake {
  return {
    workloads: [],
    prices: [],
    fallbackLog: [],
    totals: { key: [], model: [], day: [], team: [], project: [] },
    clipboard: null,
    csv: "at,run_id,connection_id,key_fingerprint,workload,family,model,status,http_status,input_tokens,output_tokens,cached_input_tokens,reasoning_tokens,latency_ms,ttft_ms\n",
  };
}

/** Where the fake's "save" commands say they wrote (Rust: files::write_download). */
export const DOWNLOADS = "/home/tester/Downloads";

const NAME = /^[a-z0-9_-]{1,64}$/;

/** Workload::validate's main rules, with its messages' gist. */
function validate(w: Workload): void {
  const bad = (reason: string) => fail(ErrorCodes.InvalidInput, `workload \`${w.name}\`: ${reason}`);
  if (!NAME.test(w.name)) bad("a name is 1-64 lowercase letters, digits, `-` or `_`");
  if (!w.primary.trim() || /\s/.test(w.primary)) bad("the primary model is empty or has spaces or control characters");
  if (w.fallback != null && w.fallback === w.primary) bad("the fallback is the primary model; leave it empty instead");
}

/** What a sandbox fault's first failure is (dry_run.rs, reduced to its status). */
function faultStatus(name: string): number {
  return name === "rate-limit" ? 429 : name === "burst" ? 500 : 503;
}

/** The dry run's main rows: 400/401/403 and other 4xx give up, 429 and 5xx fall back. */
function decide(w: Workload, status: number, consent: boolean): Decision[] {
  if (status < 400) return [];
  const give = (reason: string): Decision[] => [{ action: { type: "giveUp" }, trigger: null, reason }];
  if (status < 500 && status !== 429) return give(`${status}: never a fallback trigger`);
  if (!w.fallback) return give(`${status}; workload \`${w.name}\` has no fallback`);
  const trigger = status === 429 ? "rate_limited" : status === 503 ? "unavailable" : "server_error";
  if (w.paidTier && !consent) {
    return [{ action: { type: "askFirst", model: w.fallback }, trigger, reason: `${status}; paid tier, ask first` }];
  }
  return [{ action: { type: "fallBack", model: w.fallback }, trigger, reason: `${status}; falling back to \`${w.fallback}\`` }];
}

export function modelChoiceHandlers(
  fake: FakeBackend,
  playground: Pick<Handlers, PlaygroundCommand>,
): Pick<Handlers, ModelChoiceCommand> {
  const state = fake.modelChoice;
  const named = (name: string): Workload =>
    state.workloads.find((w) => w.name === name) ?? fail(ErrorCodes.NotFound, `no workload \`${name}\``);
  const upsert = (w: Workload) => {
    state.workloads = [...state.workloads.filter((x) => x.name !== w.name), w].sort((a, b) => a.name.localeCompare(b.name));
  };

  return {
    workloads_list: () => [...state.workloads],
    workload_save: ({ workload }) => {
      validate(workload);
      upsert(workload);
      return workload;
    },
    workload_delete: ({ name }) => {
      const before = state.workloads.length;
      state.workloads = state.workloads.filter((w) => w.name !== name);
      return state.workloads.length < before;
    },
    workloads_export: ({ format }) => {
      if (format !== "json") fail(ErrorCodes.Unsupported, "the fake exports JSON only");
      return JSON.stringify({ workloads: state.workloads }, null, 2);
    },
    workloads_export_save: ({ format }) => {
      if (format !== "json") fail(ErrorCodes.Unsupported, "the fake exports JSON only");
      return `${DOWNLOADS}/anyint-workloads.json`;
    },
    workloads_export_copy: ({ format }) => {
      if (format !== "json") fail(ErrorCodes.Unsupported, "the fake exports JSON only");
      state.clipboard = JSON.stringify({ workloads: state.workloads }, null, 2);
      return null;
    },
    workloads_import: ({ text, format }) => {
      if (format !== "json") fail(ErrorCodes.Unsupported, "the fake imports JSON only");
      let parsed: { workloads?: Workload[] };
      try {
        parsed = JSON.parse(text) as { workloads?: Workload[] };
      } catch (e) {
        fail(ErrorCodes.InvalidInput, `not a workloads JSON file: ${String(e)}`);
      }
      const all = parsed.workloads ?? [];
      // Whole or not at all, as Desk::import_workloads.
      all.forEach(validate);
      all.forEach(upsert);
      return all;
    },
    workload_dry_run: ({ name, input, consent }) => {
      const w = named(name);
      return decide(w, input.type === "status" ? input.status : faultStatus(input.name), consent);
    },
    workload_send: async ({ request, workload, options, onEvent }) => {
      const w = named(workload);
      if (w.family !== request.family) fail(ErrorCodes.InvalidInput, `workload \`${w.name}\` is for the ${w.family} family`);
      const status = options.rehearseFault ? faultStatus(options.rehearseFault) : null;
      const decision = status === null ? undefined : decide(w, status, options.consent).at(-1);
      const next = decision?.action.type === "fallBack" ? decision.action.model : null;
      if (status === null || !decision || !next) {
        const summary = await playground.playground_send({ request: { ...request, model: w.primary }, onEvent });
        return {
          workload: w.name,
          summary,
          attempts: [{ model: w.primary, status: summary.status, httpStatus: summary.httpStatus, failure: null, decision: null }],
          fallback: null,
        };
      }
      const failed = { model: w.primary, status: "failed" as const, httpStatus: status, failure: String(status), decision };
      const logId = state.fallbackLog.length + 1;
      state.fallbackLog = [
        { id: logId, at: new Date().toISOString(), workload: w.name, family: w.family, primaryModel: w.primary, fallbackModel: next, status, failure: String(status), trigger: decision.trigger, reason: decision.reason, action: "fell_back", runId: request.runId, answered: true },
        ...state.fallbackLog,
      ];
      const summary = await playground.playground_send({ request: { ...request, model: next }, onEvent });
      const line = `answered by ${next} after ${w.primary} failed: ${status}`;
      return {
        workload: w.name,
        summary,
        attempts: [failed, { model: next, status: summary.status, httpStatus: summary.httpStatus, failure: null, decision: null }],
        fallback: { primary: w.primary, fallback: next, failure: String(status), reason: decision.reason, held: false, answered: true, line, logId },
      };
    },
    fallback_log: ({ limit }) => state.fallbackLog.slice(0, limit),
    usage_totals: ({ by }) => state.totals[by],
    usage_csv: () => state.csv,
    usage_csv_save: () => `${DOWNLOADS}/anyint-usage.csv`,
    usage_csv_copy: () => {
      state.clipboard = state.csv;
      return null;
    },
    prices_list: () => [...state.prices],
    price_save: ({ price }) => {
      const amounts = [price.inputPerMtok, price.outputPerMtok, price.cachedInputPerMtok, price.perImage, price.perVideoSecond, price.perSong];
      if (!price.model.trim()) fail(ErrorCodes.InvalidInput, "a price needs a model ID");
      if (amounts.some((a) => a != null && !(a >= 0))) fail(ErrorCodes.InvalidInput, `the prices of \`${price.model}\` must be numbers of 0 or more`);
      state.prices = [...state.prices.filter((p) => p.model !== price.model), price].sort((a, b) => a.model.localeCompare(b.model));
      return price;
    },
    price_delete: ({ model }) => {
      const before = state.prices.length;
      state.prices = state.prices.filter((p) => p.model !== model);
      return state.prices.length < before;
    },
  };
}
