import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import { installFakeBackend, SANDBOX } from "../../ipc/testing/fakeBackend";
import type { Connection } from "../../ipc";
import CommandPalette from "./CommandPalette.svelte";
import { filterActions, PaletteRegistry, type PaletteAction } from "./registry.svelte";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const options = () => [...document.querySelectorAll<HTMLElement>("#palette-list [role='option']")];
const titles = () => options().map((o) => o.querySelector(".title")?.textContent);
const selected = () => $("#palette-list [aria-selected='true'] .title")?.textContent;

function action(id: string, title: string, run: () => unknown = () => {}, more: Partial<PaletteAction> = {}): PaletteAction {
  return { id, title, group: "Test", run, ...more };
}

describe("palette registry and filter", () => {
  it("lists every source's actions in registration order, and forgets a removed source", () => {
    const registry = new PaletteRegistry();
    registry.register("a", () => [action("a1", "Alpha")]);
    const remove = registry.register("b", () => [action("b1", "Beta"), action("b2", "Gamma")]);
    expect(registry.actions().map((a) => a.id)).toEqual(["a1", "b1", "b2"]);
    remove();
    expect(registry.actions().map((a) => a.id)).toEqual(["a1"]);
    expect(() => registry.register("a", () => [])).toThrow(/twice/);
  });

  it("matches letters in order with gaps, best title match first; empty query keeps the order", () => {
    const all = [
      action("x", "Refresh models", undefined, { keywords: "reload" }),
      action("y", "Go to Models"),
      action("z", "Go to Keys"),
      action("w", "Theme: Dark", undefined, { group: "Theme" }),
    ];
    expect(filterActions(all, "").map((a) => a.id)).toEqual(["x", "y", "z", "w"]);
    expect(filterActions(all, "  ").map((a) => a.id)).toEqual(["x", "y", "z", "w"]);
    expect(filterActions(all, "gtk").map((a) => a.id)).toEqual(["z"]);
    expect(filterActions(all, "reload").map((a) => a.id)).toEqual(["x"]);
    expect(filterActions(all, "models").map((a) => a.id).sort()).toEqual(["x", "y"]);
    expect(filterActions(all, "theme").map((a) => a.id)).toEqual(["w"]);
    expect(filterActions(all, "qqq")).toEqual([]);
  });
});

describe("command palette", () => {
  function open(actions: PaletteAction[]) {
    const registry = new PaletteRegistry();
    registry.register("test", () => actions);
    const onclose = vi.fn();
    const opener = document.createElement("button");
    opener.id = "opener";
    document.body.append(opener);
    opener.focus();
    const view = render(CommandPalette, { registry, onclose });
    return { onclose, opener, view };
  }

  it("is a modal dialog holding a combobox that owns a listbox, the field focused", () => {
    const { opener } = open([action("a", "Alpha"), action("b", "Beta")]);
    const dialog = $("#command-palette");
    expect(dialog?.getAttribute("role")).toBe("dialog");
    expect(dialog?.getAttribute("aria-modal")).toBe("true");
    const input = $<HTMLInputElement>("#palette-input")!;
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute("role")).toBe("combobox");
    expect(input.getAttribute("aria-controls")).toBe("palette-list");
    expect($("#palette-list")?.getAttribute("role")).toBe("listbox");
    expect(input.getAttribute("aria-activedescendant")).toBe(options()[0]?.id);
    opener.remove();
  });

  it("filters as one types, arrows move (wrapping), Enter runs the highlighted action and closes", async () => {
    const ran: string[] = [];
    const { onclose, opener } = open([
      action("a", "Go to Models", () => ran.push("a")),
      action("b", "Go to Keys", () => ran.push("b")),
      action("c", "Refresh models", () => ran.push("c")),
    ]);
    const input = $<HTMLInputElement>("#palette-input")!;
    await fireEvent.input(input, { target: { value: "go to" } });
    const [first, second] = titles();
    expect([first, second].sort()).toEqual(["Go to Keys", "Go to Models"]);
    expect(titles()).toHaveLength(2);
    expect(selected()).toBe(first);
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(selected()).toBe(second);
    expect(input.getAttribute("aria-activedescendant")).toBe(options()[1]?.id);
    await fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(selected()).toBe(first);
    await fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(selected()).toBe(second);
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(ran).toEqual([second === "Go to Keys" ? "b" : "a"]));
    expect(onclose).toHaveBeenCalledTimes(1);
    // Focus went back to where it was before the palette opened.
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });

  it("Esc closes without running anything and gives focus back; Tab stays in the field", async () => {
    const run = vi.fn();
    const { onclose, opener } = open([action("a", "Alpha", run)]);
    const input = $<HTMLInputElement>("#palette-input")!;
    const tab = new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true });
    input.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    await fireEvent.keyDown(input, { key: "Escape" });
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);
    expect(run).not.toHaveBeenCalled();
    opener.remove();
  });

  it("says when nothing matches, and Enter then does nothing", async () => {
    const run = vi.fn();
    const { onclose, opener } = open([action("a", "Alpha", run)]);
    const input = $<HTMLInputElement>("#palette-input")!;
    await fireEvent.input(input, { target: { value: "zzz" } });
    expect(options()).toHaveLength(0);
    expect($(".empty")?.textContent).toContain("zzz");
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(run).not.toHaveBeenCalled();
    expect(onclose).not.toHaveBeenCalled();
    opener.remove();
  });

  it("a click on an option runs it", async () => {
    const run = vi.fn();
    const { onclose, opener } = open([action("a", "Alpha"), action("b", "Beta", run)]);
    await fireEvent.click(options()[1]!);
    await waitFor(() => expect(run).toHaveBeenCalledTimes(1));
    expect(onclose).toHaveBeenCalled();
    opener.remove();
  });
});

describe("command palette in the app", () => {
  async function start(connections?: Connection[]) {
    const fake = installFakeBackend(connections ? { connections } : {});
    render(App);
    await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
    return fake;
  }
  const ctrlK = () => fireEvent.keyDown(window, { key: "k", code: "KeyK", ctrlKey: true });
  async function runCommand(query: string) {
    await ctrlK();
    const input = $<HTMLInputElement>("#palette-input")!;
    await fireEvent.input(input, { target: { value: query } });
    await fireEvent.keyDown(input, { key: "Enter" });
  }

  it("Ctrl+K opens and closes it; the features' actions are all there", async () => {
    await start();
    await ctrlK();
    expect($("#command-palette")).not.toBeNull();
    const ids = options().map((o) => o.dataset.action);
    for (const id of ["go:connections", "go:keys", "go:models", "go:playground", "connection:sandbox", "environment:dev", "models:refresh", "playground:new", "theme:toggle", "theme:dark"]) {
      expect(ids).toContain(id);
    }
    // No run is going, so there is nothing to stop.
    expect(ids).not.toContain("playground:stop");
    await ctrlK();
    expect($("#command-palette")).toBeNull();
  });

  it("goes to a screen and puts focus on its rail entry", async () => {
    await start();
    await runCommand("go to keys");
    await waitFor(() => expect($("#keys-table")).not.toBeNull());
    expect($("#nav-keys")?.getAttribute("aria-current")).toBe("page");
    await waitFor(() => expect(document.activeElement?.id).toBe("nav-keys"));
  });

  it("refreshes the models through the gateway", async () => {
    const fake = await start();
    await runCommand("refresh models");
    await waitFor(() => expect(fake.callsTo("models_list").at(-1)?.args).toEqual({ refresh: true }));
  });

  it("switches the connection and the environment, and the status bar follows", async () => {
    const team: Connection = { ...SANDBOX, id: "team", name: "Team", kind: "anyint", active: false, baseUrl: "https://gw.example.com" };
    const fake = await start([SANDBOX, team]);
    await runCommand("switch to team");
    await waitFor(() => expect($("#status-connection")?.textContent).toBe("Team"));
    expect(fake.callsTo("connection_activate")[0]?.args).toEqual({ id: "team" });
    await runCommand("staging environment");
    await waitFor(() => expect($("#status-environment")?.textContent).toBe("staging"));
    expect(fake.callsTo("connection_environment")[0]?.args).toEqual({ id: "team", environment: "staging" });
  });

  it("toggles the theme and stores the choice", async () => {
    const fake = await start();
    expect(document.documentElement.dataset.theme).toBe("light");
    await runCommand("toggle theme");
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
    expect(fake.theme).toBe("dark");
    expect($<HTMLSelectElement>("#theme-choice")?.value).toBe("dark");
  });
});
