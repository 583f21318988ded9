"""A loaded world is frozen out of the garbage collector's passes, and let go again when it is reset."""

from __future__ import annotations

import gc

from mocksnap import heap
from mocksnap.app import create_app
from mocksnap.config import Config
from mocksnap.world import World


def test_a_settled_world_is_frozen_until_it_is_reset_or_replaced(world: World) -> None:
    create_app(Config(), world)  # which subscribes the heap to the world's events
    try:
        heap.settle()
        assert gc.get_freeze_count() > 0
        world.reset()
        assert gc.get_freeze_count() == 0
        heap.settle()
        world.replace(world.dump())
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
