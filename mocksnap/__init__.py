"""mocksnap: a local, deterministic emulator of the SnapEngage live-chat APIs."""

__version__ = "0.1.0"
