"""The pytest plugin as a user meets it: their tests run by pytest (pytester), with the fixtures the
`pytest11` entry point registers; under pytest-xdist; and in a new project that pip-installs mocksnap."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.installed import Installed

FIRST_TEST = (ROOT / "examples" / "test_first_chat.py").read_text(encoding="utf-8")


def test_the_readme_shows_the_first_example_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Testing with pytest") :]
    shown = section[section.index("```python\n") + len("```python\n") : section.index("```\n\n")]
    assert FIRST_TEST.endswith(shown)


def test_a_users_first_test_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_first=FIRST_TEST)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_each_test_gets_a_fresh_world_on_a_manual_clock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_one(mocksnap):
            mocksnap.request("PUT", "/__admin/autopilot", {"enabled": False})
            mocksnap.advance(3600)
            mocksnap.request("GET", f"/public/api/v2/chat/{mocksnap.org.widgets[0]}")
            assert len(mocksnap.requests()) == 1

        def test_two(mocksnap):
            assert mocksnap.requests() == []
            assert mocksnap.request("GET", "/__admin/autopilot").json() == {"enabled": True}
            assert mocksnap.request("GET", "/__admin/clock").json()["now"] == "2026-11-23T09:30:00.000Z"
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--mocksnap-start", "2026-11-23T09:30:00Z")
    result.assert_outcomes(passed=2)


def test_the_fixture_gives_the_widget_script_url(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from urllib.parse import urlsplit

        def test_script(mocksnap):
            widget = mocksnap.org.widgets[1]
            url = mocksnap.widget_script_url(widget)
            assert url == f"{mocksnap.base_url}/code.snapengage.com/js/{widget}.js"
            assert mocksnap.widget_script_url().endswith(f"/{mocksnap.org.widgets[0]}.js")
            script = mocksnap.request("GET", urlsplit(url).path)
            assert script.status == 200
            assert b"SnapEngage" in script.body
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_failures_read_well(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from mocksnap.testing import validate

        def test_nothing_comes(mocksnap, webhook_sink):
            webhook_sink.wait_for(1, timeout=0.2, path="/case")

        def test_a_bad_payload():
            validate({"event": "caseQueued"}, "conversation-event")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            '>*webhook_sink.wait_for(1, timeout=0.2, path="/case")',
            "E *AssertionError: the webhook sink expected 1 request to /case within 0.2 s and got 0; "
            "it received nothing",
            '>*validate({"event": "caseQueued"}, "conversation-event")',
            "E *AssertionError: the payload breaks the schema 'conversation-event':",
            "E *  /case_id: case_id is required",
            "E *  /timestamp: timestamp is required",
            "E *  /widget_id: widget_id is required",
        ]
    )


def test_world_and_seed_from_the_ini_file_or_the_command_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = (ROOT / "fixtures" / "default.yaml").read_text(encoding="utf-8")
    pytester.path.joinpath("worlds").mkdir()
    pytester.path.joinpath("worlds", "mine.yaml").write_text(
        world.replace("5406213", "777"), encoding="utf-8"
    )
    pytester.makeini("[pytest]\nmocksnap_world = worlds/mine.yaml\nmocksnap_seed = 5\n")
    pytester.makepyfile(
        """
        import os

        def test_org(mocksnap):
            assert mocksnap.org.orgId == os.environ["EXPECTED_ORG"]
            assert f", seed {os.environ['EXPECTED_SEED']}" in mocksnap.server.output()  # the banner
        """
    )
    monkeypatch.setenv("EXPECTED_ORG", "777")
    monkeypatch.setenv("EXPECTED_SEED", "5")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)

    monkeypatch.setenv("EXPECTED_ORG", "5406213")
    monkeypatch.setenv("EXPECTED_SEED", "9")
    default = str(ROOT / "fixtures" / "default.yaml")
    result = pytester.runpytest("-p", "no:cacheprovider", "--mocksnap-world", default, "--mocksnap-seed", "9")
    result.assert_outcomes(passed=1)


def test_under_xdist_each_worker_has_its_own_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_server(mocksnap, n):
            with open("servers.txt", "a") as seen:
                seen.write(f"{os.environ['PYTEST_XDIST_WORKER']} {mocksnap.base_url}\\n")
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2").assert_outcomes(passed=4)
    seen = set(pytester.path.joinpath("servers.txt").read_text().splitlines())
    workers, urls = {line.split()[0] for line in seen}, {line.split()[1] for line in seen}
    assert (len(workers), len(urls), len(seen)) == (2, 2, 2)


def test_a_new_project_installs_mocksnap_and_its_first_test_passes_under_xdist(
    installed: Installed, tmp_path: Path
) -> None:
    """The issue's "done when": a fresh virtual environment (no system site-packages) where mocksnap was
    pip-installed (as the Docker image does it, from the repository's files) with pytest-xdist, a project
    whose test files are examples/test_first_chat.py, `python -m pytest -n 2`."""
    project = tmp_path / "my-integration"
    project.mkdir()
    (project / "test_my_integration.py").write_text(FIRST_TEST, encoding="utf-8")
    (project / "test_my_integration_again.py").write_text(FIRST_TEST, encoding="utf-8")
    run = subprocess.run(
        [installed.python, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider"],
        cwd=project,
        env=installed.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


def test_a_users_test_reads_the_emails_of_the_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from urllib.request import Request, urlopen

        def test_an_offline_message_is_emailed(mocksnap):
            widget, key = mocksnap.org.widgets[1], {"x-api-key": mocksnap.org.visitorApiKey}
            query = f"widgetId={widget}&email=kim@example.com&visitorMessage=hi&isOffline=true"
            urlopen(Request(f"{mocksnap.base_url}/api/v1/chat?{query}", b"", key))
            [email] = mocksnap.wait_for_emails(kind="offline_message")
            assert (email["to"], email["status"]) == ("sales@example.com", "kept")
            assert mocksnap.emails(to="*@example.com") == [email]

        def test_reset_empties_them(mocksnap):
            assert mocksnap.emails() == []
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_the_admin_token_is_given_to_the_server_and_sent_by_the_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_token(mocksnap):
            mocksnap.advance(60)
            assert mocksnap.request("GET", "/__admin/clock").json()["now"] == "2026-11-23T09:31:00.000Z"
            bare = mocksnap.request("GET", "/__admin/clock", headers={"Authorization": ""})
            assert bare.status == 401
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--mocksnap-admin-token", "plugin-token")
    result.assert_outcomes(passed=1)
