// The metadata form as the user types it (all strings), and its conversion to what the
// backend takes: trimmed, empty fields as null.
import type { Environment, KeyMetadata, KeyRecord } from "../../ipc";

export interface MetaForm {
  label: string;
  team: string;
  project: string;
  environment: Environment;
  rotateBy: string;
  expiresAt: string;
  notes: string;
}

export function emptyMeta(): MetaForm {
  return { label: "", team: "", project: "", environment: "dev", rotateBy: "", expiresAt: "", notes: "" };
}

export function formFrom(k: KeyRecord): MetaForm {
  return {
    label: k.label,
    team: k.team ?? "",
    project: k.project ?? "",
    environment: k.environment,
    rotateBy: k.rotateBy ?? "",
    expiresAt: k.expiresAt ?? "",
    notes: k.notes ?? "",
  };
}

const orNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

export function toMetadata(f: MetaForm): KeyMetadata {
  return {
    label: f.label.trim(),
    team: orNull(f.team),
    project: orNull(f.project),
    environment: f.environment,
    rotateBy: orNull(f.rotateBy),
    expiresAt: orNull(f.expiresAt),
    notes: orNull(f.notes),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Per-field problems, keyed by field name; empty when the form can be sent. */
export function validateMeta(f: MetaForm): Partial<Record<keyof MetaForm, string>> {
  const out: Partial<Record<keyof MetaForm, string>> = {};
  if (f.label.trim() === "") out.label = "Give the key a label, e.g. “Search team — prod”.";
  else if (f.label.trim().length > 80) out.label = "Keep the label under 80 characters.";
  if (f.rotateBy.trim() && !DATE.test(f.rotateBy.trim())) out.rotateBy = "Use a date like 2025-12-31.";
  if (f.expiresAt.trim() && !DATE.test(f.expiresAt.trim())) out.expiresAt = "Use a date like 2025-12-31.";
  return out;
}
