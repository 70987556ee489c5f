"""A real DemoWeb on loopback, started once for the demoweb tests."""

from __future__ import annotations

import pytest

from demoweb import DemoWeb


@pytest.fixture(scope="session")
def web():
    with DemoWeb(port=0) as w:
        yield w


@pytest.fixture(scope="session")
def truth(web):
    return web.ground_truth()
