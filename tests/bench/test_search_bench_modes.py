"""bench/search.py's modes that need something outside: they say what is missing, and exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_elasticsearch_mode_without_a_cluster_says_so_and_exits_0():
    env = {k: v for k, v in os.environ.items() if k != "CDS_ES_URL"}
    run = subprocess.run(
        [sys.executable, "bench/search.py", "--backend", "elasticsearch", "--n", "10"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "skipped, CDS_ES_URL is not set" in run.stdout


def test_unknown_flags_are_refused_outside_the_http_mode():
    run = subprocess.run(
        [sys.executable, "bench/search.py", "--clients", "4"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2 and "unrecognized arguments: --clients 4" in run.stderr
