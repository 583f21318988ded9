"""The Docker build context (.dockerignore): what the Dockerfile copies goes to the engine, and nothing big
or private does (the .venv, .git, the tests)."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import PurePosixPath

from tests.installed import ROOT, Dockerfile


def _sent(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern that matches the path, or a folder it is in, decides."""
    sent = True
    candidates = [path, *(str(parent) for parent in PurePosixPath(path).parents if str(parent) != ".")]
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.removeprefix("!").removeprefix("**/")
        if any(
            fnmatch(candidate, glob) or fnmatch(PurePosixPath(candidate).name, glob)
            for candidate in candidates
        ):
            sent = negated
    return sent


def test_the_context_holds_what_the_dockerfile_copies_and_not_the_venv() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for sources, _ in Dockerfile.read().copies:
        for source in sources:
            assert _sent(source, patterns), source
            for inside in (ROOT / source).rglob("*.py") if (ROOT / source).is_dir() else ():
                if "__pycache__" not in inside.parts:
                    assert _sent(inside.relative_to(ROOT).as_posix(), patterns), inside
    for kept_out in (
        ".venv/bin/python",
        ".git/HEAD",
        "tests/conftest.py",
        "mocksnap/__pycache__/cli.cpython-311.pyc",
    ):
        assert not _sent(kept_out, patterns), kept_out
