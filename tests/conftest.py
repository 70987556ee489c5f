"""Suite-wide hooks. Under CI=true a skip is a failure, except the Elasticsearch live tests: see
tests/ci_skips.py (a plugin module of its own so that its test can load it into a separate run)."""

from ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401
