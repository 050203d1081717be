// State of the Keys screen: the vault's records, what needs attention, the audit log, and
// whether a keychain answers. Everything shown comes back from the backend after each change
// (records are re-listed), so the table never guesses a status.
//
// Secrets: this store never holds one. The add form, the rotate dialog and the hand-off forms
// pass the secret (or passphrase) straight through to src/ipc and drop it from their own state
// when the call settles.
import * as ipc from "../../ipc";
import { ErrorCodes } from "../../ipc";
import type { Attention, AuditEntry, Connection, Environment, ImportReport, IpcError, KeyMetadata, KeyRecord, NewKeyInput, RotationPlan, RotationResult, Verification } from "../../ipc";

/** How many audit entries the screen shows; the CSV export has all of them. */
export const AUDIT_LIMIT = 200;

export interface ActionError {
  /** What the user was doing, e.g. "Verifying “Prod”". */
  doing: string;
  error: IpcError;
}

export class KeysStore {
  list = $state<KeyRecord[]>([]);
  attention = $state<Attention[]>([]);
  audit = $state<AuditEntry[]>([]);
  /** Set when no keychain answers: adding keys is refused, the banner explains why. */
  keychainError = $state<IpcError | null>(null);
  /** A failed load of the list itself. */
  loadError = $state<IpcError | null>(null);
  /** The last failed row action (verify, copy, export…), shown above the table. */
  actionError = $state<ActionError | null>(null);
  /** A one-line success message ("Copied — …", "Exported to …"). */
  notice = $state<string | null>(null);
  loaded = $state(false);
  /** Key id → action in flight on that row ("verify", "copy"). */
  busy = $state<Record<string, string>>({});
  /** The last committed rotation, whose revoke reminder stays on screen until dismissed. */
  lastRotation = $state<RotationResult | null>(null);
  /** Rotations verified and not confirmed yet (stored by the backend, so also from before a restart). */
  pending = $state<RotationPlan[]>([]);

  keychainOk = $derived(this.loaded && this.keychainError === null);

  async load(): Promise<void> {
    const [status, keys] = await Promise.allSettled([ipc.keychainStatus(), ipc.keysList()]);
    this.keychainError = status.status === "rejected" ? (status.reason as IpcError) : null;
    if (keys.status === "fulfilled") {
      this.list = keys.value;
      this.loadError = null;
    } else {
      this.loadError = keys.reason as IpcError;
    }
    await Promise.all([this.loadAttention(), this.loadAudit(), this.loadPending()]);
    this.loaded = true;
  }

  /** Re-reads what a change can affect: records, attention, audit. */
  async refresh(): Promise<void> {
    try {
      this.list = await ipc.keysList();
      this.loadError = null;
    } catch (e) {
      this.loadError = e as IpcError;
    }
    await Promise.all([this.loadAttention(), this.loadAudit(), this.loadPending()]);
  }

  async loadPending(): Promise<void> {
    try {
      this.pending = await ipc.rotationsPending();
    } catch {
      // Without the list a rotating key can still be rotated again from step 1.
      this.pending = [];
    }
  }

  pendingFor(keyId: string): RotationPlan | null {
    return this.pending.find((p) => p.old.id === keyId) ?? null;
  }

  async loadAttention(): Promise<void> {
    try {
      this.attention = await ipc.keysAttention();
    } catch {
      // The list is a convenience; the table still shows every key's state.
      this.attention = [];
    }
  }

  async loadAudit(): Promise<void> {
    try {
      this.audit = await ipc.auditList(AUDIT_LIMIT);
    } catch (e) {
      this.actionError = { doing: "Loading the audit log", error: e as IpcError };
    }
  }

  byId(id: string): KeyRecord | undefined {
    return this.list.find((k) => k.id === id);
  }

  /** Rejects with the IpcError so the form can show it next to its fields. */
  /** Resolves as soon as the key is stored, so the form drops the secret at once; the re-list follows. */
  async add(input: NewKeyInput): Promise<KeyRecord> {
    try {
      return await ipc.keyAdd(input);
    } catch (e) {
      const err = e as IpcError;
      if (err.code === ErrorCodes.KeychainUnavailable) this.keychainError = err;
      throw err;
    } finally {
      void this.refresh();
    }
  }

  async update(id: string, meta: KeyMetadata): Promise<KeyRecord> {
    const saved = await ipc.keyUpdate(id, meta);
    await this.refresh();
    return saved;
  }

  async remove(id: string, alsoKeychain: boolean): Promise<void> {
    await ipc.keyDelete(id, alsoKeychain);
    await this.refresh();
  }

  /** Resolves as soon as the binding is stored (the dialog closes then); the re-list follows. */
  async bind(connectionId: string, environment: Environment, keyId: string): Promise<Connection> {
    const connection = await ipc.keyBind(connectionId, environment, keyId);
    void this.refresh();
    return connection;
  }

  /** Empties one connection slot; failures land in `actionError`. Resolves with the connection, or null. */
  async unbind(connectionId: string, environment: Environment, label: string): Promise<Connection | null> {
    this.notice = null;
    try {
      const c = await ipc.keyUnbind(connectionId, environment);
      this.actionError = null;
      this.notice = `${c.name} no longer uses “${label}” (${environment}).`;
      return c;
    } catch (e) {
      this.actionError = { doing: `Unbinding “${label}”`, error: e as IpcError };
      return null;
    } finally {
      await this.refresh();
    }
  }

  /** Row actions report failures in `actionError`; they resolve with null then. */
  async verify(id: string): Promise<Verification | null> {
    return this.rowAction(id, "verify", `Verifying “${this.byId(id)?.label ?? id}”`, async () => {
      const v = await ipc.keyVerify(id);
      await this.refresh();
      return v;
    });
  }

  async copy(id: string): Promise<number | null> {
    return this.rowAction(id, "copy", `Copying “${this.byId(id)?.label ?? id}”`, async () => {
      const seconds = await ipc.keyCopy(id);
      this.notice = `Copied — clipboard clears in ${seconds} s`;
      void this.loadAudit();
      return seconds;
    });
  }

  async exportAudit(): Promise<string | null> {
    this.notice = null;
    try {
      const path = await ipc.auditExport();
      this.notice = `Audit log exported to ${path}`;
      this.actionError = null;
      return path;
    } catch (e) {
      this.actionError = { doing: "Exporting the audit log", error: e as IpcError };
      return null;
    }
  }

  // Hand-off: both reject with the IpcError so the form shows it in place.
  /** Seals `ids` into an encrypted file in Downloads; resolves with its path. */
  async exportHandoff(ids: string[], passphrase: string): Promise<string> {
    try {
      return await ipc.keysExportHandoff(ids, passphrase);
    } catch (e) {
      this.noteKeychain(e as IpcError);
      throw e;
    } finally {
      // The export is audited (one entry per key).
      void this.loadAudit();
    }
  }

  /** Resolves with what was imported and skipped as soon as the backend answers; the re-list follows. */
  async importHandoff(fileText: string, passphrase: string): Promise<ImportReport> {
    try {
      return await ipc.keysImportHandoff(fileText, passphrase);
    } catch (e) {
      this.noteKeychain(e as IpcError);
      throw e;
    } finally {
      void this.refresh();
    }
  }

  private noteKeychain(err: IpcError): void {
    if (err.code === ErrorCodes.KeychainUnavailable) this.keychainError = err;
  }

  // Rotation steps reject with the IpcError: the dialog shows it in place.
  async planRotation(oldKeyId: string, newSecret: string): Promise<RotationPlan> {
    try {
      return await ipc.rotationPlan(oldKeyId, newSecret);
    } finally {
      await this.refresh();
    }
  }

  async commitRotation(oldKeyId: string, keepOld: boolean): Promise<RotationResult> {
    try {
      return await ipc.rotationCommit(oldKeyId, keepOld);
    } finally {
      await this.refresh();
    }
  }

  async cancelRotation(oldKeyId: string): Promise<void> {
    try {
      await ipc.rotationCancel(oldKeyId);
    } catch (e) {
      this.actionError = { doing: "Cancelling the rotation", error: e as IpcError };
    }
    await this.refresh();
  }

  private async rowAction<T>(id: string, what: string, doing: string, run: () => Promise<T>): Promise<T | null> {
    this.busy = { ...this.busy, [id]: what };
    this.notice = null;
    try {
      const out = await run();
      this.actionError = null;
      return out;
    } catch (e) {
      this.actionError = { doing, error: e as IpcError };
      return null;
    } finally {
      const rest = { ...this.busy };
      delete rest[id];
      this.busy = rest;
    }
  }
}
