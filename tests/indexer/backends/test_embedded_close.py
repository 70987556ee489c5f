"""Closing the embedded index on a full disk is a BackendError (which the crawl logs as one line),
not tantivy's raw ValueError escaping as a traceback at the end of a crawl; what was committed
before stays readable."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from sample_articles import sample_articles

from indexer.backends import BackendError
from indexer.backends.embedded import EmbeddedBackend


@pytest.fixture
def tiny_disk(tmp_path):
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m", f"cds-close-{uuid.uuid4().hex[:6]}", str(mnt)],
            capture_output=True,
        ).returncode
    ):
        pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_close_on_a_full_disk_is_a_backend_error_and_the_committed_articles_stay(tiny_disk):
    articles = sample_articles()
    backend = EmbeddedBackend(tiny_disk / "index")
    backend.index(articles[:2])
    backend.commit()
    backend.index(articles[2:])  # pending, not committed
    ballast = tiny_disk / "ballast"
    with ballast.open("wb") as f:  # fill what is left of the disk
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    with pytest.raises(BackendError, match="closing the index at .* failed"):
        backend.close()
    ballast.unlink()
    reopened = EmbeddedBackend(tiny_disk / "index")
    assert reopened.count() == 2
    assert reopened.get(articles[0].id) is not None
    reopened.close()
