"""Memory per case: how much a closed chat costs the world, at a million of them (target <= 3 KiB per case).

Each case is built through the world's commands on the support widget of the default fixture: visitor
message, accept, agent message, visitor message, agent message, visitor message, close (five messages of 40 to
120 distinct characters, plus the three system lines the world adds: the waiting line, /NIC and /CAL).

Measured in fresh child processes, so that what earlier benchmarks of `make bench` freed cannot hide growth:
- RSS growth (/proc/self/statm) over N cases, default 1,000,000 (`--cases N`);
- tracemalloc over 50,000 cases (`--trace-cases N`), to cross-check and to show which structures dominate;
- what the scheduler's heap keeps when the clock is only set, never advanced (cancelled timers stay in it).

Both measurements start after 2,000 warm-up cases have filled the world's bounded event log (10,000 events),
so the figures are what each further case adds. The cyclic garbage collector is off while cases are built
(building them makes no cyclic garbage; a full collection runs before each reading): with it on, the build
takes a third longer, and the memory is the same. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import linecache
import resource
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from _common import rss

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _population import Texts, new_world, populate

TARGET_BYTES = 3 * 1024
WARM_UP = 2_000
ROOT = Path(__file__).resolve().parent.parent


def _warm_world(texts: Texts):
    world = new_world()
    populate(world, WARM_UP, span_s=WARM_UP * 30, texts=texts)
    return world


# -- phases, each in its own child process -------------------------------------------------------------


def phase_rss(cases: int) -> dict:
    texts = Texts()
    world = _warm_world(texts)
    gc.collect()
    before = rss()
    started = time.perf_counter()
    gc.disable()
    populate(world, cases, texts=texts)
    seconds = time.perf_counter() - started
    collecting = time.perf_counter()
    garbage = gc.collect()
    collected_in = time.perf_counter() - collecting
    gc.enable()
    after = rss()
    return {
        "cases": cases,
        "seconds": seconds,
        "gc_seconds": collected_in,
        "gc_garbage": garbage,
        "gc_tracked": len(gc.get_objects()),
        "rss_before": before,
        "rss_after": after,
        "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "heap": len(world.scheduler._heap),
        "pending": world.scheduler.pending(),
        "open_chats": len(world.open_chats),
        "world_cases": len(world.cases),
    }


def _where(frame: tracemalloc.Frame) -> tuple[str, str]:
    path = Path(frame.filename)
    try:
        shown = str(path.resolve().relative_to(ROOT))
    except ValueError:
        shown = "/".join(path.parts[-2:])
    return f"{shown}:{frame.lineno}", linecache.getline(frame.filename, frame.lineno).strip()


def _traced_growth(cases: int, advance: bool) -> tuple[int, list, object]:
    texts = Texts()
    world = _warm_world(texts)
    gc.collect()
    tracemalloc.start(1)
    first = tracemalloc.take_snapshot()
    gc.disable()
    populate(world, cases, texts=texts, advance=advance)
    gc.collect()
    gc.enable()
    second = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = second.compare_to(first, "lineno")
    return sum(s.size_diff for s in stats), stats, world


def _size(obj: object) -> int:
    """What the allocator hands out for it: sys.getsizeof (GC header included) rounded up to 16 bytes."""
    return -(-sys.getsizeof(obj) // 16) * 16


def _breakdown(world, sample_size: int = 500) -> dict[str, float]:
    """Bytes per case by structure, from sys.getsizeof over a sample of cases. An object reachable from
    more than one case of the sample (aliases, state names, small ints, interned strings) is shared, not
    counted."""
    sample = list(world.cases.values())[-sample_size:]
    per_case: list[dict[int, tuple[str, object]]] = []
    for case in sample:
        found: dict[int, tuple[str, object]] = {}

        def add(kind: str, obj: object, found: dict = found) -> None:
            if obj is not None:
                found.setdefault(id(obj), (kind, obj))

        add("Case object (slots)", case)
        add("case_id string", case.case_id)
        for name in ("created_ms", "last_activity_ms", "accepted_ms", "responded_ms", "closed_ms"):
            add("timestamps (int objects)", getattr(case, name))
        add("message strings", case.description)
        for name in ("org_id", "widget_id", "kind", "state", "ended_by", "agent_id"):
            add("other strings", getattr(case, name))
        add("Visitor object (slots)", case.visitor)
        add("visitor email and user agent", case.visitor.email)
        add("visitor email and user agent", case.visitor.user_agent)
        add("entries list", case.entries)
        for entry in case.entries:
            add("Entry objects (slots)", entry)
            add("message strings", entry.message)
            add("timestamps (int objects)", entry.at_ms)
            add("Entry agent_id strings", entry.agent_id)
            add("other strings", entry.alias)
            add("other strings", entry.sender)
        per_case.append(found)
    seen = Counter(key for found in per_case for key in found)
    totals: Counter[str] = Counter()
    for found in per_case:
        for key, (kind, obj) in found.items():
            if seen[key] == 1:
                totals[kind] += _size(obj)
    shares = {kind: total / len(sample) for kind, total in totals.most_common()}
    n = len(world.cases)
    times, ids = world._created[sample[0].widget_id]
    shares["index: world.cases dict"] = sys.getsizeof(world.cases) / n
    shares["index: created-time lists"] = (sys.getsizeof(times) + sys.getsizeof(ids)) / n
    return shares


def phase_trace(cases: int) -> dict:
    total, stats, world = _traced_growth(cases, advance=True)
    top = []
    for stat in stats[:12]:
        where, line = _where(stat.traceback[0])
        top.append([where, line, stat.size_diff / cases, stat.count_diff / cases])
    breakdown = _breakdown(world)
    heap = len(world.scheduler._heap)
    del world
    gc.collect()
    set_total, _, set_world = _traced_growth(cases, advance=False)
    return {
        "cases": cases,
        "per_case": total / cases,
        "top": top,
        "breakdown": breakdown,
        "heap": heap,
        "set_only_per_case": set_total / cases,
        "set_only_heap": len(set_world.scheduler._heap),
        "set_only_pending": set_world.scheduler.pending(),
    }


# -- the parent: run the phases, print ------------------------------------------------------------------


def child(phase: str, cases: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--cases", str(cases)],
        stdout=subprocess.PIPE,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def kib(n: float) -> str:
    return f"{n / 1024:.2f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases for the RSS measurement")
    parser.add_argument("--trace-cases", type=int, default=50_000, help="cases for tracemalloc")
    parser.add_argument("--phase", choices=("rss", "trace"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = phase_rss(args.cases) if args.phase == "rss" else phase_trace(args.cases)
        print(json.dumps(result))
        return

    print(f"building {args.cases:,} cases (five messages and three system lines each) in a child process ...")
    sys.stdout.flush()
    r = child("rss", args.cases)
    per_case = (r["rss_after"] - r["rss_before"]) / r["cases"]
    print(
        f"  built in {r['seconds']:.1f} s ({r['seconds'] / r['cases'] * 1e6:.0f} us per case); "
        f"RSS {r['rss_before'] / 2**20:,.0f} MiB -> {r['rss_after'] / 2**20:,.0f} MiB "
        f"(peak {r['max_rss'] / 2**20:,.0f} MiB); world holds {r['world_cases']:,} cases"
    )
    print(
        f"  a full garbage collection then took {r['gc_seconds'] * 1000:,.0f} ms over {r['gc_tracked']:,} "
        f"tracked objects (found {r['gc_garbage']:,} unreachable)"
    )
    print(
        f"  scheduler heap after the build: {r['heap']:,} timers ({r['pending']:,} pending), "
        f"{r['open_chats']:,} open chats"
    )
    verdict = "meets" if per_case <= TARGET_BYTES else "MISSES"
    print(f"RSS growth per case: {per_case:,.0f} bytes ({kib(per_case)})")
    ratio = per_case / TARGET_BYTES
    print(f"  target <= {kib(TARGET_BYTES)}: {verdict} it (per case / target = {ratio:.2f})")
    if per_case > TARGET_BYTES:
        over = per_case - TARGET_BYTES
        print(
            f"  over by {over:,.0f} bytes per case ({over / TARGET_BYTES:.0%}), "
            f"{over * 1e6 / 2**30:.2f} GiB per million cases"
        )

    print(f"\ntracemalloc cross-check over {args.trace_cases:,} cases (child process) ...")
    sys.stdout.flush()
    t = child("trace", args.trace_cases)
    print(
        f"  traced growth per case: {t['per_case']:,.0f} bytes ({kib(t['per_case'])}); RSS / traced = "
        f"{per_case / t['per_case']:.2f} (the rest: allocator rounding, free lists, fragmentation)"
    )
    print("  largest allocation sites, bytes and blocks per case:")
    for where, line, size, count in t["top"]:
        print(f"    {size:7,.0f} B {count:5.1f}  {where:34} {line[:60]}")
    print("  by structure (sys.getsizeof over 500 cases, rounded to 16 B; shared objects left out):")
    counted = 0.0
    for kind, size in t["breakdown"].items():
        counted += size
        print(f"    {size:7,.0f} B  {kind}")
    print(f"    {counted:7,.0f} B  in all")
    print(f"  scheduler heap after the traced build: {t['heap']:,} timers")
    extra = t["set_only_per_case"] - t["per_case"]
    print(
        f"  if the clock is only set (clock.set), never advanced: the heap keeps {t['set_only_heap']:,} "
        f"timers ({t['set_only_pending']:,} pending) for {t['cases']:,} closed chats, "
        f"{t['set_only_per_case']:,.0f} bytes per case traced ({extra:+,.0f})"
    )


if __name__ == "__main__":
    main()
