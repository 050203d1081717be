// Test helpers for components that use VirtualList. happy-dom does no layout and no scrolling,
// and the virtualizer needs both: these stubs give the scroll box and its rows browser-like sizes
// and make scrollTop behave as in a browser (clamped, reported by a later scroll event).
import { flushSync, tick } from "svelte";
import { vi } from "vitest";

export interface FakeLayout {
  /** Height of every `.vlist` scroll box. */
  viewport: number;
  /** Height of a row, and of an unfolded one (aria-expanded="true"). */
  row: number;
  tall: number;
}

/** Install the stubs; call from beforeEach (vitest's restoreMocks removes them after each test). */
export function fakeLayout({ viewport, row, tall }: FakeLayout): void {
  vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockImplementation(function (this: HTMLElement) {
    if (this.classList.contains("vlist")) return viewport;
    if (this.classList.contains("vlist-row")) return this.getAttribute("aria-expanded") === "true" ? tall : row;
    return 0;
  });
  vi.spyOn(HTMLElement.prototype, "offsetWidth", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockImplementation(function (this: HTMLElement) {
    return this.classList.contains("vlist") ? viewport : 0;
  });
  // The scrollable height is the sizer's, as in a browser.
  vi.spyOn(Element.prototype, "scrollHeight", "get").mockImplementation(function (this: Element) {
    const sizer = this.querySelector<HTMLElement>(":scope > .vlist-sizer");
    return sizer ? Math.max(viewport, parseFloat(sizer.style.height) || 0) : 0;
  });
  const tops = new WeakMap<Element, number>();
  vi.spyOn(Element.prototype, "scrollTop", "get").mockImplementation(function (this: Element) {
    return tops.get(this) ?? 0;
  });
  vi.spyOn(Element.prototype, "scrollTop", "set").mockImplementation(function (this: Element, value: number) {
    const max = Math.max(0, this.scrollHeight - viewport);
    const next = Math.max(0, Math.min(max, value));
    if (next === (tops.get(this) ?? 0)) return;
    tops.set(this, next);
    setTimeout(() => this.dispatchEvent(new Event("scroll")), 0);
  });
}

/** Let pending scroll events fire and the list redraw. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await tick();
    flushSync();
  }
}
