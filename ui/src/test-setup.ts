// Shared test hygiene: unmount rendered components and drop IPC mocks between tests, so one
// test's fake backend can never answer another test's calls.
import { cleanup } from "@testing-library/svelte";
import { afterEach, beforeAll } from "vitest";
import { removeFakeBackend } from "./ipc/testing/fakeBackend";
import { lazyScreens } from "./lazyScreens";

// The app loads its screens on first visit (src/lazyScreens.ts). Under Vitest the first load
// of a screen means transforming its source, which on a busy machine takes longer than a test
// waits; loading them once up front keeps the tests about behaviour (the app still goes
// through the same loaders, which then answer at once).
beforeAll(async () => {
  await Promise.all(Object.values(lazyScreens).map((load) => load()));
}, 120_000);

afterEach(() => {
  cleanup();
  removeFakeBackend();
  delete document.body.dataset.ready;
});
