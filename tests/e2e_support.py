"""Support for tests/test_end_to_end.py: the UI as ``make run`` starts it, and the demo's ground truth
folded into what a reader should see.

The UI runs as its own process (``python -m search_ui``, the last step of ``make run``) on a free
port, and is talked to over HTTP only.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from indexer.article import article_id
from indexer.normalize import canonical, canonical_lines, fold
from tests.search_ui.live_server import Live

PROJECT = Path(__file__).resolve().parents[1]
READY = re.compile(r"ready at (http://\S+)")


@contextmanager
def ui_process(data_dir: Path, log_path: Path, timeout: float = 30):
    """``python -m search_ui`` against ``data_dir`` on a free port; yields a :class:`Live` client."""
    env = {**os.environ, "CDS_DATA_DIR": str(data_dir), "CDS_UI_HOST": "127.0.0.1", "CDS_UI_PORT": "0"}
    with open(log_path, "w") as log:  # request log lines go to a file, never a full pipe
        proc = subprocess.Popen(
            [sys.executable, "-m", "search_ui"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        try:
            url = None
            while url is None:
                m = READY.search(lines.get(timeout=timeout))
                url = m and m.group(1)
        except queue.Empty:
            raise AssertionError(
                f"search UI not ready after {timeout}s (exit code {proc.poll()}):\n{log_path.read_text()[-3000:]}"
            ) from None
        yield Live(url, app=None)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def search(live: Live, **params) -> dict:
    status, body = live.json("/api/search", params)
    assert status == 200, body
    return body


def all_hits(live: Live, **params) -> list[dict]:
    """Every hit of a query, page by page at the API's largest page size, as a client would."""
    hits, page = [], 1
    while True:
        body = search(live, **params, per_page=100, page=page)
        hits += body["hits"]
        if page >= body["pages"]:
            assert len(hits) == body["total"], (len(hits), body["total"])
            return hits
        page += 1


class Truth:
    """The demo web's ground truth, keyed by article id (the id the index gives a canonical URL)."""

    def __init__(self, records: list[dict]):
        self.records = records
        self.by_id = {article_id(g["url"]): g for g in records}

    def on_topic_groups(self) -> dict[str, set[str]]:
        """Syndication group (or the URL of an unsyndicated article) -> ids of its on-topic copies."""
        groups: dict[str, set[str]] = {}
        for i, g in self.by_id.items():
            if g["on_topic"]:
                groups.setdefault(g["syndication_group"] or g["url"], set()).add(i)
        return groups

    def shown_by_default(self, shown_ids: set[str]) -> list[dict]:
        """One record per on-topic group: the copy the UI chose to show (else any copy)."""
        out = []
        for ids in self.on_topic_groups().values():
            pick = sorted(ids & shown_ids) or sorted(ids)
            out.append(self.by_id[pick[0]])
        return out

    def find_title(self, prefix: str) -> dict:
        want = canonical_lines(prefix)
        found = [g for g in self.records if canonical_lines(g["title"]).startswith(want)]
        assert len(found) == 1, f"ground truth has {len(found)} articles titled {prefix!r}…"
        return found[0]


def years(record: dict) -> set[int]:
    """The year facet of a truth record: the publication year and every agreement-period year."""
    ys = {int(record["date"][:4])}
    for start, end in record["periods"]:
        ys.update(range(start, end + 1))
    return ys


def truth_facets(records: list[dict]) -> dict[str, dict[str, int]]:
    """What the sidebar should count over ``records``, in the API's (canonical string) form."""
    counts = {f: Counter() for f in ("province", "province_current", "partner", "year", "kind")}
    for g in records:
        for facet, field in (
            ("province", "provinces"),
            ("province_current", "provinces_current"),
            ("partner", "partners"),
        ):
            counts[facet].update({canonical_lines(v) for v in g[field]})
        counts["year"].update(str(y) for y in years(g))
        counts["kind"][g["kind"]] += 1
    return {f: dict(c) for f, c in counts.items()}


def api_facets(body: dict) -> dict[str, dict[str, int]]:
    return {
        f: {canonical_lines(str(v["value"])): v["count"] for v in vals}
        for f, vals in body["facets"].items()
        if f in ("province", "province_current", "partner", "year", "kind")
    }


def mentions(record: dict, phrase: str) -> bool:
    """Does the text a reader sees (title, lead, body) contain ``phrase``, ignoring diacritics?"""
    text = " ".join(fold(" ".join(canonical(record[k]) for k in ("title", "lead", "body"))).split())
    return re.search(r"\b" + re.escape(fold(canonical_lines(phrase))) + r"\b", text) is not None
