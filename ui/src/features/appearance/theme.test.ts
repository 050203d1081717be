import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorCodes } from "../../ipc";
import { installFakeBackend } from "../../ipc/testing/fakeBackend";
import { ThemeStore } from "./theme.svelte";
import ThemeSwitch from "./ThemeSwitch.svelte";

/** A controllable `prefers-color-scheme: dark` query, as the OS would flip it. */
function fakeOs(dark: boolean) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const media = {
    matches: dark,
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  };
  vi.spyOn(window, "matchMedia").mockImplementation(() => media as unknown as MediaQueryList);
  return {
    flip(next: boolean) {
      media.matches = next;
      for (const l of listeners) l({ matches: next } as MediaQueryListEvent);
    },
    listeners,
  };
}

const root = () => document.createElement("html");

afterEach(() => {
  delete document.documentElement.dataset.theme;
  delete document.documentElement.dataset.themeChoice;
});

describe("theme", () => {
  it("follows the OS live while the choice is `system`, and stops following when stopped", async () => {
    installFakeBackend();
    const os = fakeOs(false);
    const el = root();
    const store = new ThemeStore(el);
    const stop = store.start();
    await waitFor(() => expect(el.dataset.themeChoice).toBe("system"));
    expect(el.dataset.theme).toBe("light");
    os.flip(true);
    expect(el.dataset.theme).toBe("dark");
    os.flip(false);
    expect(el.dataset.theme).toBe("light");
    stop();
    expect(os.listeners.size).toBe(0);
  });

  it("a fixed choice overrides the OS, is stored, and `system` hands back to the OS", async () => {
    const fake = installFakeBackend();
    const os = fakeOs(true);
    const el = root();
    const store = new ThemeStore(el);
    store.start();
    await waitFor(() => expect(fake.callsTo("theme_get")).toHaveLength(1));
    expect(el.dataset.theme).toBe("dark");
    await store.set("light");
    expect(el.dataset.theme).toBe("light");
    expect(fake.theme).toBe("light");
    os.flip(false);
    os.flip(true);
    expect(el.dataset.theme).toBe("light");
    await store.set("system");
    expect(el.dataset.theme).toBe("dark");
    expect(fake.callsTo("theme_set").map((c) => c.args.theme)).toEqual(["light", "system"]);
  });

  it("uses the choice the backend injected before the page ran, without asking again", () => {
    const fake = installFakeBackend({ theme: "light" });
    fakeOs(false);
    const el = root();
    el.dataset.themeChoice = "dark";
    const store = new ThemeStore(el);
    store.start();
    expect(store.choice).toBe("dark");
    expect(el.dataset.theme).toBe("dark");
    expect(fake.callsTo("theme_get")).toHaveLength(0);
  });

  it("asks the backend for the stored choice when nothing was injected", async () => {
    installFakeBackend({ theme: "dark" });
    fakeOs(false);
    const el = root();
    const store = new ThemeStore(el);
    store.start();
    await waitFor(() => expect(el.dataset.theme).toBe("dark"));
    expect(store.choice).toBe("dark");
  });

  it("toggle picks the opposite of what shows now", async () => {
    installFakeBackend();
    fakeOs(true);
    const store = new ThemeStore(root());
    await store.toggle();
    expect(store.choice).toBe("light");
    await store.toggle();
    expect(store.choice).toBe("dark");
  });

  it("a choice the backend could not store is undone and the error kept", async () => {
    const fake = installFakeBackend();
    fakeOs(false);
    const el = root();
    const store = new ThemeStore(el);
    fake.failNext.theme_set = { code: ErrorCodes.Internal, message: "disk full" };
    await store.set("dark");
    expect(store.choice).toBe("system");
    expect(el.dataset.theme).toBe("light");
    expect(store.error?.message).toBe("disk full");
  });

  it("the switch in the status bar sets the choice", async () => {
    const fake = installFakeBackend();
    fakeOs(false);
    const store = new ThemeStore(document.documentElement);
    render(ThemeSwitch, { store });
    const select = document.querySelector<HTMLSelectElement>("#theme-choice")!;
    expect(select.value).toBe("system");
    select.value = "dark";
    await fireEvent.change(select);
    await waitFor(() => expect(fake.theme).toBe("dark"));
    expect(document.documentElement.dataset.theme).toBe("dark");
  });
});
