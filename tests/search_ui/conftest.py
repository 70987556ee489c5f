"""Fixtures: a real embedded index in a temp DATA_DIR, and the real app over HTTP in a thread.

The index is built through ``load_backend(Settings(...))``, as the crawler builds it.
"""

from __future__ import annotations

import socket

import pytest

from config.settings import Settings
from tests.search_ui.live_server import all_articles, index_into, live_over, serve


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("ui-data")
    index_into(d, all_articles())
    return d


@pytest.fixture(scope="session")
def live(data_dir):
    with live_over(data_dir) as live:
        yield live


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The app over the demo web's pages, built as the crawler builds them (served over HTTP,
    fetched, extracted, enriched, clustered; bench/relevance.py's build_corpus), with the truth."""
    from bench.relevance import build_corpus

    truths, articles = build_corpus(0, 1)
    with live_over(tmp_path_factory.mktemp("demo-web"), articles) as live:
        live.truths = truths
        yield live


@pytest.fixture
def down_live(tmp_path):
    """The UI wired to an Elasticsearch cluster that is not there."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    server, thread, live = serve(
        Settings(BACKEND="elasticsearch", ES_URL=f"http://127.0.0.1:{port}", DATA_DIR=str(tmp_path))
    )
    yield live
    server.shutdown()
    thread.join(10)


def pytest_terminal_summary(terminalreporter):
    """The screenshots the browser tests saved (tests/search_ui/browser.py: screenshot)."""
    import sys

    browser = sys.modules.get("tests.search_ui.browser")
    shots = getattr(browser, "SHOTS", [])
    if shots:
        terminalreporter.section("screenshots")
        for path in shots:
            terminalreporter.write_line(path)


@pytest.fixture(scope="session")
def production(data_dir):
    """The same index served as production serves it: gunicorn with search_ui/gunicorn_conf.py,
    in its own process (tests/search_ui/production_server.py); exports capped at 10 rows."""
    from tests.search_ui.production_server import served

    with served(data_dir, EXPORT_MAX_ROWS=10) as live:
        yield live
