// The connection list as the Rust side reports it. The `active` flag always comes from the
// backend (re-listed after every change) so the UI never guesses which connection is in use.
import * as ipc from "../../ipc";
import type { Connection, Environment, IpcError, NewConnection } from "../../ipc";

export class ConnectionsStore {
  list = $state<Connection[]>([]);
  error = $state<IpcError | null>(null);
  loading = $state(false);
  /** Connection id whose "Use" is in flight, to show progress on that row only. */
  activating = $state<string | null>(null);

  active = $derived(this.list.find((c) => c.active) ?? null);

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.list = await ipc.connectionsList();
      this.error = null;
    } catch (e) {
      this.error = e as IpcError;
    } finally {
      this.loading = false;
    }
  }

  /** Adds a connection; rejects with the IpcError so the form can show it inline. */
  async add(input: NewConnection): Promise<Connection> {
    const created = await ipc.connectionAdd(input);
    await this.load();
    return created;
  }

  /** Edits a connection; rejects with the IpcError so the dialog can show it (or ask about http://). */
  async update(id: string, input: NewConnection): Promise<Connection> {
    const saved = await ipc.connectionUpdate(id, input);
    await this.load();
    return saved;
  }

  /** Makes `id` active. Resolves true on success; on failure the error is kept in `error`. */
  async activate(id: string): Promise<boolean> {
    this.activating = id;
    try {
      await ipc.connectionActivate(id);
      this.error = null;
      await this.load();
      return true;
    } catch (e) {
      this.error = e as IpcError;
      return false;
    } finally {
      this.activating = null;
    }
  }

  /** Switches the active connection's environment (its key there, if bound, is used from now on). */
  async setEnvironment(environment: Environment): Promise<boolean> {
    const active = this.active;
    if (!active) return false;
    try {
      await ipc.connectionEnvironment(active.id, environment);
      this.error = null;
      await this.load();
      return true;
    } catch (e) {
      this.error = e as IpcError;
      return false;
    }
  }
}
