"""World documents that would hold the server: YAML aliases that expand a few hundred bytes to billions of
nodes, an alias that contains itself, bytes that are not UTF-8. Refused with a 400 (or, given to `mocksnap
serve --world`, a non-zero exit), quickly, the world unchanged, other requests answered meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from mocksnap.testing import MocksnapServer, Response, free_port, launch
from tests.conftest import assert_valid


def alias_bomb() -> str:
    """About 600 bytes that expand to 9 ** 9 strings where the world has its organizations."""
    first = "  - &l0 [" + ", ".join(['"lol"'] * 9) + "]"
    levels = [f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(["definitions:", first, *levels, "organizations: *l8"]) + "\n"


SELF_CONTAINED = "organizations: &all\n  - orgId: x\n    widgets: *all\n"
NOT_UTF8 = b"organizations:\n  - orgId: \xff\xfe\n"

BAD_DOCUMENTS = [
    pytest.param(alias_bomb().encode(), "aliases expand it by more than", id="alias-bomb"),
    pytest.param(SELF_CONTAINED.encode(), "refers to a node that contains it", id="alias-cycle"),
    pytest.param(NOT_UTF8, "not valid UTF-8", id="not-utf-8"),
]


def put_yaml(server: MocksnapServer, body: bytes) -> Response:
    return server.request(
        "PUT", "/__admin/world", body=body, headers={"Content-Type": "application/yaml"}, timeout=30
    )


@pytest.mark.parametrize(("body", "problem"), BAD_DOCUMENTS)
def test_a_world_document_that_would_hold_the_server_is_refused(
    server: MocksnapServer, body: bytes, problem: str
) -> None:
    world = server.get("/__admin/world").json()
    answers: list[Response] = []
    took: list[float] = []

    def put() -> None:
        started = time.monotonic()
        answers.append(put_yaml(server, body))
        took.append(time.monotonic() - started)

    sender = threading.Thread(target=put)
    sender.start()
    # Others are answered meanwhile (before the fix, the alias bomb held every request for 8.6 s).
    for _ in range(5):
        assert server.get("/__admin/health", timeout=30).status == 200
    sender.join(60)
    [answer] = answers
    print(f"refused in {took[0] * 1000:.0f} ms")
    assert answer.status == 400, answer.body
    error = answer.json()
    assert_valid("api-error", error)
    assert error["message"] == "invalid world document; the world is unchanged"
    assert problem in error["errors"][0]["message"]
    assert server.get("/__admin/world").json() == world


@pytest.mark.parametrize(("body", "problem"), BAD_DOCUMENTS)
def test_serve_refuses_such_a_world_file(tmp_path: Path, body: bytes, problem: str) -> None:
    path = tmp_path / "world.yaml"
    path.write_bytes(body)
    running = launch(["--world", str(path)], port=free_port())
    code = running.wait_exit(30)
    if code is None:
        running.kill()
        pytest.fail(f"mocksnap serve kept running; output:\n{running.output()}")
    out = running.output()
    assert code != 0
    assert problem in out, out
    assert "Traceback" not in out
