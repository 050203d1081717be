// The lineage tree on its own: the WAI-ARIA tree pattern's keys, closing and opening items.
import { fireEvent, render } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { LineageNode } from "../../ipc";
import { taskRow } from "../../ipc/testing/fakeBackend";
import LineageTree from "./LineageTree.svelte";
import { lineageSize, visibleNodes } from "./lineage";

const node = (id: string, route: string, children: LineageNode[] = []): LineageNode => ({ task: taskRow({ id, route, label: id }), children });
const TREE = node("song", "suno.generate", [
  node("extend", "suno.extend", [node("wav", "suno.wav"), node("mp4", "suno.mp4")]),
  node("cover", "suno.upload_cover"),
  node("persona", "suno.persona"),
]);

const items = () => [...document.querySelectorAll<HTMLElement>("#lineage-tree [role=treeitem]")];
const ids = () => items().map((i) => i.dataset.lineageId);
const focusedId = () => (document.activeElement as HTMLElement | null)?.dataset.lineageId;
const item = (id: string) => document.querySelector<HTMLElement>(`#lineage-tree [data-lineage-id="${id}"]`)!;

function draw(currentId = "song") {
  const onopen = vi.fn();
  render(LineageTree, { root: TREE, currentId, onopen });
  return { onopen, tree: document.querySelector<HTMLElement>("#lineage-tree")! };
}

describe("lineage", () => {
  it("flattens depth first and hides what a closed item holds", () => {
    expect(visibleNodes(TREE, new Set()).map((n) => [n.node.task.id, n.depth, n.parentId])).toEqual([
      ["song", 0, null],
      ["extend", 1, "song"],
      ["wav", 2, "extend"],
      ["mp4", 2, "extend"],
      ["cover", 1, "song"],
      ["persona", 1, "song"],
    ]);
    expect(visibleNodes(TREE, new Set(["extend"])).map((n) => n.node.task.id)).toEqual(["song", "extend", "cover", "persona"]);
    expect(lineageSize(TREE)).toBe(6);
  });
});

describe("LineageTree", () => {
  it("is one tab stop: the current task's item", () => {
    draw("cover");
    expect(document.querySelector("#lineage-tree")?.getAttribute("role")).toBe("tree");
    expect(items().filter((i) => i.tabIndex === 0).map((i) => i.dataset.lineageId)).toEqual(["cover"]);
    expect(item("cover").getAttribute("aria-current")).toBe("page");
    expect(item("extend").getAttribute("aria-expanded")).toBe("true");
    expect(item("wav").hasAttribute("aria-expanded")).toBe(false);
  });

  it("moves with the arrows, Home and End, and opens a task with Enter", async () => {
    const { onopen, tree } = draw();
    item("song").focus();
    await fireEvent.keyDown(tree, { key: "ArrowDown" });
    expect(focusedId()).toBe("extend");
    await fireEvent.keyDown(tree, { key: "ArrowDown" });
    await fireEvent.keyDown(tree, { key: "ArrowDown" });
    expect(focusedId()).toBe("mp4");
    await fireEvent.keyDown(tree, { key: "End" });
    expect(focusedId()).toBe("persona");
    await fireEvent.keyDown(tree, { key: "ArrowDown" });
    expect(focusedId()).toBe("persona");
    await fireEvent.keyDown(tree, { key: "Home" });
    expect(focusedId()).toBe("song");
    await fireEvent.keyDown(tree, { key: "ArrowUp" });
    expect(focusedId()).toBe("song");
    await fireEvent.keyDown(tree, { key: "End" });
    await fireEvent.keyDown(tree, { key: "Enter" });
    expect(onopen).toHaveBeenCalledWith(expect.objectContaining({ id: "persona" }));
  });

  it("closes with ArrowLeft, then goes to the parent; opens with ArrowRight, then goes to the first child", async () => {
    const { tree } = draw();
    item("wav").focus();
    await fireEvent.keyDown(tree, { key: "ArrowLeft" });
    expect(focusedId()).toBe("extend");
    await fireEvent.keyDown(tree, { key: "ArrowLeft" });
    expect(item("extend").getAttribute("aria-expanded")).toBe("false");
    expect(ids()).toEqual(["song", "extend", "cover", "persona"]);
    await fireEvent.keyDown(tree, { key: "ArrowDown" });
    expect(focusedId()).toBe("cover");
    await fireEvent.keyDown(tree, { key: "ArrowUp" });
    await fireEvent.keyDown(tree, { key: "ArrowRight" });
    expect(item("extend").getAttribute("aria-expanded")).toBe("true");
    expect(ids()).toContain("wav");
    await fireEvent.keyDown(tree, { key: "ArrowRight" });
    expect(focusedId()).toBe("wav");
  });

  it("a click on an item opens its task", async () => {
    const { onopen } = draw();
    await fireEvent.click(item("mp4").querySelector("button.open")!);
    expect(onopen).toHaveBeenCalledWith(expect.objectContaining({ id: "mp4", route: "suno.mp4" }));
  });
});
