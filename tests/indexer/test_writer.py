"""The write service on a fake clock, without Scrapy: real pages, real extraction, a real embedded
index; only time is simulated (InlineLoop with no clock moves when the test says so).

Contract: a page's URL is settled (done) only after its article's batch is committed; batches go
out when full or when the oldest waited ``flush_seconds``; while the backend is down (another
process holds tantivy's writer lock) articles are kept, retried on a timer with growing delays,
the producer is paused past ``max_pending`` and told to give up past ``max_outage``."""

from __future__ import annotations

import logging

import pytest

from config.settings import Settings
from indexer.backends import load_backend
from indexer.writer import Extractor, InlineLoop, Listener, Page, SharedIndex, Writer

TOPIC = (
    "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm 2024, "
    "tập trung vào chính quyền số, kinh tế số và xã hội số."
)
SPORT = (
    "Giải bóng đá thiếu niên của tỉnh đã khép lại sau hai tuần tranh tài sôi nổi tại sân vận động "
    "trung tâm với sự tham gia của mười hai đội bóng."
)
PLACES = [
    "Hà Giang",
    "Cao Bằng",
    "Lào Cai",
    "Yên Bái",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
    "Hòa Bình",
    "Thái Bình",
    "Nam Định",
    "Ninh Bình",
    "Quảng Ninh",
]


def page(k: int, on_topic: bool = True, *, url: str | None = None, extra: str = "") -> Page:
    title = f"Chuyển đổi số ở {PLACES[k]}" if on_topic else f"Bóng đá thiếu niên ở {PLACES[k]}"
    paras = [
        TOPIC if on_topic else SPORT,
        f"Bài số {k} về tỉnh {PLACES[k]}, tháng {k + 1}. {extra}",
        f"Người dân {PLACES[k]} được hướng dẫn qua {k + 3} buổi tập huấn trong năm.",
    ]
    html = (
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><div class='article'><h1>{title}</h1><div class='date'>Ngày đăng: 05/03/2024</div>"
        f"<div class='content'>{''.join(f'<p>{p}</p>' for p in paras)}</div></div></body></html>"
    )
    return Page(
        url or f"http://site.test/bai/{k}.html", html.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}
    )


class Recorder(Listener):
    """The caller's side, as the crawl's pipeline would keep it: what is done, and when."""

    def __init__(self, loop, stored: dict | None = None) -> None:
        self.loop = loop
        self.stored = stored or {}
        self.done: dict[str, float] = {}
        self.changes: dict[str, str] = {}
        self.errors: list = []
        self.backend_errors: list[float] = []
        self.pauses: list[tuple[float, bool]] = []
        self.gave_up = False

    def previous(self, article_id):
        return self.stored.get(article_id)

    def extracted(self, entry, error):
        if error is not None:
            self.errors.append((entry.page.url, error))
        else:
            self.changes[entry.page.url] = entry.change

    def settled(self, entry):
        self.done[entry.page.url] = self.loop.seconds()

    def committed(self, entries, rejected):
        for e in entries:
            if e.article.id not in rejected:
                self.done[e.page.url] = self.loop.seconds()

    def backend_error(self, error):
        self.backend_errors.append(self.loop.seconds())

    def pause(self, paused):
        self.pauses.append((self.loop.seconds(), paused))

    def give_up(self):
        self.gave_up = True


@pytest.fixture
def index(tmp_path):
    shared = SharedIndex.open(Settings(DATA_DIR=str(tmp_path / "data")))
    yield shared
    shared.close()


def stored_ids(tmp_path) -> set[str]:
    backend = load_backend(Settings(DATA_DIR=str(tmp_path / "data")))
    try:
        return {a.id for a in backend.iter_articles()}
    finally:
        backend.close()


def make(index, **kw):
    loop = InlineLoop()
    rec = Recorder(loop, kw.pop("stored", None))
    writer = Writer(index, loop=loop, listener=rec, extractor=Extractor(None, 0), **kw)
    return loop, rec, writer


def close(writer, retries: int = 0) -> int:
    left = []
    writer.close(retries, left.append)
    return left[0] if left else -1


def test_a_batch_goes_out_when_full_and_only_then_are_its_urls_done(index, tmp_path):
    loop, rec, writer = make(index, batch_size=3, flush_seconds=60)
    writer.submit(page(0))
    writer.submit(page(1))
    assert rec.done == {} and writer.commits == 0  # two of three: waiting
    writer.submit(page(2))
    assert writer.commits == 1 and set(rec.done) == {page(k).url for k in range(3)}
    assert rec.changes == {page(k).url: "new" for k in range(3)}
    writer.close(0, lambda left: None)
    index.backend.close()
    assert len(stored_ids(tmp_path)) == 3


def test_a_partial_batch_waits_at_most_flush_seconds(index):
    loop, rec, writer = make(index, batch_size=50, flush_seconds=5)
    loop.advance(3)
    writer.submit(page(0))  # arrives at t=3: the timer ticks at 5, 10...
    loop.advance(1.9)
    assert rec.done == {}
    loop.advance(0.2)
    assert rec.done == {page(0).url: pytest.approx(5.0)}
    writer.submit(page(1))
    loop.advance(4.8)
    assert page(1).url not in rec.done
    loop.advance(0.3)
    assert rec.done[page(1).url] == pytest.approx(10.0)
    assert close(writer) == 0


def test_off_topic_pages_are_done_at_once_and_a_formerly_indexed_one_is_retracted(index, tmp_path):
    loop, rec, writer = make(index, batch_size=2, flush_seconds=0)
    writer.submit(page(0))
    writer.submit(page(1))
    assert writer.commits == 1
    loop2, rec2, writer2 = make(
        index, batch_size=10, flush_seconds=0, stored={_id(page(1)): {"on_topic": 1, "content_hash": "x"}}
    )
    writer2.submit(page(2, on_topic=False))
    assert rec2.changes[page(2).url] == "off_topic" and page(2).url in rec2.done  # nothing to commit
    writer2.submit(page(1, on_topic=False))  # the same URL, no longer about CĐS
    assert rec2.changes[page(1).url] == "retract" and page(1).url not in rec2.done
    assert close(writer2) == 0 and page(1).url in rec2.done
    index.backend.close()
    assert stored_ids(tmp_path) == {_id(page(0))}


def test_an_unchanged_article_is_done_without_a_write_and_a_second_url_is_again(index):
    first = page(0)
    loop, rec, writer = make(index, batch_size=1, flush_seconds=0)
    writer.submit(first)
    [entry_hash] = [writer.index.backend.get(_id(first)).content_hash]
    loop2, rec2, writer2 = make(
        index, batch_size=10, flush_seconds=0, stored={_id(first): {"on_topic": 1, "content_hash": entry_hash}}
    )
    writer2.submit(page(0))  # fetched again, same text
    assert rec2.changes[first.url] == "unchanged" and first.url in rec2.done and not writer2.pending
    writer2.submit(page(3))
    assert rec2.changes[page(3).url] == "new"
    writer2.submit(page(3))  # the same article again in this run: written again
    assert rec2.changes[page(3).url] == "again" and len(writer2.pending) == 2
    assert close(writer2) == 0 and page(3).url in rec2.done


def _id(p: Page) -> str:
    from indexer.article import article_id

    return article_id(p.url)


def hold_writer_lock(tmp_path):
    """Another process's writer (a second crawl, ``indexer reindex``) holds tantivy's lock."""
    holder = load_backend(Settings(DATA_DIR=str(tmp_path / "data")))
    holder.index([])
    return holder


def test_backend_down_keeps_articles_retries_on_a_growing_timer_pauses_and_resumes(tmp_path, caplog):
    holder = hold_writer_lock(tmp_path)
    index = SharedIndex.open(Settings(DATA_DIR=str(tmp_path / "data")))
    loop, rec, writer = make(
        index, batch_size=2, flush_seconds=0, max_pending=4, retry_seconds=1, retry_max_seconds=4, max_outage=100
    )
    caplog.set_level(logging.INFO, "indexer.writer")
    try:
        writer.submit(page(0))
        writer.submit(page(1))  # full batch: the write fails
        assert rec.backend_errors == [0.0] and rec.done == {} and len(writer.pending) == 2
        writer.submit(page(2))
        writer.submit(page(3))  # arrivals never trigger a write while down
        assert rec.backend_errors == [0.0]
        assert rec.pauses == [(0.0, True)]  # 4 kept = max_pending: pause the producer
        loop.advance(10)
        # retried by the timer only: after 1, then 2, then 4 (the cap), 4 s
        assert rec.backend_errors == [0.0, 1.0, 3.0, 7.0]
        assert rec.done == {} and len(writer.pending) == 4
        holder.close()  # the index is free again
        loop.advance(4)
        assert set(rec.done) == {page(k).url for k in range(4)} and rec.done[page(0).url] == 11.0
        assert rec.pauses == [(0.0, True), (11.0, False)]
        text = caplog.text
        assert "keeping 2 articles, next try in 1.0s" in text and "pausing the crawl" in text
        assert "search backend is back after 11s: 4 articles committed" in text and "resuming the crawl" in text
        assert close(writer) == 0
    finally:
        holder.close()
        index.close()
    assert len(stored_ids(tmp_path)) == 4


def test_an_outage_past_max_outage_while_paused_gives_up_and_leaves_the_urls_unmarked(tmp_path, caplog):
    holder = hold_writer_lock(tmp_path)
    index = SharedIndex.open(Settings(DATA_DIR=str(tmp_path / "data")))
    loop, rec, writer = make(
        index, batch_size=1, flush_seconds=0, max_pending=2, retry_seconds=1, retry_max_seconds=1, max_outage=5
    )
    try:
        writer.submit(page(0))
        writer.submit(page(1))
        assert rec.pauses == [(0.0, True)]
        loop.advance(5.5)
        assert not rec.gave_up
        loop.advance(1)
        assert rec.gave_up and rec.pauses[-1] == (6.0, False)
        errors = len(rec.backend_errors)
        loop.advance(30)
        assert len(rec.backend_errors) == errors  # no more timers after giving up
        left = []
        writer.close(2, left.append)  # last tries, 1 s then 2 s apart
        assert left == []
        loop.advance(1)
        assert left == []
        loop.advance(2)
        assert left == [2] and rec.done == {}
        assert "closing with 2 articles waiting for the search backend: trying again in 1s (1 of 2)" in caplog.text
    finally:
        holder.close()
        index.close()
    assert stored_ids(tmp_path) == set()


def test_closing_commits_a_partial_batch(index):
    loop, rec, writer = make(index, batch_size=50, flush_seconds=0)
    for k in range(3):
        writer.submit(page(k))
    assert rec.done == {}
    assert close(writer) == 0 and len(rec.done) == 3


def test_worker_processes_extract_the_same_article(index, tmp_path):
    loop, rec, writer = make(index, batch_size=10, flush_seconds=0)
    here, here_sig = writer.extractor.run_here(page(4)).result()
    pool = Extractor(None, workers=1)
    try:
        there, there_sig = pool.submit(page(4)).result(timeout=120)
    finally:
        pool.close()
    assert there == here and there.on_topic
    assert there_sig.entities == here_sig.entities and (there_sig.minhash == here_sig.minhash).all()
    off, off_sig = Extractor(None, 0).run_here(page(5, on_topic=False)).result()
    assert not off.on_topic and off_sig is None  # the topic is decided in the worker
