// The connections feature's palette actions: switch to another connection, or switch the active
// connection's environment (dev / staging / prod / personal).
import { ENVIRONMENTS } from "../keys/text";
import type { PaletteSource } from "../palette/registry.svelte";
import type { ConnectionsStore } from "./connections.svelte";

/** `onchanged` runs after a switch took effect (the app reloads what depends on the key). */
export function connectionActions(store: ConnectionsStore, onchanged: () => void): PaletteSource {
  const after = (ok: boolean) => {
    if (ok) onchanged();
  };
  return () => {
    const active = store.active;
    const switches = store.list.map((c) => ({
      id: `connection:${c.id}`,
      title: `Switch to ${c.name}`,
      group: "Connection",
      keywords: `connection use activate ${c.baseUrl}`,
      hint: c.active ? "current" : undefined,
      run: () => (c.active ? undefined : store.activate(c.id).then(after)),
    }));
    const environments = active
      ? ENVIRONMENTS.map(({ value: environment }) => ({
          id: `environment:${environment}`,
          title: `Use the ${environment} environment of ${active.name}`,
          group: "Environment",
          keywords: `environment env key ${environment}`,
          hint: active.environment === environment ? "current" : undefined,
          run: () => (active.environment === environment ? undefined : store.setEnvironment(environment).then(after)),
        }))
      : [];
    return [...switches, ...environments];
  };
}
