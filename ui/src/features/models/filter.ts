import type { ModelInfo } from "../../ipc";

/** Case-insensitive substring match on the model ID or its display name; blank shows all. */
export function filterModels(models: readonly ModelInfo[], query: string): ModelInfo[] {
  const q = query.trim().toLocaleLowerCase();
  if (q === "") return [...models];
  return models.filter(
    (m) =>
      m.id.toLocaleLowerCase().includes(q) ||
      (m.displayName ?? "").toLocaleLowerCase().includes(q),
  );
}
