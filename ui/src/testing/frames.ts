// A frame function for tests of code that batches its updates per animation frame (the
// playground's run, compare's columns): callbacks run only when the test draws a frame.

/** A frame function that only runs its callbacks when the test says so. */
export function manualFrames() {
  const pending: (() => void)[] = [];
  return {
    frame: (cb: () => void) => void pending.push(cb),
    get pending() {
      return pending.length;
    },
    /** Draws one frame: runs every callback queued so far. */
    draw() {
      for (const cb of pending.splice(0)) cb();
    },
  };
}
