"""A loaded world and the garbage collector.

A world of a million cases is tens of millions of objects; one full collection scans them all (seconds), and
every request waits through it. Once a world is loaded, its objects are frozen: the collector leaves them
out of every later collection, which then only looks at what came after. What came after grows too, as the
server takes chats (each a case, its timers, its events): so from then on, whatever survives a full
collection is frozen as well, and each full collection only looks at what became long-lived since the last
one, which keeps its pause short however long the server runs. When that world is replaced or reset,
everything is unfrozen, so that what is garbage among it can be collected.

A frozen object is still freed when nothing refers to it any more; only a reference cycle that becomes
garbage once frozen waits for that reset to be collected.

A serving process also collects its youngest generation less often than Python does by default (every 700
objects more allocated than freed): under load the access log's lines waiting for their batch and the
journal's newest entries are thousands of young objects at any moment, so the default collected them every
few hundred requests (a tenth of a millisecond each time) and moved them on to the older generations, whose
collections followed (a full one, 15 ms with the default world, every second or so).
"""

from __future__ import annotations

import gc
from typing import Any

from mocksnap.world.events import DomainEvent

RELEASING = ("world.reset", "world.replaced")
LARGE_WORLD = 10_000  # cases; below that a full collection is quick and freezing its survivors buys nothing
YOUNG = 20_000  # objects allocated (net of those freed) between two collections of the youngest generation


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()  # the collection is over: what is left in the generations survived it


def settle() -> None:
    """Leave every object alive now, and whatever survives a full collection from now on, out of future
    collections."""
    gc.freeze()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


def serving(cases: int) -> None:
    """Before a process serves its world of `cases` cases: what is loaded (the app, the world) is left out of
    every collection from now on, and the youngest generation is collected every YOUNG objects."""
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
    if cases >= LARGE_WORLD:
        settle()
    else:
        gc.freeze()


def release() -> None:
    """Let the collector look at everything again."""
    if _freeze_survivors in gc.callbacks:
        gc.callbacks.remove(_freeze_survivors)
    gc.unfreeze()


def release_on_reset(event: DomainEvent) -> None:
    """A world event subscriber: frozen objects become collectable again once their world is gone."""
    if event.kind in RELEASING and (gc.get_freeze_count() or _freeze_survivors in gc.callbacks):
        release()
