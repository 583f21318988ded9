"""A loaded world is frozen out of the garbage collector's passes, and let go again when it is reset."""

from __future__ import annotations

import gc
import weakref

from mocksnap import heap
from mocksnap.app import create_app, get_app
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
        heap.release()


def test_a_serving_process_freezes_what_it_loaded_and_collects_its_young_objects_less_often(
    world: World,
) -> None:
    create_app(Config(), world)
    threshold = gc.get_threshold()
    try:
        heap.serving(len(world.cases))
        assert gc.get_threshold() == (heap.YOUNG, *threshold[1:])
        assert gc.get_freeze_count() > 0
        assert heap._freeze_survivors not in gc.callbacks  # a small world: its survivors are not frozen
        heap.serving(heap.LARGE_WORLD)
        assert heap._freeze_survivors in gc.callbacks
        world.reset()
        assert gc.get_freeze_count() == 0
    finally:
        heap.release()
        gc.set_threshold(*threshold)


def test_the_app_gunicorn_loads_has_its_heap_prepared_as_mocksnap_serve_does() -> None:
    threshold = gc.get_threshold()
    try:
        get_app()
        assert gc.get_threshold()[0] == heap.YOUNG
        assert gc.get_freeze_count() > 0
    finally:
        heap.release()
        gc.set_threshold(*threshold)


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_what_survives_a_full_collection_is_frozen_too_until_the_world_is_reset(world: World) -> None:
    create_app(Config(), world)
    try:
        heap.settle()
        frozen = gc.get_freeze_count()
        kept = [Node() for _ in range(1000)]
        gc.collect()
        assert gc.get_freeze_count() >= frozen + 1000  # survived a full collection: frozen with the world
        world.reset()
        assert gc.get_freeze_count() == 0
        gc.collect()
        assert gc.get_freeze_count() == 0  # a small world again: nothing is frozen after a collection
        assert len(kept) == 1000
    finally:
        heap.release()


def test_a_frozen_object_is_still_freed_once_nothing_refers_to_it() -> None:
    freed: list[bool] = []
    thing = Node()
    thing.me = None
    weakref.finalize(thing, freed.append, True)
    try:
        heap.settle()
        assert gc.get_freeze_count() > 0
        del thing
        assert freed == [True]
    finally:
        heap.release()
