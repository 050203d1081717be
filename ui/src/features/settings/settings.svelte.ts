// The Settings screen's state: the saved view from the backend, a draft the form edits, and
// the last "test connection" result. The proxy password is only ever typed here and sent; the
// backend answers whether one is saved, never the password.
import * as ipc from "../../ipc";
import type { ConnectionTest, IpcError, PasswordChange, Settings, SettingsUpdate, SettingsView } from "../../ipc";

/** A deep copy, so editing the draft never touches the saved view. */
function copy(s: Settings): Settings {
  return JSON.parse(JSON.stringify(s)) as Settings;
}

export class SettingsStore {
  view = $state<SettingsView | null>(null);
  draft = $state<Settings | null>(null);
  /** Typed into the password field; empty means "keep what is saved". */
  password = $state("");
  clearPassword = $state(false);
  loadError = $state<IpcError | null>(null);
  saveError = $state<IpcError | null>(null);
  saving = $state(false);
  saved = $state(false);
  testing = $state(false);
  test = $state<ConnectionTest | null>(null);
  testError = $state<IpcError | null>(null);

  async load(): Promise<void> {
    try {
      this.adopt(await ipc.settingsGet());
      this.loadError = null;
    } catch (e) {
      this.loadError = e as IpcError;
    }
  }

  private adopt(view: SettingsView) {
    this.view = view;
    this.draft = copy(view.settings);
    this.password = "";
    this.clearPassword = false;
  }

  passwordChange(): PasswordChange {
    if (this.clearPassword) return { kind: "clear" };
    if (this.password) return { kind: "set", value: this.password };
    return { kind: "keep" };
  }

  private update(): SettingsUpdate | null {
    if (!this.draft) return null;
    return { settings: copy(this.draft), proxyPassword: this.passwordChange() };
  }

  /** Saves the draft; resolves true when the backend accepted it. */
  async save(): Promise<boolean> {
    const update = this.update();
    if (!update) return false;
    this.saving = true;
    this.saved = false;
    try {
      this.adopt(await ipc.settingsSave(update));
      this.saveError = null;
      this.saved = true;
      return true;
    } catch (e) {
      this.saveError = e as IpcError;
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Tests `connectionId` with the draft as it stands (saved or not). */
  async runTest(connectionId: string): Promise<void> {
    this.testing = true;
    this.test = null;
    try {
      this.test = await ipc.settingsTestConnection(connectionId, this.update());
      this.testError = null;
    } catch (e) {
      this.testError = e as IpcError;
    } finally {
      this.testing = false;
    }
  }

  resetToDefaults() {
    if (this.view) this.draft = copy(this.view.defaults);
  }
}
