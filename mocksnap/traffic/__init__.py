"""The seeded traffic generator: fake visitors, agents and bots playing chats through world commands."""
