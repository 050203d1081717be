// State of the studios (Image, Video, Music): the route catalogue from the core, the Models
// cache for the model pickers, and one form per route, kept outside the components so a
// half-written prompt survives switching screens and routes.
//
// One click is one task. Each submit carries a submission id; the core gives the first task
// back for an id it has seen, so the id is what makes a repeat harmless. It is reused when the
// same body is sent again after the call threw (the core may or may not have written the row:
// either way the retry is safe) and for a click landing right after the first one's answer
// (a double click); any other submit is a new task, on purpose.
import * as ipc from "../../ipc";
import type { IpcError, RouteId, RouteSpec, Studio, TaskRow } from "../../ipc";
import { ErrorCodes, toIpcError } from "../../ipc";
import { buildBody, initialValues, labelOf, problemsFromMessage, problemsOf, type Raw, type Values } from "./form";

/** A click this soon after the previous answer, with the same body, is the same click. */
export const DOUBLE_CLICK_MS = 1000;
/** How often the created task's card reads its task again while it runs. */
export const REFRESH_CREATED_MS = 1500;

let counter = 0;
function newSubmissionId(): string {
  counter += 1;
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `studio-${random}-${counter}`;
}

/** Where a derived route's source song comes from: a finished task of the user's. */
export interface SourceSong {
  taskId: string;
  gatewayTaskId: string;
  label: string;
  /** The song's audio ids (Suno makes two per task), from its saved artifacts. */
  audioIds: string[];
}

export class RouteForm {
  constructor(readonly spec: RouteSpec) {
    this.values = initialValues(spec);
  }

  values = $state<Values>({});
  /** The core's own verdict on the last submit, by field path. */
  serverProblems = $state<Record<string, string>>({});
  /** Set by the first submit: from then on a missing required field is shown as a problem. */
  attempted = $state(false);
  busy = $state(false);
  created = $state<TaskRow | null>(null);
  error = $state<IpcError | null>(null);
  /** The local task this one derives from (the lineage edge), when a source song is picked. */
  parentTaskId = $state<string | null>(null);

  built = $derived(buildBody(this.spec, this.values));
  problems = $derived(problemsOf(this.spec, this.built));

  #last: { id: string; key: string; answeredAt: number | null } | null = null;
  /** The gateway task id the picked source song filled in; typing another unlinks the song. */
  #sourceGatewayId: string | null = null;

  set(path: string, raw: Raw): void {
    this.values[path] = raw;
    if (path === "/taskId" && this.parentTaskId !== null && raw !== this.#sourceGatewayId) this.parentTaskId = null;
    // The core's verdict was on the old value.
    if (path in this.serverProblems) {
      const { [path]: _gone, ...rest } = this.serverProblems;
      this.serverProblems = rest;
    }
  }

  /** The problem to show next to a field now: a limit as soon as it is passed, a missing
   *  required field once the user tried to submit, the core's verdict after it answered. */
  problemFor(path: string): string | null {
    const local = this.problems[path];
    if (local && (this.attempted || !local.endsWith(" is required"))) return local;
    return this.serverProblems[path] ?? null;
  }

  async submit(connectionId: string | null = null): Promise<TaskRow | null> {
    // The second click of a double click, while the first is still in flight.
    if (this.busy) return null;
    this.attempted = true;
    if (Object.keys(this.problems).length > 0) return null;
    const body = $state.snapshot(this.built.body) as Record<string, unknown>;
    const key = JSON.stringify([this.spec.id, body, this.parentTaskId]);
    const last = this.#last;
    const again =
      last !== null && last.key === key && (last.answeredAt === null || Date.now() - last.answeredAt < DOUBLE_CLICK_MS);
    const submissionId = again ? last.id : newSubmissionId();
    this.#last = { id: submissionId, key, answeredAt: null };
    this.busy = true;
    this.error = null;
    this.serverProblems = {};
    try {
      const row = await ipc.taskSubmit({
        connectionId,
        route: this.spec.id,
        body,
        label: labelOf(body),
        submissionId,
        parentTaskId: this.parentTaskId,
      });
      this.created = row;
      this.#last = { id: submissionId, key, answeredAt: Date.now() };
      return row;
    } catch (e) {
      const err = toIpcError(e);
      const onFields = err.code === ErrorCodes.InvalidInput ? problemsFromMessage(this.spec, err.message) : null;
      if (onFields) this.serverProblems = onFields;
      else this.error = err;
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Reads the created task again (its state moves on while the studio shows it). */
  async refreshCreated(): Promise<void> {
    const id = this.created?.id;
    if (!id) return;
    try {
      const detail = await ipc.taskDetail(id);
      if (this.created?.id === id) this.created = detail.task;
    } catch {
      // The card keeps the last state it had; the Tasks screen has the task either way.
    }
  }

  /** Fills the source fields from a finished song (and records it as the parent). */
  useSource(song: SourceSong | null, audioId: string | null): void {
    this.#sourceGatewayId = song?.gatewayTaskId ?? null;
    this.parentTaskId = song?.taskId ?? null;
    if (this.spec.fields.some((f) => f.path === "/taskId")) this.set("/taskId", song?.gatewayTaskId ?? "");
    if (this.spec.fields.some((f) => f.path === "/audioId")) this.set("/audioId", audioId ?? "");
  }
}

export class StudioStore {
  routes = $state.raw<RouteSpec[]>([]);
  loaded = $state(false);
  loadError = $state<IpcError | null>(null);
  /** Model ids (with names) from the Models cache, for the open model pickers. */
  models = $state.raw<{ id: string; displayName: string | null }[]>([]);
  selected = $state<Record<Studio, RouteId | null>>({ image: null, video: null, music: null });
  forms = new Map<RouteId, RouteForm>();
  songs = $state.raw<SourceSong[]>([]);
  songsError = $state<IpcError | null>(null);

  async load(): Promise<void> {
    try {
      const routes = await ipc.taskRoutes();
      this.routes = routes;
      this.loadError = null;
      for (const studio of ["image", "video", "music"] as const) {
        if (this.selected[studio] === null) this.selected[studio] = routes.find((r) => r.studio === studio)?.id ?? null;
      }
    } catch (e) {
      this.loadError = toIpcError(e);
    } finally {
      this.loaded = true;
    }
    try {
      const view = await ipc.modelsList(false);
      this.models = view.models.map((m) => ({ id: m.id, displayName: m.displayName }));
    } catch {
      // The pickers still offer the route's documented models and take free text.
      this.models = [];
    }
  }

  routesOf(studio: Studio): RouteSpec[] {
    return this.routes.filter((r) => r.studio === studio);
  }

  form(id: RouteId): RouteForm | null {
    const existing = this.forms.get(id);
    if (existing) return existing;
    const spec = this.routes.find((r) => r.id === id);
    if (!spec) return null;
    const form = new RouteForm(spec);
    this.forms.set(id, form);
    return form;
  }

  /** The user's finished songs (what extend, cover art, WAV, stems… derive from). */
  async loadSongs(): Promise<void> {
    try {
      const page = await ipc.tasksList({ states: ["succeeded"], family: "suno", route: null, text: null, offset: 0, limit: 200 });
      const songRoutes = new Set(["suno.generate", "suno.extend", "suno.upload_cover", "suno.upload_extend", "suno.add_vocals", "suno.add_instrumental", "suno.replace_section"]);
      const rows = page.rows.filter((r) => songRoutes.has(r.route) && r.gatewayTaskId !== null);
      this.songs = rows.map((r) => ({ taskId: r.id, gatewayTaskId: r.gatewayTaskId ?? "", label: r.label, audioIds: [] }));
      this.songsError = null;
    } catch (e) {
      this.songsError = toIpcError(e);
    }
  }

  /** A song's audio ids, read from its page (its audio artifacts carry Suno's ids). */
  async audioIdsOf(song: SourceSong): Promise<string[]> {
    if (song.audioIds.length > 0) return song.audioIds;
    try {
      const detail = await ipc.taskDetail(song.taskId);
      const ids = detail.artifacts.filter((a) => a.kind === "audio" && a.itemId).map((a) => a.itemId ?? "");
      song.audioIds = [...new Set(ids)];
      return song.audioIds;
    } catch {
      return [];
    }
  }
}
