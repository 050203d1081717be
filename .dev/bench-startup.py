"""Measures start-up and idle cost of the app and the floor; run by .dev/bench-startup.

Needs an X display (Xvfb) and the environment .dev/e2e-session sets up. Reads the binaries and
packages from BENCH_* variables. Prints figures and ratios; asserts nothing.
"""

import ctypes
import ctypes.util
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

POLL_S = 0.002  # window poll interval: 2 ms
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "10"))  # first screen to the PSS sample
IDLE_S = float(os.environ.get("BENCH_IDLE_S", "30"))  # idle CPU window
TIMEOUT_S = 60.0
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


# --- X11 through ctypes: no extra packages, and a poll costs a few X round trips ----------
class XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
        ("height", ctypes.c_int), ("border_width", ctypes.c_int), ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p), ("root", ctypes.c_ulong), ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int), ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]


IS_VIEWABLE = 2
xlib = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
xlib.XOpenDisplay.restype = ctypes.c_void_p
xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
xlib.XDefaultRootWindow.restype = ctypes.c_ulong
xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
xlib.XInternAtom.restype = ctypes.c_ulong
xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
xlib.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                            ctypes.POINTER(ctypes.c_ulong),
                            ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                            ctypes.POINTER(ctypes.c_uint)]
xlib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                      ctypes.POINTER(XWindowAttributes)]
xlib.XGetWindowProperty.argtypes = [
    ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
    ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
    ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte))]
xlib.XFree.argtypes = [ctypes.c_void_p]
ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
# A window can vanish between listing and asking about it: ignore X errors instead of exiting.
_ignore_errors = ERROR_HANDLER(lambda _d, _e: 0)
xlib.XSetErrorHandler(_ignore_errors)

dpy = xlib.XOpenDisplay(None)
if not dpy:
    sys.exit("no X display (run through .dev/bench-startup)")
ROOT = xlib.XDefaultRootWindow(dpy)
NET_WM_PID = xlib.XInternAtom(dpy, b"_NET_WM_PID", 0)
CARDINAL = 6


def window_pid(win):
    actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
    nitems, after = ctypes.c_ulong(), ctypes.c_ulong()
    prop = ctypes.POINTER(ctypes.c_ubyte)()
    ok = xlib.XGetWindowProperty(dpy, win, NET_WM_PID, 0, 1, 0, CARDINAL, ctypes.byref(actual_type),
                                 ctypes.byref(actual_format), ctypes.byref(nitems),
                                 ctypes.byref(after), ctypes.byref(prop))
    if ok != 0 or not prop:
        return None
    try:
        if nitems.value < 1 or actual_format.value != 32:
            return None
        return ctypes.cast(prop, ctypes.POINTER(ctypes.c_ulong))[0]
    finally:
        xlib.XFree(prop)


def mapped_window_of(pid):
    root_ret, parent_ret = ctypes.c_ulong(), ctypes.c_ulong()
    children, n = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    if not xlib.XQueryTree(dpy, ROOT, ctypes.byref(root_ret), ctypes.byref(parent_ret),
                           ctypes.byref(children), ctypes.byref(n)):
        return None
    try:
        for i in range(n.value):
            win = children[i]
            attrs = XWindowAttributes()
            if not xlib.XGetWindowAttributes(dpy, win, ctypes.byref(attrs)):
                continue
            if attrs.map_state == IS_VIEWABLE and attrs.width > 100 and window_pid(win) == pid:
                return win
        return None
    finally:
        if children:
            xlib.XFree(children)


# --- processes ------------------------------------------------------------------------------
def descendants(pid):
    """pid and every process below it (WebKit's web and network processes)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(parents.get(p, []))
    return found


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except OSError:
        return 0


# --- one launch -----------------------------------------------------------------------------
class Launch:
    def __init__(self, kind, binary, env, ready_line, ready_count):
        self.kind = kind
        self.lines = []
        self.ready_at = None
        self.ready = threading.Event()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._ready_line, self._need = ready_line, ready_count
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        seen = 0
        for raw in self.proc.stderr:
            now = time.monotonic()
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if self._ready_line in line:
                seen += 1
                if seen == self._need and self.ready_at is None:
                    self.ready_at = now
                    self.ready.set()

    def wait_mapped(self):
        while time.monotonic() - self.t0 < TIMEOUT_S:
            if mapped_window_of(self.proc.pid):
                return (time.monotonic() - self.t0) * 1000
            if self.proc.poll() is not None:
                break
            time.sleep(POLL_S)
        self.fail("no window")

    def wait_ready(self):
        if not self.ready.wait(TIMEOUT_S):
            self.fail("no first-screen mark")
        return (self.ready_at - self.t0) * 1000

    def fail(self, what):
        self.stop()
        tail = "\n".join(self.lines[-20:])
        sys.exit(f"{self.kind}: {what} within {TIMEOUT_S:.0f} s; its log ends:\n{tail}")

    def stop(self):
        tree = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        # WebKit's helpers leave with their parent; make sure none outlives the round.
        deadline = time.monotonic() + 5
        for p in tree[1:]:
            while os.path.exists(f"/proc/{p}") and time.monotonic() < deadline:
                time.sleep(0.01)
            if os.path.exists(f"/proc/{p}"):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass


APPS = {
    # kind: (binary, stderr line marking the first screen, how many such lines)
    "floor": (os.environ["BENCH_FLOOR_BIN"], "tauri-floor: ping", 2),
    "app": (os.environ["BENCH_APP_BIN"], "first screen shown", 1),
}
DEBS = {"floor": os.environ["BENCH_FLOOR_DEB"], "app": os.environ["BENCH_APP_DEB"]}
data_dirs = {k: tempfile.mkdtemp(prefix=f"bench-{k}-") for k in APPS}


def launch(kind):
    binary, line, count = APPS[kind]
    env = dict(os.environ, ANYINT_DESK_DATA_DIR=data_dirs[kind])
    return Launch(kind, binary, env, line, count)


def startup_round(kind):
    run = launch(kind)
    mapped = run.wait_mapped()
    ready = run.wait_ready()
    run.stop()
    return mapped, ready


def idle_round(kind):
    run = launch(kind)
    run.wait_mapped()
    run.wait_ready()
    time.sleep(SETTLE_S)
    tree = descendants(run.proc.pid)
    pss = {p: pss_kb(p) for p in tree}
    before = {p: cpu_ticks(p) for p in tree}
    time.sleep(IDLE_S)
    after = {p: cpu_ticks(p) for p in tree}
    cpu = {p: (after[p] - before[p]) / TICKS / IDLE_S * 100 for p in tree}
    procs = [(comm(p), pss[p], cpu[p]) for p in tree]
    run.stop()
    return procs


def main():
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    # The first launch of each creates its data dir and warms the page cache: not counted.
    for kind in APPS:
        startup_round(kind)
    times = {k: {"mapped": [], "ready": []} for k in APPS}
    for _ in range(rounds):
        for kind in APPS:
            mapped, ready = startup_round(kind)
            times[kind]["mapped"].append(mapped)
            times[kind]["ready"].append(ready)
    idle = {kind: idle_round(kind) for kind in APPS}

    figures = {}
    for kind in APPS:
        procs = idle[kind]
        figures[kind] = {
            "mapped": statistics.median(times[kind]["mapped"]),
            "ready": statistics.median(times[kind]["ready"]),
            "pss": sum(p[1] for p in procs) / 1024,
            "cpu": sum(p[2] for p in procs),
            "deb": os.path.getsize(DEBS[kind]) / 2**20,
        }
        print(f"\n{kind}: {APPS[kind][0]}")
        for name in ("mapped", "ready"):
            xs = ", ".join(f"{x:.0f}" for x in times[kind][name])
            print(f"  {name:>6} ms per round: {xs}")
        for name, pss, cpu in procs:
            print(f"  {name:<20} PSS {pss / 1024:7.1f} MiB   idle CPU {cpu:5.2f} % of a core")
    labels = [
        ("window mapped (median ms)", "mapped", "{:.0f}"),
        ("first screen interactive (median ms)", "ready", "{:.0f}"),
        ("idle PSS, main + WebKit (MiB)", "pss", "{:.1f}"),
        ("idle CPU over 30 s (% of a core)", "cpu", "{:.2f}"),
        (".deb size (MiB)", "deb", "{:.2f}"),
    ]
    print(f"\n{rounds} start-up rounds per app, alternating, after one warm-up launch each;")
    print(f"PSS {SETTLE_S:.0f} s after the first screen, CPU over the next {IDLE_S:.0f} s.\n")
    print(f"{'':<40}{'floor':>10}{'app':>10}{'app/floor':>11}")
    for label, key, fmt in labels:
        f, a = figures["floor"][key], figures["app"][key]
        ratio = f"{a / f:.2f}x" if f > 0 else "-"
        print(f"{label:<40}{fmt.format(f):>10}{fmt.format(a):>10}{ratio:>11}")
    ratio = figures["app"]["ready"] / figures["floor"]["ready"]
    print(f"\nfirst screen interactive vs the floor's first IPC round trip: {ratio:.2f}x (target <= 1.1x)")
    # The heavy-session bench, run next, compares against the floor's idle PSS.
    if os.environ.get("BENCH_RESULTS"):
        with open(os.environ["BENCH_RESULTS"], "w") as f:
            json.dump(figures, f)


if __name__ == "__main__":
    main()
