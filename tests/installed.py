"""mocksnap installed as a new user and the Docker image install it: a fresh virtual environment (no system
site-packages) into which the install steps of docker/Dockerfile are replayed, on a tree laid out by its COPY
lines. No Docker engine is needed: the steps are plain shell commands, run with the venv first on PATH.

The RUN steps before WORKDIR set up the image's system (its user) and are not replayed."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "docker" / "Dockerfile"


def _json_or_shell(text: str) -> list[str]:
    """An instruction's arguments in exec form (a JSON array) or shell form."""
    return json.loads(text) if text.startswith("[") else ["/bin/sh", "-c", text]


@dataclass
class Dockerfile:
    workdir: str = "/"
    copies: list[tuple[list[str], str]] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)  # the RUN steps after WORKDIR
    user: str = ""
    expose: list[int] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path = DOCKERFILE) -> Dockerfile:
        parsed = cls()
        logical = path.read_text(encoding="utf-8").replace("\\\n", " ")
        for raw in logical.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            instruction, _, rest = line.partition(" ")
            rest = rest.strip()
            match instruction.upper():
                case "WORKDIR":
                    parsed.workdir = rest
                case "COPY":
                    *sources, destination = shlex.split(rest)
                    parsed.copies.append((sources, destination))
                case "RUN" if parsed.workdir != "/":
                    parsed.runs.append(rest)
                case "USER":
                    parsed.user = rest
                case "EXPOSE":
                    parsed.expose = [int(port.split("/")[0]) for port in rest.split()]
                case "HEALTHCHECK":
                    parsed.healthcheck = _json_or_shell(rest[rest.index("CMD ") + 4 :].strip())
                case "ENTRYPOINT":
                    parsed.entrypoint = _json_or_shell(rest)
                case "CMD":
                    parsed.cmd = _json_or_shell(rest)
        return parsed


@dataclass
class Installed:
    """The image's tree (`app`, its WORKDIR) and the venv its steps installed mocksnap into."""

    dockerfile: Dockerfile
    app: Path
    venv: Path

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a command in the image: the venv first on PATH, no MOCKSNAP_* or PYTEST_*
        variables but those given."""
        env = {
            name: value for name, value in os.environ.items() if not name.startswith(("PYTEST", "MOCKSNAP"))
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        return {**env, **extra}

    def image_path(self, text: str) -> str:
        """A command of the Dockerfile with the image's WORKDIR moved to where the tree is here."""
        return text.replace(self.dockerfile.workdir, str(self.app))


def install(root: Path, *extra_packages: str) -> Installed:
    """Lay out the image's tree under root, make a fresh venv, replay the install steps in it, then
    pip-install extra_packages (what a user's project adds, such as pytest-xdist)."""
    dockerfile = Dockerfile.read()
    app = root / dockerfile.workdir.strip("/")
    app.mkdir(parents=True)
    for sources, destination in dockerfile.copies:
        target = app / destination
        for source in sources:
            origin = ROOT / source
            if origin.is_dir():
                shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / origin.name)
    installed = Installed(dockerfile, app, root / "venv")
    subprocess.run([sys.executable, "-m", "venv", str(installed.venv)], check=True, timeout=120)
    steps = [
        *dockerfile.runs,
        *([shlex.join(["pip", "install", "--quiet", *extra_packages])] if extra_packages else []),
    ]
    for step in steps:
        done = subprocess.run(
            ["/bin/sh", "-c", installed.image_path(step)],
            cwd=app,
            env=installed.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{step}\n{done.stdout}{done.stderr}"
    return installed
