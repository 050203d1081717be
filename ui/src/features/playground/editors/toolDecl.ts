// Function tools as the form holds them (name, description, JSON Schema as text) and as each
// family declares them. A declaration the form cannot show exactly (a server tool, an odd
// field) is kept as a raw item and sent back unchanged.
import { Rest, compact, isNonEmptyStr, isObj, isStr, parseField, pretty, type Obj } from "./json";

export interface ToolDecl {
  kind: "function";
  name: string;
  description: string;
  /** JSON Schema as the user typed it; "" = no parameters. */
  parameters: string;
  /** Keys of the declaration the form has no field for (`strict`, `cache_control`…). */
  extra: Obj;
}

/** Anything in a list the form cannot show: sent back exactly as it came. */
export interface RawItem {
  kind: "raw";
  value: unknown;
}

export type ToolItem = ToolDecl | RawItem;

export const raw = (value: unknown): RawItem => ({ kind: "raw", value });

export const newTool = (): ToolDecl => ({
  kind: "function",
  name: "",
  description: "",
  parameters: pretty({ type: "object", properties: {} }),
  extra: {},
});

/**
 * A `{name, description?, <schemaKey>?, ...}` object as a ToolDecl, or null when one of those
 * three is there in a form the fields cannot show (then the whole tool stays raw).
 */
export function readDecl(source: unknown, schemaKey: string, ignore: readonly string[] = []): ToolDecl | null {
  if (!isObj(source)) return null;
  const r = new Rest(source);
  for (const k of ignore) delete r.rest[k];
  const name = r.take("name", isNonEmptyStr);
  const description = r.take("description", isNonEmptyStr) ?? "";
  const schema = r.take(schemaKey, isObj);
  if (name === undefined || ["name", "description", schemaKey].some((k) => k in r.rest)) return null;
  return { kind: "function", name, description, parameters: schema ? pretty(schema) : "", extra: r.rest };
}

export function writeDecl(d: ToolDecl, schemaKey: string): Obj {
  const parsed = parseField(d.parameters);
  const schema = parsed?.ok ? parsed.value : undefined;
  return { ...compact([["name", d.name], ["description", d.description], [schemaKey, schema]]), ...d.extra };
}

/** The first thing wrong with the declared tools, worded for the form, or null. */
export function toolProblem(tools: ToolItem[]): string | null {
  for (const [i, t] of tools.entries()) {
    if (t.kind !== "function") continue;
    const which = t.name ? `Tool “${t.name}”` : `Tool ${i + 1}`;
    if (t.name.trim() === "") return `${which}: give the function a name.`;
    if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(t.name)) return `${which}: names use letters, digits, _ . - (at most 64).`;
    const parsed = parseField(t.parameters);
    if (parsed && !parsed.ok) {
      return `${which}: parameters are not valid JSON (line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}).`;
    }
    if (parsed?.ok && !isObj(parsed.value)) return `${which}: parameters must be a JSON Schema object.`;
  }
  return null;
}

// Each family's declaration shape.

/** OpenAI chat: `{type:"function", function:{name, description, parameters}}`. */
export function readChatTool(t: unknown): ToolItem {
  if (!isObj(t) || t.type !== "function" || Object.keys(t).some((k) => k !== "type" && k !== "function")) return raw(t);
  return readDecl(t.function, "parameters") ?? raw(t);
}
export const writeChatTool = (t: ToolItem): unknown => (t.kind === "raw" ? t.value : { type: "function", function: writeDecl(t, "parameters") });

/** Responses: `{type:"function", name, description, parameters}` (flat). */
export function readResponsesTool(t: unknown): ToolItem {
  if (!isObj(t) || t.type !== "function") return raw(t);
  return readDecl(t, "parameters", ["type"]) ?? raw(t);
}
export const writeResponsesTool = (t: ToolItem): unknown => (t.kind === "raw" ? t.value : { type: "function", ...writeDecl(t, "parameters") });

/** Anthropic: `{name, description, input_schema}`; server tools (with another `type`) stay raw. */
export function readAnthropicTool(t: unknown): ToolItem {
  if (!isObj(t) || ("type" in t && t.type !== "custom") || !isObj(t.input_schema)) return raw(t);
  return readDecl(t, "input_schema") ?? raw(t);
}
export const writeAnthropicTool = (t: ToolItem): unknown => (t.kind === "raw" ? t.value : writeDecl(t, "input_schema"));

/** Gemini: one entry of `tools[0].functionDeclarations`. */
export const readGeminiDecl = (d: unknown): ToolItem => readDecl(d, "parameters") ?? raw(d);
export const writeGeminiDecl = (t: ToolItem): unknown => (t.kind === "raw" ? t.value : writeDecl(t, "parameters"));

/** A tool item's one-line summary for raw ones: its type and name when it has them. */
export function rawSummary(v: unknown): string {
  if (!isObj(v)) return JSON.stringify(v).slice(0, 80);
  const bits = [v.type, v.name].filter(isStr);
  return bits.length ? bits.join(" ") : Object.keys(v).join(", ");
}
