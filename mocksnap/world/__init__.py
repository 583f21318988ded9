"""The world: models, the World and its commands, domain events, world documents."""

from mocksnap.world.document import DocumentError
from mocksnap.world.world import World

__all__ = ["DocumentError", "World"]
