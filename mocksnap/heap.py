"""A loaded world and the garbage collector.

A world of a million cases is tens of millions of objects; one full collection scans them all (seconds), and
every request waits through it. Once a world is loaded, its objects are frozen: the collector leaves them
out of every later collection, which then only looks at what came after. When that world is replaced or
reset, they are unfrozen, so that what is garbage among them can be collected.
"""

from __future__ import annotations

import gc

from mocksnap.world.events import DomainEvent

RELEASING = ("world.reset", "world.replaced")
LARGE_WORLD = 10_000  # cases; below that a full collection is quick and the freeze buys nothing


def settle() -> None:
    """Leave every object alive now out of future collections."""
    gc.freeze()


def release_on_reset(event: DomainEvent) -> None:
    """A world event subscriber: frozen objects become collectable again once their world is gone."""
    if event.kind in RELEASING and gc.get_freeze_count():
        gc.unfreeze()
