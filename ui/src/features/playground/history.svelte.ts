// The playground's history as the side panel shows it: a page of conversations, one opened
// conversation's turns (a page at a time, from the core: never whole histories in state), and
// full-text search. Every change re-reads from the backend.
import * as ipc from "../../ipc";
import type { Conversation, IpcError, SearchHit, Turn } from "../../ipc";
import { toIpcError } from "../../ipc";

export const PAGE = 50;
/** Search waits for the typing to pause. */
export const SEARCH_DEBOUNCE_MS = 250;

export class HistoryStore {
  conversations = $state<Conversation[]>([]);
  total = $state(0);
  offset = $state(0);
  open = $state<Conversation | null>(null);
  turns = $state<Turn[]>([]);
  turnsTotal = $state(0);
  query = $state("");
  hits = $state<SearchHit[] | null>(null);
  error = $state<IpcError | null>(null);
  notice = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;

  async load(offset = this.offset): Promise<void> {
    await this.guard(async () => {
      const page = await ipc.historyConversations({ offset, limit: PAGE });
      this.conversations = page.items;
      this.total = page.total;
      this.offset = offset;
    });
  }

  async openConversation(c: Conversation): Promise<void> {
    await this.guard(async () => {
      const page = await ipc.historyTurns(c.id, { offset: 0, limit: PAGE });
      this.open = c;
      this.turns = page.items;
      this.turnsTotal = page.total;
    });
  }

  /** A turn was stored in `conversationId`: the list moves it up, and its turns, if open, grow. */
  async changed(conversationId: string | null): Promise<void> {
    await this.load(0);
    const open = this.open;
    if (open && open.id === conversationId) {
      await this.openConversation(this.conversations.find((c) => c.id === open.id) ?? open);
    }
  }

  async moreTurns(): Promise<void> {
    const open = this.open;
    if (!open) return;
    await this.guard(async () => {
      const page = await ipc.historyTurns(open.id, { offset: this.turns.length, limit: PAGE });
      this.turns = [...this.turns, ...page.items];
      this.turnsTotal = page.total;
    });
  }

  setQuery(q: string): void {
    this.query = q;
    if (this.timer) clearTimeout(this.timer);
    if (!q.trim()) {
      this.hits = null;
      return;
    }
    this.timer = setTimeout(() => void this.search(), SEARCH_DEBOUNCE_MS);
  }

  async search(): Promise<void> {
    const q = this.query;
    await this.guard(async () => {
      const hits = await ipc.historySearch(q, PAGE);
      if (q === this.query) this.hits = hits;
    });
  }

  async fork(conversationId: string, turnId: string): Promise<Conversation | null> {
    let forked: Conversation | null = null;
    await this.guard(async () => {
      forked = await ipc.historyFork(conversationId, turnId);
      await this.load(0);
    });
    return forked;
  }

  /** True once the backend has deleted it. */
  async deleteConversation(id: string): Promise<boolean> {
    let deleted = false;
    await this.guard(async () => {
      await ipc.historyDeleteConversation(id);
      deleted = true;
      if (this.open?.id === id) {
        this.open = null;
        this.turns = [];
      }
      await this.load();
      if (this.query) await this.search();
    });
    return deleted;
  }

  async deleteTurn(id: string): Promise<void> {
    const open = this.open;
    await this.guard(async () => {
      await ipc.historyDeleteTurn(id);
      if (open) await this.openConversation(open);
      await this.load();
    });
  }

  async exportConversation(id: string): Promise<void> {
    await this.guard(async () => {
      const path = await ipc.historyExport(id);
      this.notice = `Exported to ${path}`;
    });
  }

  async turn(id: string): Promise<Turn | null> {
    let turn: Turn | null = null;
    await this.guard(async () => {
      turn = await ipc.historyTurn(id);
    });
    return turn;
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.error = null;
    } catch (e) {
      this.error = toIpcError(e);
    }
  }
}
