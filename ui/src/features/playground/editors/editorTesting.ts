// Test helpers for the editor components (imported by *.test.ts only): mount an editor the way
// the playground will, with the parent owning the body and handing each change back.
import { fireEvent, render } from "@testing-library/svelte";
import type { Component } from "svelte";
import type { ModelChoice } from "./family";
import type { Obj } from "./json";
import type { EditorProps } from "./sync.svelte";

export const MODELS: ModelChoice[] = [
  { id: "gpt-4o", displayName: "GPT-4o" },
  { id: "claude-sonnet-4-6", displayName: null },
];


export interface Mounted {
  /** Every body the editor sent up, in order. */
  sent: Obj[];
  /** Every validity report, in order. */
  validity: (string | null)[];
  last: () => Obj | undefined;
  /** The parent replacing the body itself (a follow-up turn, a history entry). */
  setBody: (body: Obj) => void;
}

/** `more`: the editor's own extra props (Gemini's model, `disabled`…). */
export function mountEditor<P extends EditorProps>(editor: Component<P>, body: Obj, more: Record<string, unknown> = {}): Mounted {
  const sent: Obj[] = [];
  const validity: (string | null)[] = [];
  // The parent hands the new body straight back, as the playground's single source of truth will.
  let rerender: ((props: Partial<P>) => void) | null = null;
  const props = {
    ...more,
    body,
    models: MODELS,
    onchange: (b: Obj) => {
      sent.push(b);
      rerender?.({ body: b } as Partial<P>);
    },
    onvalidity: (p: string | null) => validity.push(p),
  } as unknown as P;
  // render() cannot infer a generic component's props; the editor is known to take these.
  const r = render(editor as unknown as Component<EditorProps>, props as unknown as EditorProps);
  rerender = (p) => void r.rerender(p as Partial<EditorProps>);
  return { sent, validity, last: () => sent[sent.length - 1], setBody: (b) => r.rerender({ body: b }) };
}

export const $ = <T extends Element = HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`no element ${sel}`);
  return el;
};

export const type = (sel: string, value: string) => fireEvent.input($(sel), { target: { value } });

export const rawText = (prefix: string) => $<HTMLTextAreaElement>(`#${prefix}-raw`).value;

export async function editRaw(prefix: string, edit: (body: Obj) => Obj): Promise<void> {
  await fireEvent.click($(`#${prefix}-tab-raw`));
  const now = JSON.parse(rawText(prefix)) as Obj;
  await type(`#${prefix}-raw`, JSON.stringify(edit(now), null, 2));
}

/** A 1x1 PNG as a File, for the image pickers. */
export function pngFile(name = "dot.png"): File {
  const b64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  return new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: "image/png" });
}
export const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
