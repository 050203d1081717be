// Shared test hygiene: unmount rendered components and drop IPC mocks between tests, so one
// test's fake backend can never answer another test's calls.
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";
import { removeFakeBackend } from "./ipc/testing/fakeBackend";

afterEach(() => {
  cleanup();
  removeFakeBackend();
  delete document.body.dataset.ready;
});
