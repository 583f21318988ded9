"""Every curl command of the README works as written, in order, against a freshly started `mocksnap serve`.

A command expects a 2xx answer unless its last line ends with a `# -> NNN` comment naming the status.
A block whose first line is `# against: make run ARGS="..."` runs against its own fresh server started with
those flags; the other blocks share one default server. Only the base URL is changed, to the server's port.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mocksnap.testing import MocksnapServer as Server

README = Path(__file__).resolve().parents[2] / "README.md"
README_BASE = "http://127.0.0.1:8000"
EXPECT = re.compile(r"#\s*->\s*(\d{3})\s*$")
AGAINST = re.compile(r'^# against: make run ARGS="([^"]*)"\n')


def _complete(text: str) -> bool:
    if text.endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # a quote still open: the command goes on on the next line
        return False
    return True


def _commands(block: str) -> list[str]:
    commands: list[str] = []
    pending = ""
    for line in block.splitlines():
        if not pending and not line.startswith("curl "):
            continue
        pending = f"{pending}\n{line}" if pending else line
        if _complete(pending):
            commands.append(pending)
            pending = ""
    assert not pending, f"an unfinished command in the README: {pending}"
    return commands


def readme_groups() -> list[tuple[tuple[str, ...], list[str]]]:
    """(server flags, the curl commands run against that server), in the README's order; the default
    server's group first."""
    default: list[str] = []
    groups: list[tuple[tuple[str, ...], list[str]]] = [((), default)]
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL):
        against = AGAINST.match(block)
        if against:
            groups.append((tuple(shlex.split(against[1])), _commands(block)))
        else:
            default.extend(_commands(block))
    return groups


def readme_commands() -> list[str]:
    return [command for _, commands in readme_groups() for command in commands]


def test_the_readme_has_curl_examples_for_every_endpoint() -> None:
    text = "\n".join(readme_commands())
    for path in (
        "/public/api/v2/chat/",
        "/api/v1/chat/",
        "/api/v1/user.json",
        "/api/v1/widget.json",
        "/__admin/health",
        "/__admin/world",
        "/__admin/reset",
        "/__admin/events",
    ):
        assert path in text, f"no curl example for {path}"
    for method in ("PUT", "POST", "DELETE"):
        assert f"-X {method} '{README_BASE}/api/v1/user.json" in text
        assert f"-X {method} '{README_BASE}/api/v1/widget.json" in text


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed (make test installs it)")
@pytest.mark.parametrize("group", range(len(readme_groups())))
def test_every_readme_curl_command_works_as_written(
    spawn: Callable[..., Server], tmp_path: Path, group: int
) -> None:
    flags, commands = readme_groups()[group]
    server = spawn(*flags)
    for command in commands:
        expected = EXPECT.search(command)
        runnable = command.replace(README_BASE, server.base_url)
        # curl writes the status to stderr, so that what the command prints or saves stays as written.
        runnable = runnable.replace("curl ", "curl -w '%{stderr}%{http_code}' ", 1)
        done = subprocess.run(
            ["bash", "-c", runnable], cwd=tmp_path, capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 0, f"{command}\nexit {done.returncode}: {done.stderr}"
        status = int(done.stderr.strip()[-3:])
        if expected:
            assert status == int(expected[1]), f"{command}\nanswered {status}: {done.stdout}"
        else:
            assert 200 <= status < 300, f"{command}\nanswered {status}: {done.stdout}"


def readme_traffic_commands() -> list[str]:
    """The README's `mocksnap traffic` commands, each whole (continued lines joined)."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL):
        for command in re.split(r"(?<!\\)\n", block):
            command = command.replace("\\\n", " ").strip()
            if command.startswith(".venv/bin/mocksnap traffic"):
                commands.append(command)
    return commands


@pytest.mark.parametrize("command", readme_traffic_commands())
def test_every_readme_traffic_command_works_as_written(
    spawn: Callable[..., Server], tmp_path: Path, command: str
) -> None:
    """In-process runs in a scratch folder; a run with --server against a fresh server on a manual clock (a
    real clock would take the run's whole duration), whose Logs API then has the cases."""
    runnable = command.replace(".venv/bin/mocksnap", f"{shlex.quote(sys.executable)} -m mocksnap", 1)
    server = None
    if "--server" in command:
        server = spawn("--clock", "manual", "--start", "2026-11-23T00:00:00Z")
        runnable = runnable.replace(README_BASE, server.base_url)
    done = subprocess.run(["bash", "-c", runnable], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}\nexit {done.returncode}: {done.stderr}"
    assert "visitors" in done.stdout
    for written in re.findall(r"--(?:out|payloads) (\S+)", command):
        assert (tmp_path / written).stat().st_size > 0
    if server is not None:
        state = server.request("GET", "/__admin/traffic").json()
        assert state["state"] == "done"
        assert state["traffic"]["visitors"] > 0
