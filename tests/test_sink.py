"""`mocksnap sink`: each request printed as one JSON line, then forgotten; the status it is told to answer."""

from __future__ import annotations

import json
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from mocksnap.cli import main
from mocksnap.sink import PrintingSink


def test_each_request_is_printed_as_a_json_line_and_not_kept(capsys: pytest.CaptureFixture[str]) -> None:
    sink = PrintingSink("127.0.0.1", 0, 200)
    try:
        with urlopen(Request(f"{sink.url}/events?x=1&x=2", b'{"event": "caseQueued"}', method="POST")) as ok:
            assert ok.status == 200
        with urlopen(Request(f"{sink.url}/xml", b"<case/>", method="PUT")) as ok:
            assert ok.status == 200
    finally:
        sink.close()
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (first["method"], first["path"], first["query"], first["body"]) == (
        "POST",
        "/events",
        {"x": ["1", "2"]},
        {"event": "caseQueued"},
    )
    assert first["headers"]["content-length"] == "23"
    assert (second["method"], second["body"]) == ("PUT", "<case/>")
    assert sink.records() == []


def test_a_sink_told_to_fail_answers_every_request_so() -> None:
    sink = PrintingSink("127.0.0.1", 0, 503)
    try:
        with pytest.raises(HTTPError) as failed:
            urlopen(Request(sink.url, b"{}", method="POST"))
        assert failed.value.code == 503
    finally:
        sink.close()


@pytest.mark.parametrize("status", ["99", "600"])
def test_a_status_that_is_not_an_answer_is_refused(status: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sink", "--port", "0", "--status", status]) == 2
    assert "--status" in capsys.readouterr().err
