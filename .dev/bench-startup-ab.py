"""Start-up A/B: several builds launched in alternating rounds, as .dev/bench-startup does.

Usage (inside the bench's session, so the same Xvfb, D-Bus, keyring and notification daemon):
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- .dev/e2e-session \
    python3 .dev/bench-startup-ab.py NAME=BINARY[|READY_LINE|COUNT] ...
READY_LINE defaults to the app's "first screen shown" (once); the floor app that
.dev/bench-startup builds is "tauri-floor: ping" twice. A NAME ending in "-nocomp" runs with
WEBKIT_DISABLE_COMPOSITING_MODE=1, "-comp" with it 0. BENCH_AB_ROUNDS sets the rounds (8).
Prints each build's median window-mapped and first-screen times and every round's; asserts
nothing. The launch, window poll and stop are .dev/bench-startup.py's own.
"""

import importlib.util
import os
import statistics
import sys
import tempfile

# bench-startup.py reads these at import; this script passes its binaries itself.
for var in ("BENCH_FLOOR_BIN", "BENCH_APP_BIN", "BENCH_FLOOR_DEB", "BENCH_APP_DEB"):
    os.environ.setdefault(var, "unused")
spec = importlib.util.spec_from_file_location(
    "bench_startup", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-startup.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

COMPOSITING = {"-nocomp": "1", "-comp": "0"}


def parse(arg):
    name, rest = arg.split("=", 1)
    parts = rest.split("|")
    line, count = (parts[1], int(parts[2])) if len(parts) > 2 else ("first screen shown", 1)
    return name, parts[0], line, count, tempfile.mkdtemp(prefix=f"bench-ab-{name}-")


def launch_round(build):
    name, binary, line, count, data_dir = build
    env = dict(os.environ, ANYINT_DESK_DATA_DIR=data_dir)
    for suffix, value in COMPOSITING.items():
        if name.endswith(suffix):
            env["WEBKIT_DISABLE_COMPOSITING_MODE"] = value
    run = bench.Launch(name, binary, env, line, count)
    mapped, ready = run.wait_mapped(), run.wait_ready()
    run.stop()
    return mapped, ready


def main():
    builds = [parse(a) for a in sys.argv[1:]]
    if not builds:
        sys.exit(__doc__)
    for build in builds:  # warm-up: creates each data dir, fills the page cache
        launch_round(build)
    rounds = {b[0]: [] for b in builds}
    for _ in range(int(os.environ.get("BENCH_AB_ROUNDS", "8"))):
        for build in builds:
            rounds[build[0]].append(launch_round(build))
    for name, xs in rounds.items():
        mapped = statistics.median(x[0] for x in xs)
        ready = statistics.median(x[1] for x in xs)
        each = ", ".join(f"{x[1]:.0f}" for x in xs)
        print(f"{name:>16}: window mapped {mapped:.0f} ms, first screen {ready:.0f} ms ({each})")


main()
