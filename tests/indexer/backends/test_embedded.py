"""Embedded (tantivy) behaviour beyond the shared contract: files, locks, readers and writers."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from config.settings import Settings
from indexer.backends import BackendError, IndexingError, load_backend
from indexer.backends.embedded import EmbeddedBackend
from indexer.query import SearchQuery
from tests.indexer.backends.sample_articles import by_slug, sample_articles

ROOT = Path(__file__).resolve().parents[3]


def test_index_lives_under_data_dir(tmp_path):
    b = load_backend(Settings(DATA_DIR=str(tmp_path)))
    b.index([by_slug("thanh-hoa-vnpt-ky-ket")])
    b.commit()
    b.close()
    assert (tmp_path / "index" / "meta.json").exists()


def test_reopened_index_still_folds_diacritics(tmp_path):
    """Custom analyzers must be registered again after Index.open(), or queries find nothing."""
    b = EmbeddedBackend(tmp_path)
    b.index(sample_articles())
    b.close()
    again = EmbeddedBackend(tmp_path)
    assert again.count() == 15
    assert again.search(SearchQuery(text="chuyen doi so")).total >= 3
    assert again.search(SearchQuery(text='"kinh te so"')).total == 2


def test_reader_sees_writer_commits_without_reopening(tmp_path):
    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    assert reader.search(SearchQuery(text="5G")).total == 0
    writer.index([by_slug("ha-giang-viettel-5g")])
    assert reader.search(SearchQuery(text="5G")).total == 0  # not committed yet
    writer.commit()
    assert reader.search(SearchQuery(text="5G")).total == 1
    assert reader.get(by_slug("ha-giang-viettel-5g").id) is not None


def test_second_writer_process_gets_a_clear_error(tmp_path):
    holder = EmbeddedBackend(tmp_path)
    holder.index([by_slug("ha-giang-viettel-5g")])  # takes the writer lock
    code = textwrap.dedent(f"""
        from indexer.backends.embedded import EmbeddedBackend
        from indexer.backends import BackendError
        from tests.indexer.backends.sample_articles import by_slug
        b = EmbeddedBackend({str(tmp_path)!r})
        print(b.count())                                  # reading works while a crawl writes
        try:
            b.index([by_slug("dak-lak-co-dau")])
        except BackendError as e:
            print("ERR", e)
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("0\n")
    assert "ERR" in out.stdout and "another process" in out.stdout
    holder.close()


def test_bad_article_does_not_sink_the_batch(tmp_path):
    b = EmbeddedBackend(tmp_path)
    bad = dataclasses.replace(by_slug("dak-lak-co-dau"), periods=[["2020", None]])
    good = [by_slug("thanh-hoa-vnpt-ky-ket"), by_slug("ha-giang-viettel-5g")]
    with pytest.raises(IndexingError) as err:
        b.index([good[0], bad, good[1]])
    assert list(err.value.failed) == [bad.id] and err.value.written == 2
    b.commit()
    assert b.count() == 2


def test_schema_version_mismatch_says_how_to_rebuild(tmp_path):
    settings = Settings(DATA_DIR=str(tmp_path))
    load_backend(settings).close()
    (tmp_path / "index" / "cds-schema-version").write_text("0")
    with pytest.raises(BackendError) as err:
        load_backend(settings)
    message = str(err.value)
    assert "schema version 0" in message
    assert f"rm -r {tmp_path / 'index'}" in message
    assert "`scrapy reextract`" in message and str(tmp_path / "warc") in message
    assert "python -m indexer reindex" not in message  # a command that does not exist
    # The command named is real in this project.
    help_out = subprocess.run(
        [str(Path(sys.executable).with_name("scrapy")), "reextract", "-h"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert help_out.returncode == 0 and "Rebuild articles from the WARC archive" in help_out.stdout


def test_unwritable_location_is_a_backend_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(BackendError, match="cannot open"):
        EmbeddedBackend(blocker / "index")


def test_article_without_date_sorts_last(tmp_path):
    b = EmbeddedBackend(tmp_path)
    undated = dataclasses.replace(by_slug("dak-lak-co-dau"), url="http://x.vn/undated", published=None, year=None)
    b.index([undated, by_slug("thanh-hoa-vnpt-ky-ket"), by_slug("ha-giang-viettel-5g")])
    b.commit()
    for sort in ("newest", "oldest"):
        hits = b.search(SearchQuery(sort=sort)).hits
        assert hits[-1].article.url == "http://x.vn/undated"


def test_an_index_from_older_code_is_set_aside_for_a_rebuild(tmp_path):
    """`make run` after an upgrade: the old index is moved aside (exit 3), then rebuilt by reextract."""
    import os
    import subprocess
    import sys

    from config.settings import Settings
    from indexer.backends import load_backend
    from indexer.backends.embedded import VERSION_FILE
    from tests.indexer.backends.sample_articles import sample_articles

    b = load_backend(Settings(DATA_DIR=str(tmp_path)))
    b.index(sample_articles()[:2])
    b.commit()
    b.close()
    (tmp_path / "index" / VERSION_FILE).write_text("1")  # as an older release wrote it
    env = {**os.environ, "CDS_DATA_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "indexer.backends", "set-aside-stale"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 3 and "scrapy reextract" in first.stdout
    assert not (tmp_path / "index").exists() and list(tmp_path.glob("index.schema-1.*"))
    assert load_backend(Settings(DATA_DIR=str(tmp_path))).count() == 0  # a fresh index opens
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout == ""
