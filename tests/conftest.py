"""Fixtures for the fast tests: the default world on a manual clock, and a Falcon TestClient over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from falcon.testing import ASGIConductor, TestClient
from hypothesis import settings

from mocksnap.app import create_app, default_world_path
from mocksnap.clock import ManualClock
from mocksnap.testing import validate
from mocksnap.world import World
from mocksnap.world import document as world_document
from tests.installed import Installed, install
from tests.webhooks.receiver import Receiver

pytest_plugins = ["pytester"]  # tests/test_pytest_plugin.py runs pytest on a user's tests

# CI explores the same examples on every run, so a red build is always reproducible; locally Hypothesis
# keeps exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "samples"  # the vendor's samples: see its README.md

ORG_ID = "5406213"
API_TOKEN = "mocksnap-api-token"
PROVISIONING_KEY = "mocksnap-provisioning-key"
VISITOR_KEY = "mocksnap-visitor-key"
OWNER = "admin@example.com"
SUPPORT_WIDGET = "5286374d-5c92-419d-bcdb-b926d242b78b"  # 24x7, two online agents
SALES_WIDGET = "31a11b98-ffd2-425d-aa69-2c6ff8a40a16"  # Europe/Berlin business hours with a lunch break

# Monday 23 November 2026, 10:30 in Berlin (UTC+1): inside the sales widget's morning hours.
MONDAY_MORNING_BERLIN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def default_document() -> dict[str, Any]:
    return world_document.read(Path(default_world_path()))


def assert_valid(schema_name: str, document: Any) -> None:
    """Fail with every schema error listed (mocksnap.testing.validate, schema first)."""
    validate(document, schema_name)


class LocalClient(TestClient):
    """Falcon's TestClient, sending its requests to 127.0.0.1 as a local client does: the control API of a
    server that listens on loopback refuses Falcon's default Host (falconframework.org)."""

    def simulate_request(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("host", "127.0.0.1")
        return super().simulate_request(*args, **kwargs)


class LocalConductor(ASGIConductor):
    """Falcon's ASGIConductor, sending to 127.0.0.1 as LocalClient does."""

    async def simulate_request(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("host", "127.0.0.1")
        return await super().simulate_request(*args, **kwargs)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_MORNING_BERLIN)


@pytest.fixture
def world(clock: ManualClock) -> World:
    return World(default_document(), clock, seed=7)


@pytest.fixture
def client(world: World) -> TestClient:
    return LocalClient(create_app(world=world))


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """mocksnap pip-installed into a fresh venv as the Docker image installs it, pytest-xdist beside it."""
    return install(tmp_path_factory.mktemp("installed"), "pytest-xdist")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver of webhooks on a free port of 127.0.0.1, closed after the test."""
    running = Receiver()
    yield running
    running.close()
