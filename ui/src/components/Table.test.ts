import { render } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { describe, expect, it } from "vitest";
import Table from "./Table.svelte";

interface Fruit {
  id: string;
  name: string;
}

// render() types the generic Table with T = unknown, so the row and key take unknown items.
const fruit = (item: unknown) => item as Fruit;
const row = createRawSnippet<[unknown]>((item) => ({
  render: () => `<tr data-fruit-id="${fruit(item()).id}"><td>${fruit(item()).name}</td><td></td></tr>`,
}));
const COLUMNS = [{ label: "Name" }, { label: "Actions", hidden: true }];

function draw(items: Fruit[]) {
  return render(Table, { id: "fruit-table", label: "Fruit", columns: COLUMNS, items, key: (item: unknown) => fruit(item).id, row, empty: "No fruit." });
}

describe("Table", () => {
  it("names the table and heads each column, a hidden one for screen readers only", () => {
    draw([]);
    const table = document.querySelector("#fruit-table")!;
    expect(table.getAttribute("aria-label")).toBe("Fruit");
    const heads = [...table.querySelectorAll("thead th")];
    expect(heads.map((th) => [th.getAttribute("scope"), th.textContent?.trim()])).toEqual([["col", "Name"], ["col", "Actions"]]);
    expect(heads[1]?.querySelector(".visually-hidden")?.textContent).toBe("Actions");
  });

  it("draws one row per item with the caller's snippet, in order", () => {
    draw([{ id: "a", name: "Apple" }, { id: "b", name: "Banana" }]);
    const rows = [...document.querySelectorAll("#fruit-table tbody tr")];
    expect(rows.map((r) => r.getAttribute("data-fruit-id"))).toEqual(["a", "b"]);
    expect(rows[1]?.textContent).toBe("Banana");
  });

  it("says when there is nothing, across every column", () => {
    draw([]);
    const cell = document.querySelector("#fruit-table tbody tr.empty td")!;
    expect(cell.textContent).toBe("No fruit.");
    expect(cell.getAttribute("colspan")).toBe("2");
  });
});
