import { fireEvent, render } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import VirtualList from "./VirtualList.svelte";
import { fakeLayout, settle } from "./VirtualList.testing";

interface Row {
  id: number;
  name: string;
}

const VIEWPORT = 400;
const ROW = 24;
const TALL = 120;

beforeEach(() => fakeLayout({ viewport: VIEWPORT, row: ROW, tall: TALL }));

const rowOf = (item: unknown) => item as Row;
const row = createRawSnippet<[unknown, number, boolean]>((item, index, focused) => ({
  render: () => `<span class="cell" data-focused="${focused()}">${index()}: ${rowOf(item()).name}</span>`,
}));

function make(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}` }));
}

async function draw(props: { items: Row[]; follow?: boolean; focused?: number; onactivate?: (item: unknown, index: number) => void; expanded?: (item: unknown) => boolean; fixedSize?: boolean; key?: (item: unknown) => number }) {
  const result = render(VirtualList, {
    id: "list",
    label: "Rows",
    key: (item: unknown) => rowOf(item).id,
    estimateSize: ROW,
    row,
    ...props,
  });
  await settle();
  const list = document.querySelector<HTMLElement>("#list")!;
  return { ...result, list };
}

const drawnIndexes = (list: HTMLElement) => [...list.querySelectorAll<HTMLElement>(".vlist-row")].map((r) => Number(r.dataset.index));

describe("VirtualList", () => {
  it("with fixedSize never measures a row and scrolls without recomputing every key", async () => {
    // Rows that would measure 1 px taller than the estimate: a measured list lays out again.
    let rowReads = 0;
    vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockImplementation(function (this: HTMLElement) {
      if (this.classList.contains("vlist")) return VIEWPORT;
      if (this.classList.contains("vlist-row")) rowReads++;
      return this.classList.contains("vlist-row") ? ROW + 1 : 0;
    });
    const rect = vi.spyOn(Element.prototype, "getBoundingClientRect");
    let keys = 0;
    const key = (item: unknown) => {
      keys++;
      return rowOf(item).id;
    };
    const { list } = await draw({ items: make(10_000), fixedSize: true, key });
    const keysAfterDraw = keys;
    for (let i = 1; i <= 30; i++) {
      list.scrollTop = i * 7 * ROW * 10;
      await settle();
    }
    const drawn = [...list.querySelectorAll<HTMLElement>(".vlist-row")];
    const first = drawn[0]!;
    expect(Number(first.dataset.index)).toBeGreaterThan(1_000);
    expect(first.style.height).toBe(`${ROW}px`);
    expect(first.style.transform).toBe(`translateY(${Number(first.dataset.index) * ROW}px)`);
    expect(rowReads).toBe(0);
    expect(rect.mock.contexts.filter((el) => (el as Element).classList?.contains("vlist-row"))).toHaveLength(0);
    // Scrolling asks only for the keys of rows drawn, never every row's again.
    expect(keys - keysAfterDraw).toBeLessThan(30 * 40);
    expect(list.querySelector<HTMLElement>(".vlist-sizer")!.style.height).toBe(`${10_000 * ROW}px`);
  });

  it("draws only the rows in view for 10,000 items", async () => {
    const { list } = await draw({ items: make(10_000) });
    const rows = drawnIndexes(list);
    expect(rows.length).toBeGreaterThan(0);
    // 400 px / 24 px ≈ 17 rows in view, plus overscan: nowhere near 10,000.
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toBe(0);
    expect(list.getAttribute("role")).toBe("listbox");
    const first = list.querySelector(".vlist-row")!;
    expect(first.getAttribute("role")).toBe("option");
    expect(first.getAttribute("aria-setsize")).toBe("10000");
    expect(first.getAttribute("aria-posinset")).toBe("1");
    // The sizer makes the scrollbar match all 10,000 rows.
    expect(list.querySelector<HTMLElement>(".vlist-sizer")!.style.height).toBe(`${10_000 * ROW}px`);
    // Positions are set through CSSOM (style: directive), never a style="" in markup.
    expect(first.querySelector(".cell")?.textContent).toBe("0: row 0");
  });

  it("moves a focused row with the keyboard and activates it with Enter", async () => {
    const onactivate = vi.fn();
    const { list } = await draw({ items: make(10_000), onactivate });
    list.focus();
    await fireEvent.focus(list);
    expect(list.getAttribute("aria-activedescendant")).toMatch(/-row-0$/);

    await fireEvent.keyDown(list, { key: "ArrowDown" });
    await fireEvent.keyDown(list, { key: "ArrowDown" });
    expect(list.getAttribute("aria-activedescendant")).toMatch(/-row-2$/);
    const focused = list.querySelector(".vlist-row.focused")!;
    expect(focused.getAttribute("data-index")).toBe("2");
    expect(focused.getAttribute("aria-selected")).toBe("true");

    await fireEvent.keyDown(list, { key: "ArrowUp" });
    expect(list.querySelector(".vlist-row.focused")?.getAttribute("data-index")).toBe("1");

    await fireEvent.keyDown(list, { key: "Enter" });
    expect(onactivate).toHaveBeenCalledWith({ id: 1, name: "row 1" }, 1);

    await fireEvent.keyDown(list, { key: "PageDown" });
    const afterPage = Number(list.querySelector(".vlist-row.focused")?.getAttribute("data-index"));
    expect(afterPage).toBeGreaterThan(10);
    expect(afterPage).toBeLessThan(20);

    await fireEvent.keyDown(list, { key: "End" });
    await settle();
    // The last row is drawn (the list scrolled to it) and focused; far rows are gone.
    expect(list.querySelector(".vlist-row.focused")?.getAttribute("data-index")).toBe("9999");
    expect(list.getAttribute("aria-activedescendant")).toMatch(/-row-9999$/);
    expect(drawnIndexes(list)).not.toContain(0);
    expect(drawnIndexes(list).length).toBeLessThan(40);

    await fireEvent.keyDown(list, { key: "Home" });
    await settle();
    expect(list.querySelector(".vlist-row.focused")?.getAttribute("data-index")).toBe("0");
  });

  it("tells the row snippet which row is focused", async () => {
    const { list } = await draw({ items: make(100), focused: 2 });
    const cells = [...list.querySelectorAll(".cell")].slice(0, 4).map((c) => c.getAttribute("data-focused"));
    expect(cells).toEqual(["false", "false", "true", "false"]);
  });

  it("leaves app shortcuts alone", async () => {
    const { list } = await draw({ items: make(100) });
    const event = new KeyboardEvent("keydown", { key: "End", ctrlKey: true, bubbles: true, cancelable: true });
    list.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
  });

  it("activates a clicked row", async () => {
    const onactivate = vi.fn();
    const { list } = await draw({ items: make(50), onactivate });
    await fireEvent.click(list.querySelector('[data-index="3"] .cell')!);
    expect(onactivate).toHaveBeenCalledWith({ id: 3, name: "row 3" }, 3);
    expect(list.querySelector(".vlist-row.focused")?.getAttribute("data-index")).toBe("3");
  });

  it("is a tree reporting aria-expanded when rows can unfold, and measures a taller row", async () => {
    const open = new Set<number>([1]);
    const { list } = await draw({ items: make(1_000), expanded: (item) => open.has(rowOf(item).id) });
    expect(list.getAttribute("role")).toBe("tree");
    const rows = [...list.querySelectorAll<HTMLElement>(".vlist-row")];
    expect(rows[0]?.getAttribute("role")).toBe("treeitem");
    expect(rows[0]?.getAttribute("aria-expanded")).toBe("false");
    expect(rows[1]?.getAttribute("aria-expanded")).toBe("true");
    // Row 2 starts below the measured (taller) row 1.
    expect(rows[2]?.style.transform).toBe(`translateY(${ROW + TALL}px)`);
    expect(list.querySelector<HTMLElement>(".vlist-sizer")!.style.height).toBe(`${999 * ROW + TALL}px`);
  });

  it("says when there is nothing", async () => {
    await draw({ items: [] });
    expect(document.querySelector("#list-empty")?.textContent).toBe("Nothing to show.");
    // The hidden list is no tab stop.
    expect(document.querySelector("#list")?.getAttribute("tabindex")).toBe("-1");
  });

  it("follows appended items while at the end, and stays put otherwise", async () => {
    const { list, rerender } = await draw({ items: make(1_000), follow: true });
    // A follow list starts at its end.
    expect(drawnIndexes(list)).toContain(999);
    expect(list.scrollTop).toBe(1_000 * ROW - VIEWPORT);

    await rerender({ items: make(1_010) });
    await settle();
    expect(drawnIndexes(list)).toContain(1_009);
    expect(list.scrollTop).toBe(1_010 * ROW - VIEWPORT);

    // The reader scrolls up: new items arrive below, the view stays where it is.
    list.scrollTop = 100 * ROW;
    await settle();
    await rerender({ items: make(1_020) });
    await settle();
    expect(list.scrollTop).toBe(100 * ROW);
    expect(drawnIndexes(list)).toContain(100);
    expect(drawnIndexes(list)).not.toContain(1_019);

    // Back at the end, following resumes.
    list.scrollTop = 1_020 * ROW;
    await settle();
    await rerender({ items: make(1_030) });
    await settle();
    expect(list.scrollTop).toBe(1_030 * ROW - VIEWPORT);
    expect(drawnIndexes(list)).toContain(1_029);
  });

  it("does not follow when follow is off", async () => {
    const { list, rerender } = await draw({ items: make(100) });
    expect(list.scrollTop).toBe(0);
    await rerender({ items: make(200) });
    await settle();
    expect(list.scrollTop).toBe(0);
    expect(drawnIndexes(list)).toContain(0);
  });
});
