"""The `mocksnap` command's flags: a bad value, an unknown flag or a combination that would be ignored gets
one line that names the flag and what it takes, a non-zero exit and no traceback; --help shows each flag's
default and its variable; the bundled worlds are served by name from anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from mocksnap import pages
from mocksnap.app import create_app, load_world
from mocksnap.cli import banner, main
from mocksnap.config import Config, SettingError
from mocksnap.testing import free_port
from mocksnap.world.document import locate
from tests.conftest import LocalClient

BAD_VALUES = [
    (["serve", "--port", "99999"], "--port: '99999' is not a port: it takes 1-65535"),
    (["serve", "--port", "http"], "--port: 'http' is not a port"),
    (["serve", "--journal-size", "-1"], "--journal-size: '-1' is not a whole number of 0 or more"),
    (["serve", "--delivery-log-size", "many"], "--delivery-log-size: 'many' is not a whole number"),
    (["serve", "--delivery-timeout", "0"], "--delivery-timeout: '0' is not a number above 0"),
    (["serve", "--speed", "inf", "--clock", "scaled"], "--speed: 'inf' is not a number above 0"),
    (["serve", "--seed", "x"], "--seed: 'x' is not a whole number"),
    (["serve", "--clock", "fast"], "--clock: 'fast' is not a clock: it takes real, manual, scaled"),
    (["serve", "--start", "yesterday"], "--start: 'yesterday' is not an ISO 8601 date or time"),
    (["serve", "--rate-limit", "10"], "--rate-limit: '10' is not a rate with its unit, such as 10/s"),
    (["serve", "--rate-limit", "ten/s"], "--rate-limit: 'ten/s' is not a rate"),
    (["traffic", "--profile", "busy-retail", "--duration", "1y"], "--duration: '1y' is not a duration"),
    (["traffic", "--profile", "busy-retail", "--speed", "-2"], "--speed: '-2' is not a number above 0"),
    (["traffic", "--profile", "busy-retail", "--start", "monday"], "--start: 'monday' is not an ISO 8601"),
    (["sink", "--port", "70000"], "--port: '70000' is not a port"),
    (["sink", "--status", "600"], "--status: '600' is not an HTTP status from 200 to 599"),
]


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("argv", "said"), BAD_VALUES, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_a_bad_value_gets_one_line_naming_the_flag(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"mocksnap {argv[0]}: ")
    assert said in line
    assert "parse_" not in line  # no internal name


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["serve", "--speed", "60"], "--speed is for --clock scaled; the real clock has no speed"),
        (["serve", "--clock", "manual", "--speed", "60"], "--speed is for --clock scaled"),
        (["serve", "--certfile", "cert.pem"], "--certfile and --keyfile go together"),
        (
            ["serve", "--certfile", "no-cert.pem", "--keyfile", "no-key.pem"],
            "--certfile: no file no-cert.pem",
        ),
        (
            [
                "traffic",
                "--profile",
                "support-24x7",
                "--server",
                "http://127.0.0.1:1",
                "--start",
                "2026-01-01",
            ],
            "--out, --payloads and --start are for in-process runs",
        ),
        (
            ["traffic", "--profile", "support-24x7", "--payloads", "hooks.jsonl", "--speed", "60"],
            "--payloads records a fast run",
        ),
    ],
)
def test_a_combination_that_would_ignore_a_flag_is_refused(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert said in err


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["serve", "--bogus"], "usage: mocksnap serve"),
        (["sink", "--prot", "9999"], "usage: mocksnap sink"),
        (
            ["traffic", "--profile", "busy-retail", "--sever", "http://127.0.0.1:8000"],
            "usage: mocksnap traffic",
        ),
    ],
)
def test_an_unknown_flag_prints_the_commands_usage(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert f"unrecognized arguments: {argv[-2] if argv[0] != 'serve' else '--bogus'}" in err


def test_a_bad_variable_is_named_with_what_it_takes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOCKSNAP_PORT", "abc")
    assert main(["serve"]) == 2
    assert (
        _one_line(capsys.readouterr().err) == "mocksnap: MOCKSNAP_PORT: 'abc' is not a port: it takes 1-65535"
    )
    with pytest.raises(SettingError, match="MOCKSNAP_RATE_LIMIT: '5' is not a rate"):
        Config.from_env({"MOCKSNAP_RATE_LIMIT": "5"})
    assert Config.from_env({"MOCKSNAP_RATE_LIMIT": "600/m", "MOCKSNAP_SPEED": "60"}).rate_limit == 10


def test_serve_help_shows_every_flags_default_and_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # help wraps its lines
    for flag, default, variable in (
        ("--port", "default 8000", "MOCKSNAP_PORT"),
        ("--seed", "default 0", "MOCKSNAP_SEED"),
        ("--clock", "default real", "MOCKSNAP_CLOCK"),
        ("--journal-size", "default 1000", "MOCKSNAP_JOURNAL_SIZE"),
        ("--delivery-timeout", "default 10.0", "MOCKSNAP_DELIVERY_TIMEOUT"),
        ("--world", "the default world when not given", "MOCKSNAP_WORLD"),
        ("--no-access-log", "", "MOCKSNAP_ACCESS_LOG=0"),
    ):
        assert flag in text
        assert default in text
        assert variable in text


@pytest.mark.parametrize(
    ("command", "shown"),
    [("traffic", ["(default 1d)", "(default 0)"]), ("sink", ["(default 9999)", "(default 200)"])],
)
def test_traffic_and_sink_help_show_the_defaults(
    command: str, shown: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for default in shown:
        assert default in text
    assert "no MOCKSNAP_* variables" in text


@pytest.mark.parametrize(
    ("name", "org_id"), [("default", "5406213"), ("retail", "7300001"), ("saas", "7300002")]
)
def test_a_bundled_world_is_served_by_name_from_any_folder(
    name: str, org_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no fixtures/ here, as for a user who installed mocksnap with pip
    world = load_world(Config(world=Path(name), clock="manual"))
    assert list(world.orgs) == [org_id]


def test_a_file_named_like_a_bundled_world_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("retail").write_text(locate(None).read_text(encoding="utf-8"), encoding="utf-8")
    assert list(load_world(Config(world=Path("retail"), clock="manual")).orgs) == ["5406213"]


def test_a_missing_world_names_the_bundled_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--world", "retial"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "cannot read retial" in line
    assert "default, retail, saas" in line


def test_the_banner_lists_the_credentials_and_the_pages_to_open() -> None:
    config = Config(clock="manual", host="0.0.0.0", port=8123)
    world = load_world(config)
    text = banner(world, config)
    for credential in ("mocksnap-api-token", "mocksnap-provisioning-key", "mocksnap-visitor-key"):
        assert credential in text
    assert "user admin@example.com  password mocksnap" in text
    opened = text.split("open in a browser\n")[1].splitlines()
    assert [line.split()[-1] for line in opened] == [
        "http://127.0.0.1:8123/wallboard",  # 0.0.0.0 is to listen on; a browser opens 127.0.0.1
        "http://127.0.0.1:8123/__admin/openapi.json",
        *(f"http://127.0.0.1:8123/demo/{widget}" for widget in world.orgs["5406213"].widgets),
        *(
            f"http://127.0.0.1:8123/hub?agent={agent}"
            for agent in ("charlie@example.com", "dana@example.com", "michael@example.com", "sam@example.com")
        ),
    ]


def test_every_page_the_banner_lists_is_served() -> None:
    client = LocalClient(create_app(Config(clock="manual")))
    widget = "5286374d-5c92-419d-bcdb-b926d242b78b"
    for _, url in pages.page_urls("", [widget], ["sam@example.com"]):
        assert client.simulate_get(url).status_code == 200, url


def test_a_server_that_is_not_there_gets_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["traffic", "--profile", "support-24x7", "--server", url]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"mocksnap traffic: cannot reach {url}: ")
    assert "urlopen" not in line
    assert line.endswith("is `mocksnap serve` running there?")
