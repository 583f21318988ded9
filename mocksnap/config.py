"""Settings, from CLI flags and MOCKSNAP_* environment variables (flags win)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    world: Path | None = None  # None: the bundled fixtures/default.yaml
    seed: int = 0
    certfile: Path | None = None
    keyfile: Path | None = None
    access_log: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        defaults = cls()

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        return cls(
            host=env.get("MOCKSNAP_HOST", defaults.host),
            port=int(env.get("MOCKSNAP_PORT", defaults.port)),
            world=path("MOCKSNAP_WORLD"),
            seed=int(env.get("MOCKSNAP_SEED", defaults.seed)),
            certfile=path("MOCKSNAP_CERTFILE"),
            keyfile=path("MOCKSNAP_KEYFILE"),
            access_log=env.get("MOCKSNAP_ACCESS_LOG", "1").lower() not in ("0", "false", "no", "off"),
        )

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"
