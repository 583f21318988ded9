"""Every command of the README and of the guides in docs/ works as written, in order, as a reader runs
them: curl commands, `mocksnap traffic` runs, and the `mocksnap sink` receivers they send to.

A document runs against one `make run` from its first block on. A shell block whose first line is
`# against: make run ARGS="..."` needs a server started with those flags: the reader stops theirs and starts
it so, and after the block starts a plain one again; receivers started with `&` go on running throughout.
Only the addresses change: the server's base URL, and the port of each `mocksnap sink` (a free one instead).
A curl command expects a 2xx answer unless its last line ends with a `# -> NNN` comment naming the status.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

from mocksnap import sink
from mocksnap.config import Config
from mocksnap.testing import MocksnapServer as Server
from mocksnap.testing import free_port
from tests.installed import Dockerfile

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
BASE = "http://127.0.0.1:8000"
EXPECT = re.compile(r"#\s*->\s*(\d{3})\s*$")
AGAINST = re.compile(r'^# against: make run(?: ARGS="([^"]*)")?\n')
MOCKSNAP = ".venv/bin/mocksnap "
RUNS = ("curl ", MOCKSNAP + "traffic ", MOCKSNAP + "sink ")


def _complete(text: str) -> bool:
    if text.endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # a quote still open: the command goes on on the next line
        return False
    return True


SHOWN = re.compile(r"^# (?:\d{3} )?\{")  # an answer shown under its command: `# {...}` or `# 201 {...}`
SHOWN_PAIR = re.compile(r'"(\w+)": ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)')


def shown_answers(block: str) -> dict[str, str]:
    """What the block shows a command answers: the `# {...}` lines right under it, by command."""
    shown: dict[str, str] = {}
    lines = block.splitlines()
    pending = ""
    for at, line in enumerate(lines):
        if not pending and not line.startswith(RUNS):
            continue
        pending = f"{pending}\n{line}" if pending else line
        if _complete(pending):
            answer: list[str] = []
            for after in lines[at + 1 :]:
                if not (SHOWN.match(after) or (answer and after.startswith("#   "))):
                    break
                answer.append(after[1:].strip())
            if answer:
                shown[pending] = " ".join(answer)
            pending = ""
    return shown


def _as_shown(command: str, answer: str, shown: str) -> None:
    """Each `"name": value` the docs show, where they show it whole (no `...` in it), is in the answer."""
    for name, value in SHOWN_PAIR.findall(shown):
        if "..." not in value:
            assert f'"{name}": {value}' in answer, f"{command}\nshown {name}: {value}, answered {answer}"


def _commands(block: str) -> list[str]:
    commands: list[str] = []
    pending = ""
    for line in block.splitlines():
        if not pending and not line.startswith(RUNS):
            continue
        pending = f"{pending}\n{line}" if pending else line
        if _complete(pending):
            commands.append(pending)
            pending = ""
    assert not pending, f"an unfinished command: {pending}"
    return commands


@dataclass
class Stretch:
    """Commands that run, in order, against one server started with `flags`."""

    flags: tuple[str, ...]
    commands: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # what the document shows some of them answer


def stretches(path: Path) -> list[Stretch]:
    """The document's commands in its order, by the server they run against: a plain `make run` until a
    block asks for another server, that one for the block, then a plain one again."""
    found: list[Stretch] = []
    for block in re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL):
        against = AGAINST.match(block)
        if against:
            found.append(Stretch(tuple(shlex.split(against[1] or "")), _commands(block)))
        elif found and not found[-1].flags:
            found[-1].commands.extend(_commands(block))
        else:
            found.append(Stretch((), _commands(block)))
        found[-1].shown.update(shown_answers(block))
    return [stretch for stretch in found if stretch.commands]


RUN_DOCUMENTS = [document for document in DOCUMENTS if stretches(document)]


def test_the_readme_has_curl_examples_for_every_endpoint() -> None:
    text = "\n".join(command for stretch in stretches(README) for command in stretch.commands)
    for path in (
        "/public/api/v2/chat/",
        "/api/v1/chat/",
        "/api/v1/user.json",
        "/api/v1/widget.json",
        "/api/v2/agentstatus",
        "/api/v2/5406213/logs",
        "/__admin/health",
        "/__admin/world",
        "/__admin/reset",
        "/__admin/events",
    ):
        assert path in text, f"no curl example for {path}"
    for method in ("PUT", "POST", "DELETE"):
        assert f"-X {method} '{BASE}/api/v1/user.json" in text
        assert f"-X {method} '{BASE}/api/v1/widget.json" in text


class Sinks:
    """The `mocksnap sink` receivers a group started, each on a free port instead of the one written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ports: dict[str, str] = {}  # as written -> as run
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, command: str) -> None:
        words = [word for word in shlex.split(command, comments=True) if word != "&"]
        if "--port" not in words:
            words += ["--port", str(sink.PORT)]
        written = words[words.index("--port") + 1]
        self.ports[written] = str(free_port())
        words[words.index("--port") + 1] = self.ports[written]
        output = self.folder / f"sink-{written}.jsonl"
        with output.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "mocksnap", *words[1:]], stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append((process, output))
        deadline = time.monotonic() + 10
        while b"listening on" not in output.read_bytes() and process.poll() is None:
            assert time.monotonic() < deadline, f"{command}: not listening after 10 s"
            time.sleep(0.05)
        assert process.poll() is None, f"{command}: {output.read_text()}"

    def moved(self, command: str) -> str:
        for written, run in self.ports.items():
            command = command.replace(f"127.0.0.1:{written}", f"127.0.0.1:{run}")
        return command

    def printed(self) -> list[str]:
        return [
            line
            for _, output in self.started
            for line in output.read_text().splitlines()
            if line.startswith("{")
        ]

    def stop(self) -> None:
        for process, _ in self.started:
            process.terminate()
            assert process.wait(5) == 0


@pytest.fixture
def sinks(tmp_path: Path) -> Iterator[Sinks]:
    running = Sinks(tmp_path)
    yield running
    running.stop()


def _run_curl(command: str, runnable: str, cwd: Path, shown: str | None = None) -> None:
    expected = EXPECT.search(command)
    # curl writes the status to stderr, so that what the command prints or saves stays as written.
    runnable = runnable.replace("curl ", "curl -w '%{stderr}%{http_code}' ", 1)
    done = subprocess.run(["bash", "-c", runnable], cwd=cwd, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, f"{command}\nexit {done.returncode}: {done.stderr}"
    status = int(done.stderr.strip()[-3:])
    if expected:
        assert status == int(expected[1]), f"{command}\nanswered {status}: {done.stdout}"
    else:
        assert 200 <= status < 300, f"{command}\nanswered {status}: {done.stdout}"
    if shown is not None:
        _as_shown(command, done.stdout, shown)


def _run_traffic(command: str, runnable: str, cwd: Path, server: Server) -> None:
    """In-process runs write in the scratch folder; a run with --server leaves the run done in the server."""
    runnable = runnable.replace(MOCKSNAP, f"{shlex.quote(sys.executable)} -m mocksnap ", 1)
    done = subprocess.run(["bash", "-c", runnable], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}\nexit {done.returncode}: {done.stderr}"
    assert "visitors" in done.stdout
    for written in re.findall(r"--(?:out|payloads) (\S+)", command):
        assert (cwd / written).stat().st_size > 0
    if "--server" in command:
        state = server.request("GET", "/__admin/traffic").json()
        assert state["state"] == "done"
        assert state["traffic"]["visitors"] > 0


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed (make test installs it)")
@pytest.mark.parametrize("document", RUN_DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_command_works_as_written_in_order(
    spawn: Callable[..., Server], sinks: Sinks, tmp_path: Path, document: Path
) -> None:
    for stretch in stretches(document):
        server = spawn(*stretch.flags)
        for command in stretch.commands:
            if command.startswith(MOCKSNAP + "sink "):
                sinks.start(command)
                continue
            runnable = sinks.moved(command.replace(BASE, server.base_url))
            if command.startswith("curl "):
                _run_curl(command, runnable, tmp_path, stretch.shown.get(command))
            else:
                _run_traffic(command, runnable, tmp_path, server)
        assert server.stop() == 0, server.output()
    if sinks.started:  # a document with a receiver sends it webhooks
        assert sinks.printed(), "the sink got none of the webhooks sent to it"


def _blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_every_python_snippet_of_the_guides_is_in_an_example_that_runs() -> None:
    examples = [path.read_text(encoding="utf-8") for path in (ROOT / "examples").glob("*.py")]
    snippets = [snippet for document in DOCUMENTS for snippet in _blocks(document, "python")]
    assert snippets
    for snippet in snippets:
        assert any(snippet in example for example in examples), f"in no file of examples/:\n{snippet}"


def test_the_ci_recipes_use_what_mocksnap_has() -> None:
    """The GitHub Actions workflows of docs/ci.md cannot run here; what they take from mocksnap is checked:
    the image's Dockerfile and port, the variables the service sets, the health endpoint, pytest-xdist."""
    workflows = [yaml.safe_load(block) for block in _blocks(ROOT / "docs" / "ci.md", "yaml")]
    assert len(workflows) == 3
    steps = [step for workflow in workflows for job in workflow["jobs"].values() for step in job["steps"]]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pytest-xdist" in runs
    assert "pytest -n auto" in runs
    [build] = [step["with"] for step in steps if step.get("uses", "").startswith("docker/build-push-action")]
    assert (ROOT / build["file"]).is_file()
    [service] = [job["services"]["mocksnap"] for workflow in workflows for job in workflow["jobs"].values()
                 if "services" in job]  # fmt: skip
    dockerfile = Dockerfile.read()
    assert [int(mapping.split(":")[1]) for mapping in service["ports"]] == dockerfile.expose
    known = {f"MOCKSNAP_{field.name.upper()}" for field in fields(Config)}
    assert set(service["env"]) <= known
    assert "/__admin/health" in runs
    assert any("/__admin/health" in word for word in dockerfile.healthcheck)


WRITES = re.compile(r"(?:--out|--payloads|-o|-keyout|-out|(?<!-)>)\s+([\w./-]+)")


def test_every_file_the_guides_write_is_one_git_ignores() -> None:
    patterns = [
        line.strip().removeprefix("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    written = {
        name
        for document in DOCUMENTS
        for block in _blocks(document, "sh")
        for name in WRITES.findall(block)
        if not name.startswith("/dev/")
    }
    written |= set(re.findall(r"-keyout (\S+) -out (\S+)", README.read_text(encoding="utf-8"))[0])
    assert {"busy-day.yaml", "hooks.jsonl", "my-world.yaml", "key.pem", "cert.pem"} <= written
    for name in written:
        assert any(fnmatch(name, pattern) for pattern in patterns), f"git would offer to commit {name}"


def test_a_receiver_is_started_in_the_background_or_in_a_terminal_of_its_own() -> None:
    """`mocksnap sink` runs until stopped: a reader pasting a block must not be stuck at it."""
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for block in _blocks(document, "sh"):
            for line in block.splitlines():
                if line.startswith(MOCKSNAP + "sink"):
                    before = text[: text.index(block) - len("```sh\n")].rsplit("```", 1)[-1]  # its prose
                    assert line.rstrip().endswith("&") or "terminal" in before, f"{document.name}: {line}"
