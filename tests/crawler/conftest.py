"""The demo web (with a server-side request log) shared by the crawler tests."""

import pytest
from crawltools import start_demo


@pytest.fixture(scope="session")
def demo():
    web, log = start_demo()
    web.log = log
    yield web
    web.stop()
