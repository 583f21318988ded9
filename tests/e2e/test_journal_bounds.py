"""The request journal holds what it is given in bytes as well as in entries, against a real server: a client
sending megabytes a request does not fill the server's memory."""

from __future__ import annotations

import os
from pathlib import Path

from mocksnap.journal import BODY_LIMIT
from mocksnap.testing import MocksnapServer, start_server
from tests.conftest import assert_valid

USERS = "/api/v1/user.json"
BIG = 4 * 1024 * 1024  # the largest body the APIs take


def tree_rss(pid: int) -> int:
    """Bytes resident in the process and every descendant of it (the server may run a worker process)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    tree, grew = {pid}, True
    while grew:
        found = {child for child, parent in parents.items() if parent in tree}
        grew = not found <= tree
        tree |= found
    total = 0
    for member in tree:
        try:
            fields = (Path("/proc") / str(member) / "statm").read_text().split()
        except OSError:
            continue
        total += int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
    return total


def refused_big_posts(server: MocksnapServer, count: int) -> None:
    body = b"x" * BIG
    for _ in range(count):
        answer = server.request("POST", USERS, body=body, headers={"Content-Type": "application/json"})
        assert answer.status == 401, answer.body  # no api_key: refused, and journaled


def test_big_refused_requests_do_not_fill_the_memory() -> None:
    with start_server() as server:
        refused_big_posts(server, 5)  # the buffers a big request needs, allocated once
        before = tree_rss(server.process.pid)
        refused_big_posts(server, 150)
        after = tree_rss(server.process.pid)
        print(f"server RSS before {before >> 20} MiB, after 150 requests of 4 MiB {after >> 20} MiB")
        # 150 bodies kept whole would take 600 MiB; cut at BODY_LIMIT they take 38 MiB.
        assert after - before < 150 * 2**20
        entries = server.get(f"/__admin/requests?path={USERS}").json()
        assert_valid("admin-requests", entries)
        last = entries["requests"][-1]
        assert last["status"] == 401
        assert last["body"] == "x" * BODY_LIMIT + f"\n[mocksnap: body truncated, {BIG} bytes in all]"


def test_the_journal_keeps_the_newest_requests_within_its_bytes() -> None:
    with start_server("--journal-bytes", str(1024 * 1024)) as server:
        for number in range(40):
            body = {"email": f"user{number}@example.com", "padding": "p" * 100_000}
            assert server.request("POST", USERS, body=body).status == 401
        kept = server.get("/__admin/requests").json()["requests"]
        assert 5 <= len(kept) < 40
        # The newest survive, in order; each kept whole, as 100 KB is under the body limit.
        assert [entry["seq"] for entry in kept] == list(range(41 - len(kept), 41))
        assert '"email": "user39@example.com"' in kept[-1]["body"]
        assert kept[-1]["body"].endswith('"}')
