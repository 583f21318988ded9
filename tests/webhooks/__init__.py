"""The outbound webhooks: their payloads (and, as they come, their delivery)."""
