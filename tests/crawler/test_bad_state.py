"""Bad state on disk gives one clear line, never a traceback: a sources file that cannot be used
names file, line and problem; a damaged job queue or crawl-state file is moved aside with one
warning naming it and what was lost, and the run goes on from what can be trusted."""

from __future__ import annotations

import pytest
from crawltools import FAST, crawl_state, indexed, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry

GOOD = """sources:
  - name: mini
    kind: portal
    allowed_domains: [127.0.0.1]
    listings: ["http://127.0.0.1:${DEMO_PORT}/tin-tuc"]
"""
BAD_FILES = {
    "yaml-syntax": (
        "sources:\n  - name: mini\n    kind: portal\n   allowed_domains: [127.0.0.1]\n",
        "line 4: not valid YAML",
    ),
    "top-level-list": ("- name: mini\n  kind: portal\n", "line 1: expected a mapping with a 'sources:' list"),
    "placeholder": (
        GOOD.replace("${DEMO_PORT}", "${DEMO_PROT}"),
        "line 5: unknown placeholder ${DEMO_PROT} (did you mean ${DEMO_PORT}?)",
    ),
    "missing": (None, "no such file"),
}


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_sources_file_is_one_line_naming_file_line_and_problem(case, tmp_path):
    text, problem = BAD_FILES[case]
    path = tmp_path / "sources.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    for command in (["crawlall"], ["sources"]):
        proc = run_scrapy(*command, data_dir=tmp_path / "d", sources=path, check=False)
        assert proc.returncode == 2
        assert lines(proc.stderr) == [lines(proc.stderr)[0]], proc.stderr  # one line
        assert lines(proc.stderr)[0].startswith(f"error: sources file {path}")
        assert problem in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
    single = run_scrapy("crawl", "source", "-a", "source=mini", data_dir=tmp_path / "d", sources=path, check=False)
    assert single.returncode == 1 and "Traceback" not in single.stderr
    assert f"cannot crawl: sources file {path}" in single.stderr and problem in single.stderr


@pytest.fixture
def site():
    s = MiniSite().start()
    for n in range(8):
        s.add(f"/bai/{n}.html", article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC))
    s.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(8)]))
    yield s
    s.stop()


def crawl(site, tmp_path, **entry):
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")], **entry)])
    return run_scrapy(
        "crawl",
        "source",
        "-a",
        "source=mini",
        *FAST,
        "-s",
        "CONCURRENT_REQUESTS=1",
        data_dir=tmp_path / "d",
        sources=sources,
        check=False,
    )


def test_a_damaged_job_queue_is_moved_aside_and_the_run_goes_on(site, tmp_path):
    stopped = crawl(site, tmp_path, max_pages=3)  # a clean stop leaves a queue
    assert stopped.returncode == 0 and "closespider_pagecount" in stopped.stderr
    queue = tmp_path / "d" / "jobs" / "mini" / "requests.queue"
    files = [f for f in queue.rglob("*") if f.is_file() and f.name != "active.json"]
    assert files, "the stopped run left no queue"
    for f in files:
        f.write_bytes(b"\x00garbage\xff" * 7)
    proc = crawl(site, tmp_path)
    warnings = [ln for ln in proc.stderr.splitlines() if "is damaged" in ln]
    assert len(warnings) == 1 and "WARNING" in warnings[0], proc.stderr[-3000:]
    assert str(tmp_path / "d" / "jobs" / "mini") in warnings[0] and "moved aside" in warnings[0]
    assert "Lost: the requests the stopped run had still queued" in warnings[0]
    assert "Traceback" not in proc.stderr and proc.returncode == 0
    assert len(indexed(tmp_path / "d")) == 8
    assert list((tmp_path / "d" / "jobs").glob("mini.damaged-*"))


def test_a_damaged_crawl_state_is_moved_aside_and_the_run_goes_on(site, tmp_path):
    assert crawl(site, tmp_path).returncode == 0
    state = tmp_path / "d" / "crawl" / "state.sqlite"
    for extra in state.parent.glob("state.sqlite-*"):
        extra.unlink()
    state.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 3000)
    proc = crawl(site, tmp_path)
    warnings = [ln for ln in proc.stderr.splitlines() if "is damaged" in ln]
    assert len(warnings) == 1 and "WARNING" in warnings[0], proc.stderr[-3000:]
    assert str(state) in warnings[0] and "Lost: the list of known pages and the run log" in warnings[0]
    assert "Traceback" not in proc.stderr and proc.returncode == 0
    assert len(indexed(tmp_path / "d")) == 8  # refetched, upserted: no duplicate
    assert [r["outcome"] for r in crawl_state(tmp_path / "d").runs("mini")] == ["OK"]
    assert list(state.parent.glob("state.sqlite.damaged-*"))
