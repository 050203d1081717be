// What ties an editor's form and raw tab to the body its parent owns.
//
// The parent's body is the single source of truth, but a form needs states a body cannot
// hold (a half-typed number, a schema textarea that is not JSON yet), so the editor keeps its
// own form and only re-reads the body when it changes from outside: a body equal to the last
// one this editor sent is its own echo (the parent may hand it back as a $state proxy, so
// equality is by JSON text, not identity).
//
// Nothing unsendable ever reaches the parent: an invalid form or raw text keeps the last good
// body there and reports the problem through `onvalidity`, so the Send button can be disabled
// rather than sending stale data.
import { untrack } from "svelte";
import type { ModelChoice } from "./family";
import { isObj, parseJson, pretty, type JsonError, type Obj } from "./json";

export interface Codec<F> {
  fromBody(body: unknown): { form: F; extra: Obj };
  toBody(form: F, opts: { stream: boolean; extra?: Obj }): Obj;
  validate(form: F): string | null;
  streamOf(body: Obj): boolean;
}

export interface SyncProps {
  body: Obj;
  onchange: (body: Obj) => void;
  /** A message while the editor holds something that cannot be sent; null once it can. */
  onvalidity?: (problem: string | null) => void;
}

/** The props every family editor takes (Gemini adds its path's model and stream). */
export interface EditorProps extends SyncProps {
  models: ModelChoice[];
  disabled?: boolean;
}

/** Said under a field the form locks because only the raw tab can show its value. */
export const RAW_HINT = "Set in Raw JSON (the form cannot show that value).";

export class EditorSync<F> {
  form = $state() as F;
  /** Top-level keys the form cannot show, sent back verbatim (and winning over the form). */
  extra = $state.raw<Obj>({});
  stream = $state(false);
  tab = $state<"form" | "raw">("form");
  rawText = $state("");
  rawError = $state.raw<JsonError | null>(null);
  formError = $state<string | null>(null);
  #last = "";
  #codec: Codec<F>;
  #props: () => SyncProps;
  /** Decides what a body means for `form` (Gemini fills in the model the body lacks). */
  #adopt: (form: F) => void;

  /**
   * Made while an editor component initialises: the form is read from the body at once, and an
   * effect then takes every new body the parent passes down.
   */
  constructor(codec: Codec<F>, props: () => SyncProps, adopt: (form: F) => void = () => {}) {
    this.#codec = codec;
    this.#props = props;
    this.#adopt = adopt;
    this.receive(props().body);
    $effect.pre(() => this.receive(this.#props().body));
  }

  /**
   * Takes the parent's body; a no-op when it is what this editor last sent. Called from the
   * constructor's effect, which should re-run for a new body only (hence the untrack).
   */
  receive(body: Obj): void {
    const text = JSON.stringify(body);
    untrack(() => {
      if (text === this.#last) return;
      this.#last = text;
      this.#read(body);
      this.rawText = pretty(body);
      const hadProblem = this.rawError !== null || this.formError !== null;
      this.rawError = null;
      this.formError = null;
      if (hadProblem) this.#props().onvalidity?.(null);
    });
  }

  #read(body: Obj) {
    const { form, extra } = this.#codec.fromBody(body);
    this.#adopt(form);
    this.form = form;
    this.extra = extra;
    this.stream = this.#codec.streamOf(body);
  }

  /** Applies a form edit and sends the new body up (or reports why it cannot be sent). */
  update(edit: (form: F) => void): void {
    edit(this.form);
    this.commit();
  }

  commit(): void {
    const form = $state.snapshot(this.form) as F;
    const problem = this.#codec.validate(form);
    this.formError = problem;
    this.#props().onvalidity?.(problem);
    if (problem !== null) return;
    this.#send(this.#codec.toBody(form, { stream: this.stream, extra: this.extra }));
  }

  setStream(on: boolean): void {
    this.stream = on;
    // A raw `stream` (say `false`) would win over the checkbox; the checkbox is now the truth.
    if ("stream" in this.extra) {
      const { stream: _, ...rest } = this.extra;
      this.extra = rest;
    }
    this.commit();
  }

  /** Whether a known key is held raw because the form cannot show its value. */
  held(key: string): boolean {
    return key in this.extra;
  }

  /** RAW_HINT for a field `held` locks, else null: what a field shows under it. */
  hint(key: string): string | null {
    return this.held(key) ? RAW_HINT : null;
  }

  showTab(tab: "form" | "raw"): void {
    // The raw text always starts from the body the parent holds, unless it is mid-edit and broken.
    if (tab === "raw" && this.rawError === null) this.rawText = pretty(this.#props().body);
    this.tab = tab;
  }

  editRaw(text: string): void {
    this.rawText = text;
    const parsed = parseJson(text);
    if (!parsed.ok || !isObj(parsed.value)) {
      this.rawError = parsed.ok ? { message: "The body must be a JSON object: { … }", offset: 0, line: 1, column: 1 } : parsed.error;
      const e = this.rawError;
      this.#props().onvalidity?.(`Raw JSON, line ${e.line}, column ${e.column}: ${e.message}`);
      return;
    }
    this.rawError = null;
    this.formError = null;
    this.#read(parsed.value);
    this.#props().onvalidity?.(null);
    // Exactly what was typed goes up, key order and all: the raw tab is the body.
    this.#send(parsed.value);
  }

  #send(body: Obj) {
    this.#last = JSON.stringify(body);
    this.#props().onchange(body);
  }
}
