"""Simulated participants: human agents on autopilot (and, later, the bridge to custom bots)."""
