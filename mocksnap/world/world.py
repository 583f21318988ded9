"""The World: the one in-memory source of truth. Its state and lookups are in base.py, its commands, the
only writers, in one mixin per subject. Every command checks everything before it changes anything, so a
refused command leaves the world as it was, and records what it changed as a DomainEvent stamped with the
clock's time.
"""

from __future__ import annotations

from mocksnap.world.accounts import AccountCommands
from mocksnap.world.agent_side import AgentSideCommands
from mocksnap.world.files import FileCommands


class World(AccountCommands, AgentSideCommands, FileCommands):
    pass
