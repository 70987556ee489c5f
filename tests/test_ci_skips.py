"""Under CI=true the suite cannot pass by skipping: a skip for a missing browser (or any other
dependency) fails with a clear message, and only the Elasticsearch live tests may skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

SAMPLE = """
import pytest

def test_needs_the_browser():
    pytest.skip("Debian chromium/chromium-driver not installed")

def test_needs_a_cluster():
    pytest.skip("CDS_ES_URL not set: no Elasticsearch server here")

def test_runs():
    assert True
"""

MODULE_LEVEL = """
import pytest
pytest.skip("Debian chromium/chromium-driver not installed", allow_module_level=True)

def test_never_collected():
    pass
"""


def run(tmp_path: Path, ci: str | None, source: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(TESTS)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rA",
            "-p",
            "ci_skips",
            "-p",
            "no:cacheprovider",
            "-c",
            os.devnull,
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_browser_fails_and_says_why(tmp_path, ci):
    proc = run(tmp_path, ci, SAMPLE)
    assert proc.returncode == 1, proc.stdout
    assert "1 failed, 1 passed, 1 skipped" in proc.stdout
    assert "skipped under CI=true" in proc.stdout and "chromium" in proc.stdout
    assert "FAILED" in proc.stdout and "test_needs_the_browser" in proc.stdout


def test_under_ci_a_module_level_skip_fails_too(tmp_path):
    proc = run(tmp_path, "true", MODULE_LEVEL)
    assert proc.returncode != 0 and "skipped under CI=true" in proc.stdout, proc.stdout


def test_outside_ci_the_same_skips_are_skips(tmp_path):
    proc = run(tmp_path, None, SAMPLE)
    assert proc.returncode == 0, proc.stdout
    assert "1 passed, 2 skipped" in proc.stdout
