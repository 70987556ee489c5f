"""The WARC archive loses nothing: a damaged record is skipped and the records after it are still
read; a write that fails mid-crawl (the disk is full) is reported, fails the run, and the page is
fetched and archived again by the next run, so ``reextract`` can still rebuild every article."""

from __future__ import annotations

import json
import logging
import random
import string

import pytest
from crawltools import FAST, crawl_state, indexed, make_crawler, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.extensions.warc_archive import WarcArchive, archive_files, iter_archive


def archive_pages(tmp_path, per_file: list[int]) -> tuple[list, list[list[int]]]:
    """Archive article responses with the crawl's own writer, ``per_file[i]`` records in file i;
    returns the files and, per file, the byte offset where each record ends."""
    ext = WarcArchive.from_crawler(make_crawler(tmp_path))
    ends: list[list[int]] = []
    n = 0
    for count in per_file:
        ends.append([])
        for _ in range(count):
            url = f"http://h/bai/{n}.html"
            body = article_html(f"Chuyển đổi số {n}", ON_TOPIC).encode()
            request = Request(url, meta={"cds_kind": "article", "cds_hints": {"title": str(n)}})
            ext.response_received(
                HtmlResponse(url, body=body, headers={"Content-Type": "text/html"}, request=request), request, None
            )
            ends[-1].append(archive_files(tmp_path / "warc")[-1].stat().st_size)
            n += 1
        ext.spider_closed(None)  # the next records go to a new file
    return archive_files(tmp_path / "warc"), ends


def urls(tmp_path) -> list[str]:
    return [p.url for p in iter_archive(tmp_path / "warc")]


def test_a_truncated_last_record_is_skipped_and_the_next_file_still_read(tmp_path, caplog):
    (first, second), ends = archive_pages(tmp_path, [3, 2])
    cut = (ends[0][1] + ends[0][2]) // 2  # a crawl killed while writing record 3
    with first.open("r+b") as f:
        f.truncate(cut)
    with caplog.at_level(logging.WARNING):
        assert urls(tmp_path) == [f"http://h/bai/{n}.html" for n in (0, 1, 3, 4)]
    assert f"skipped a damaged record at byte {ends[0][1]}" in caplog.text


def test_a_damaged_record_inside_a_file_does_not_hide_the_records_after_it(tmp_path, caplog):
    (first, second), ends = archive_pages(tmp_path, [4, 1])
    data = first.read_bytes()
    half = (ends[0][0] + ends[0][1]) // 2  # half of record 2, then records 3 and 4
    first.write_bytes(data[:half] + data[ends[0][1] :])
    with caplog.at_level(logging.WARNING):
        assert urls(tmp_path) == [f"http://h/bai/{n}.html" for n in (0, 2, 3, 4)]
    assert f"skipped a damaged record at byte {ends[0][0]}" in caplog.text
    page = next(iter_archive(tmp_path / "warc"))
    assert page.hints == {"title": "0"} and "Chuyển đổi số 0".encode() in page.body


def big_article(n: int) -> str:
    """An article page of ~120 KB that gzip cannot shrink much (a script blob extraction drops)."""
    rnd = random.Random(n)
    blob = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(120_000))
    html = article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC)
    return html.replace("</head>", f"<script>var blob='{blob}';</script></head>")


@pytest.fixture
def big_site():
    site = MiniSite().start()
    for n in range(5):
        site.add(f"/bai/{n}.html", big_article(n))
    site.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(5)]))
    yield site
    site.stop()


def test_a_full_disk_degrades_the_run_and_the_next_run_archives_what_was_missed(big_site, tmp_path):
    site, data = big_site, tmp_path / "data"
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
    # every file may grow to 250 KB: the third ~90 KB record of a WARC file fails half-written
    first = run_scrapy(
        "crawl",
        "source",
        "-a",
        "source=mini",
        *FAST,
        data_dir=data,
        sources=sources,
        max_file_bytes=250_000,
        check=False,
    )
    failed = [line for line in first.stderr.splitlines() if "WARC archive write failed for" in line]
    assert len(failed) == 1 and "File too large" in failed[0], first.stderr[-3000:]
    lost = next(n for n in range(5) if site.url(f"/bai/{n}.html") in failed[0])
    run = crawl_state(data).runs("mini", limit=1)[0]
    assert run["reason"] == "finished" and run["outcome"] == "DEGRADED"
    assert json.loads(run["stats"])["cds/errors/warc"] == 1
    assert len(indexed(data)) == 5  # readers get every article meanwhile
    states = {p["url"]: p["state"] for p in crawl_state(data).pages()}
    assert states.pop(site.url(f"/bai/{lost}.html")) == "failed"
    assert set(states.values()) == {"done"}
    assert len(archive_files(data / "warc")) == 2  # a fresh file after the failure
    assert sorted(urls(data)) == sorted(site.url(f"/bai/{n}.html") for n in range(5) if n != lost)

    site.log.clear()
    run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=data, sources=sources)
    assert [p for p in site.requested() if p.startswith("/bai/")] == [f"/bai/{lost}.html"]
    assert crawl_state(data).runs("mini", limit=1)[0]["outcome"] == "OK"
    assert sorted(urls(data)) == sorted(site.url(f"/bai/{n}.html") for n in range(5))
    assert {p["state"] for p in crawl_state(data).pages()} == {"done"}
