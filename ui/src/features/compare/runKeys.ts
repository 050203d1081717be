// Ctrl+Enter runs and Escape stops, for the Compare and Advisor tabs. The handler goes on the
// window, not the tab: the field that had the keyboard is disabled while a run goes (and Stop
// goes away when it ends), which drops the focus to <body>. Keys typed inside the tab, or with
// the focus nowhere, are the tab's; others (a dialog, the command palette) are not.
export interface RunActions {
  run: () => void;
  stop: () => void;
  running: () => boolean;
}

export function runKeys(root: () => HTMLElement | undefined, actions: RunActions): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.defaultPrevented) return;
    const target = e.target instanceof Node ? e.target : null;
    const el = root();
    if (!(target === document.body || (el && target && el.contains(target)))) return;
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      actions.run();
    } else if (e.key === "Escape" && actions.running()) {
      e.preventDefault();
      actions.stop();
    }
  };
}
