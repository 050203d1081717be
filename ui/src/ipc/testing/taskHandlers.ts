// The fake's task center: what Rust's tasks/center.rs and store/tasks.rs do over SQLite, on
// one array of the fake (`fake.taskCenter.tasks`, oldest first like the store's `n`), plus the
// two long-lived channels the window listens on (transitions, notification clicks).
//
// Tests move tasks with `transition` (as the poller would) and `click` (as a notification click
// would); both reach the window over the same channels the real backend uses. Differences a test
// can see: nothing is polled or downloaded on its own, a submit goes straight to `queued`, and
// a body is not checked against its route's fields (the core does that; see desk/tasks.rs).
import {
  ErrorCodes,
  type ArtifactView,
  type LineageNode,
  type RouteSpec,
  type TaskDetail,
  type TaskFileRef,
  type TaskFilter,
  type TaskPollView,
  type TaskRow,
  type TaskState,
  type TaskSubmit,
  type TaskTransition,
} from "../index";
import { channelTo } from "./playgroundHandlers";
import { fail, NOW } from "./records";
import type { FakeBackend, Handlers, TaskCommand } from "./types";

/** The store's cap on one list call (view.rs `MAX_TASK_PAGE`). */
export const MAX_TASK_PAGE = 500;
/** center.rs `LOCAL_CANCEL`: no family has a cancel route, so cancel only stops tracking. */
export const LOCAL_CANCEL =
  "Cancelled here: the app stopped tracking it. The gateway may still finish the task (and charge for it).";
/** Where the fake "keeps" artifacts; the asset URL is built from these paths. */
export const ARTIFACTS_DIR = "/home/tester/.local/share/ai.anyint.desk/artifacts";

const ACTIVE: readonly TaskState[] = ["submitting", "queued", "running", "partial"];
const isTerminal = (s: TaskState) => !ACTIVE.includes(s);

/** One task as the fake stores it: the row plus what its page shows. */
export interface FakeTask {
  row: TaskRow;
  request: unknown;
  polls: TaskPollView[];
  artifacts: ArtifactView[];
  submissionId: string | null;
}

export interface TaskCenterFake {
  /** Oldest first; lists answer newest first. */
  tasks: FakeTask[];
  routes: RouteSpec[];
  /** Task ids task_open_folder was asked to open, in order. */
  openedFolders: string[];
  /** Files task_input_file kept, by sha256 (the fake's stand-in checksum), with their bytes. */
  inputFiles: Map<string, { ref: TaskFileRef; bytes: Uint8Array }>;
  /** Moves a task as the poller would (the patch lands on the row) and tells the window. */
  transition(taskId: string, to: TaskState, patch?: Partial<TaskRow>): TaskTransition;
  /** A click on the task's notification: the window hears it, or it waits for the window. */
  click(taskId: string): void;
}

/** A row with every field filled; `partial` overrides. */
export function taskRow(partial: Partial<TaskRow> & Pick<TaskRow, "id">): TaskRow {
  const route = partial.route ?? "suno.generate";
  return {
    connectionId: "sandbox",
    route,
    family: route.split(".")[0] ?? route,
    model: "V4_5",
    label: `Task ${partial.id}`,
    state: "queued",
    rawStatus: "PENDING",
    progress: null,
    createdAt: NOW,
    updatedAt: NOW,
    finishedAt: null,
    gatewayTaskId: `gw-${partial.id}`,
    error: null,
    artifactCount: 0,
    parentTaskId: null,
    rerunOf: null,
    cost: null,
    ...partial,
  };
}

export function fakeTask(row: TaskRow, extra: Partial<Omit<FakeTask, "row">> = {}): FakeTask {
  return { row, request: { prompt: row.label }, polls: [], artifacts: [], submissionId: null, ...extra };
}

/** A saved artifact of `kind` under the fake artifacts folder. */
export function savedArtifact(index: number, kind: ArtifactView["kind"], fileName: string, extra: Partial<ArtifactView> = {}): ArtifactView {
  return {
    index,
    kind,
    state: "saved",
    path: `${ARTIFACTS_DIR}/${fileName}`,
    fileName,
    size: 1234,
    sha256: "ab".repeat(32),
    mime: null,
    source: "https://cdn.example/file",
    itemId: null,
    error: null,
    ...extra,
  };
}

export function taskHandlers(fake: FakeBackend): Pick<Handlers, TaskCommand> {
  const center = fake.taskCenter;
  const watchers: ReturnType<typeof channelTo<TaskTransition>>[] = [];
  const clickers: ReturnType<typeof channelTo<string>>[] = [];
  let pendingClick: string | null = null;
  let next = center.tasks.length + 1;

  const taskOf = (id: string): FakeTask =>
    center.tasks.find((t) => t.row.id === id) ?? fail(ErrorCodes.NotFound, `no task with id \`${id}\``);
  const running = () => center.tasks.filter((t) => ACTIVE.includes(t.row.state)).length;

  center.transition = (taskId, to, patch = {}) => {
    const t = taskOf(taskId);
    const from = t.row.state;
    t.row = { ...t.row, ...patch, state: to, finishedAt: isTerminal(to) ? (patch.finishedAt ?? NOW) : t.row.finishedAt };
    const transition: TaskTransition = { taskId, from, to, label: t.row.label, family: t.row.family, route: t.row.route, error: t.row.error };
    for (const w of watchers) w.send(transition);
    return transition;
  };
  center.click = (taskId) => {
    if (clickers.length === 0) pendingClick = taskId;
    for (const c of clickers) c.send(taskId);
  };

  const matches = (row: TaskRow, f: TaskFilter) => {
    if (f.states.length > 0 && !f.states.includes(row.state)) return false;
    if (f.family && row.family !== f.family) return false;
    if (f.route && row.route !== f.route) return false;
    const text = f.text?.trim().toLowerCase();
    if (!text) return true;
    return [row.label, row.model ?? "", row.route, row.gatewayTaskId ?? ""].some((s) => s.toLowerCase().includes(text));
  };

  const create = (submit: TaskSubmit, rerunOf: string | null): TaskRow => {
    const again = center.tasks.find((t) => t.submissionId === submit.submissionId);
    if (again) return again.row;
    if (!center.routes.some((r) => r.id === submit.route) && center.routes.length > 0) {
      fail(ErrorCodes.InvalidInput, `unknown task route \`${submit.route}\``);
    }
    const id = `task-${(next++).toString(16).padStart(8, "0")}`;
    const body = submit.body as { prompt?: unknown; model?: unknown };
    const row = taskRow({
      id,
      route: submit.route,
      model: typeof body?.model === "string" ? body.model : null,
      label: submit.label ?? (typeof body?.prompt === "string" ? body.prompt.slice(0, 60) : submit.route),
      state: "queued",
      rawStatus: null,
      gatewayTaskId: null,
      parentTaskId: submit.parentTaskId,
      rerunOf,
    });
    center.tasks.push(fakeTask(row, { request: structuredClone(submit.body), submissionId: submit.submissionId }));
    return row;
  };

  const detailOf = (t: FakeTask): TaskDetail => ({
    task: t.row,
    request: t.request,
    polls: t.polls,
    pollCount: t.polls.length,
    artifacts: t.artifacts,
    canCancel: !isTerminal(t.row.state),
    cancelIsLocal: true,
  });

  const tree = (id: string): LineageNode => ({
    task: taskOf(id).row,
    children: center.tasks.filter((t) => t.row.parentTaskId === id && t.row.id !== id).map((t) => tree(t.row.id)),
  });

  return {
    task_submit: ({ submit }) => create(submit, null),

    tasks_list: ({ filter }) => {
      const all = center.tasks.filter((t) => matches(t.row, filter)).reverse();
      const limit = Math.min(filter.limit, MAX_TASK_PAGE);
      return { rows: all.slice(filter.offset, filter.offset + limit).map((t) => t.row), total: all.length };
    },

    task_detail: ({ taskId }) => detailOf(taskOf(taskId)),

    task_cancel: ({ taskId }) => {
      const t = taskOf(taskId);
      if (isTerminal(t.row.state)) fail(ErrorCodes.InvalidInput, `the task is already ${t.row.state}; nothing to cancel`);
      center.transition(taskId, "cancelled", { error: LOCAL_CANCEL });
      return detailOf(t);
    },

    task_rerun: ({ taskId, submissionId }) => {
      const t = taskOf(taskId);
      return create(
        { connectionId: t.row.connectionId, route: t.row.route, body: structuredClone(t.request), label: t.row.label, submissionId, parentTaskId: t.row.parentTaskId },
        t.row.id,
      );
    },

    // Desk::task_redownload: every file not saved yet is fetched again (here: always works).
    task_redownload: ({ taskId }) => {
      const t = taskOf(taskId);
      t.artifacts = t.artifacts.map((a) =>
        a.state === "saved" || a.state === "expired" ? a : { ...a, state: "saved", path: `${ARTIFACTS_DIR}/${a.fileName}`, error: null },
      );
      return detailOf(t);
    },

    task_lineage: ({ taskId }) => {
      let root = taskOf(taskId);
      const seen = new Set<string>();
      while (root.row.parentTaskId && !seen.has(root.row.id)) {
        seen.add(root.row.id);
        const parent = center.tasks.find((t) => t.row.id === root.row.parentTaskId);
        if (!parent) break;
        root = parent;
      }
      return tree(root.row.id);
    },

    tasks_running: () => running(),

    task_open_folder: ({ taskId }) => {
      taskOf(taskId);
      center.openedFolders.push(taskId);
      return null;
    },

    task_routes: () => center.routes,

    // Desk::task_input_file: kept by checksum (here a stand-in: FNV-1a as hex, not sha256), the
    // type guessed from the name when the picker gave none; only WAV files are measured.
    task_input_file: ({ name, mime, base64 }) => {
      const binary = atob(base64);
      const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
      if (bytes.length === 0) fail(ErrorCodes.InvalidInput, `\`${name}\`: the file is empty`);
      let h = 0x811c9dc5;
      for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      const sha256 = h.toString(16).padStart(8, "0").repeat(8);
      const ext = name.split(".").pop()?.toLowerCase() ?? "";
      const guessed = { wav: "audio/wav", mp3: "audio/mpeg", png: "image/png", jpg: "image/jpeg" }[ext];
      const type = mime || guessed || "application/octet-stream";
      const wavRate = type === "audio/wav" && bytes.length > 44 ? new DataView(bytes.buffer).getUint32(28, true) : 0;
      const ref: TaskFileRef = {
        name: name.split(/[\\/]/).pop() ?? name,
        mime: type,
        size: bytes.length,
        sha256,
        seconds: wavRate > 0 ? (bytes.length - 44) / wavRate : null,
      };
      center.inputFiles.set(sha256, { ref, bytes });
      return ref;
    },

    tasks_watch: ({ onEvent }) => {
      watchers.push(channelTo<TaskTransition>(onEvent, "tasks_watch"));
      return running();
    },

    task_notification_clicks: ({ onEvent }) => {
      clickers.push(channelTo<string>(onEvent, "task_notification_clicks"));
      const pending = pendingClick;
      pendingClick = null;
      return pending;
    },
  };
}
