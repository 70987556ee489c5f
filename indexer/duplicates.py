"""Near-duplicate clusters: one story syndicated across sites, shown once.

A VNPT press release appears on the newsroom, two papers and a portal with different titles,
chrome and tone marks. We compare bodies as sets of word 4-grams of the *search key* (so NFD
vs NFC, "Hoá" vs "Hóa" and đ/d don't matter), estimated with MinHash and looked up with LSH,
and confirm with the estimated Jaccard ≥ threshold. Copies must also name the
same provinces and partners (one set may add to the other: a republisher's credit line) and be
published within ``max_days_apart``: press offices reuse one template for many provinces, and
those are different stories. Run the enrichers first (partners). The canonical copy of a
cluster is the earliest published one (the original), ties going to the longer text.

Clustering needs the other articles, so it is not an enricher: the crawler's index pipeline
keeps one :class:`DuplicateClusterer` for the run, rebuilt from the stored articles at start
(:meth:`DuplicateClusterer.rebuild`), calls :meth:`add` for each new Article and re-saves the
articles :meth:`pop_updates` names (copies that lost their canonical status). The costly part
of :meth:`add` (MinHash of the text, provinces named in it: ~10 ms an article) is
:func:`signature`, a pure function of the article, which the crawl computes in its extraction
workers and hands to :meth:`add` with the article.

MinHash and LSH are datasketch's (scheme affine32, seed 1, SHA-1 32-bit, LSH bands chosen by
the same weighted error), written out here with numpy alone: importing datasketch imports
scipy (for one integral), 55 MB in the crawler and in every extraction worker. The signatures
are the same numbers datasketch computes (tests/indexer/test_duplicates.py checks that).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from indexer.article import Article
from indexer.normalize import search_key
from indexer.timeutil import iso_day

_TOKEN = re.compile(r"\w+")


def shingles(text: str, k: int = 4) -> set[str]:
    tokens = _TOKEN.findall(search_key(text))
    if len(tokens) <= k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations h -> a*h + b mod 2^32 (a odd)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: datasketch's pre-mix of each input hash."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash(grams: Iterable[str], num_perm: int = 128) -> np.ndarray:
    """The MinHash of a set of shingles: ``num_perm`` uint32 minima."""
    a, b = _permutations(num_perm)
    hv = np.array(
        [int.from_bytes(hashlib.sha1(g.encode("utf-8")).digest()[:4], "little") for g in grams], dtype=np.uint32
    ).reshape(-1, 1)
    with np.errstate(over="ignore"):
        phv = _fmix32(hv) * a + b
    return phv.min(axis=0)


def jaccard(m1: np.ndarray, m2: np.ndarray) -> float:
    return float(np.count_nonzero(m1 == m2)) / float(len(m1))


@lru_cache(maxsize=1)
def _legendre(nodes: int = 96) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(nodes)


def _integral(f, lo: float, hi: float) -> float:
    """Gauss-Legendre: exact for the polynomials below (degree <= num_perm < 2 * nodes)."""
    x, w = _legendre()
    s = (hi - lo) / 2 * x + (hi + lo) / 2
    return float((hi - lo) / 2 * np.sum(w * f(s)))


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimizing false positives + false negatives around ``threshold``, weighted
    ½ each: datasketch's MinHashLSH choice."""
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integral(lambda s, b=b, r=r: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)
            fn = _integral(lambda s, b=b, r=r: (1 - s ** float(r)) ** float(b), threshold, 1.0)
            if 0.5 * fp + 0.5 * fn < best:
                best, opt = 0.5 * fp + 0.5 * fn, (b, r)
    return opt


class _LSH:
    """Banded LSH over MinHash arrays: candidates share all rows of at least one band.

    Kept for every stored article by the crawler, so kept small (~1.6 KB an article instead of
    ~4.5 KB): a bucket holds its one key as a plain string (nearly every bucket has one), and an
    article's bands are not kept but recomputed from its MinHash when it is removed."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        b, r = lsh_bands(threshold, num_perm)
        self.ranges = [(i * r, (i + 1) * r) for i in range(b)]
        self.tables: list[dict[bytes, str | set[str]]] = [{} for _ in range(b)]

    def _bands(self, mh: np.ndarray) -> list[bytes]:
        return [mh[lo:hi].tobytes() for lo, hi in self.ranges]

    def insert(self, key: str, mh: np.ndarray) -> None:
        for table, band in zip(self.tables, self._bands(mh)):
            there = table.get(band)
            if there is None:
                table[band] = key
            elif isinstance(there, str):
                table[band] = {there, key}
            else:
                there.add(key)

    def query(self, mh: np.ndarray) -> set[str]:
        out: set[str] = set()
        for table, band in zip(self.tables, self._bands(mh)):
            there = table.get(band)
            if there is None:
                continue
            if isinstance(there, str):
                out.add(there)
            else:
                out.update(there)
        return out

    def remove(self, key: str, mh: np.ndarray) -> None:
        """Remove ``key``, inserted with ``mh``."""
        for table, band in zip(self.tables, self._bands(mh)):
            there = table.get(band)
            if there == key:
                del table[band]
            elif isinstance(there, set):
                there.discard(key)
                if len(there) <= 1:
                    if there:
                        table[band] = there.pop()
                    else:
                        del table[band]


@dataclass(slots=True)
class _Member:
    cluster: str
    key: tuple  # canonical preference: smaller is better
    minhash: np.ndarray | None
    entities: tuple  # (provinces named in the text, partners) — copies name the same ones
    day: date | None


def _entities(a: Article) -> tuple:
    """Provinces named in the text itself (not the source-province fallback, which differs
    between the portals that republish one story) and partners."""
    from indexer.enrichment.provinces import find_mentions

    named = frozenset(p for _, p, _ in find_mentions(f"{a.title}\n{a.text}"))
    return (named, frozenset(a.partners))


def _nested(a: frozenset, b: frozenset) -> bool:
    return a <= b or b <= a


def _preference(a: Article) -> tuple:
    return (a.published[:19] if a.published else "9999", -len(a.text), a.url)


@dataclass
class Signature:
    """What :meth:`DuplicateClusterer.add` needs of an article's text, computed anywhere."""

    params: tuple  # (num_perm, shingle_size, min_tokens) it was made with
    minhash: np.ndarray | None  # None: too little text to call anything a copy
    entities: tuple


def signature(article: Article, num_perm: int = 128, shingle_size: int = 4, min_tokens: int = 30) -> Signature:
    grams = shingles(article.text, shingle_size)  # lead and body
    mh = minhash(grams, num_perm) if len(grams) >= min_tokens // 2 else None
    return Signature((num_perm, shingle_size, min_tokens), mh, _entities(article))


class DuplicateClusterer:
    """Stateful clusterer: ``add`` sets ``cluster_id``/``is_canonical`` on each Article."""

    def __init__(
        self,
        threshold: float = 0.7,
        num_perm: int = 128,
        shingle_size: int = 4,
        min_tokens: int = 30,
        max_days_apart: int = 60,
    ) -> None:
        self.threshold = threshold
        self.max_days_apart = max_days_apart
        self.num_perm = num_perm
        self.k = shingle_size
        self.min_tokens = min_tokens
        self._lsh = _LSH(threshold, num_perm)
        self._members: dict[str, _Member] = {}
        self._canonical: dict[str, str] = {}  # cluster id -> article id
        self._updates: set[str] = set()

    def add(self, article: Article, sig: Signature | None = None) -> Article:
        """Place ``article`` in a cluster (new or existing); returns the same object. ``sig``:
        its :func:`signature`, if already computed (with this clusterer's parameters)."""
        aid = article.id
        if aid in self._members:  # re-crawl of a known page
            self._remove(aid)
        if sig is None or sig.params != (self.num_perm, self.k, self.min_tokens):
            sig = signature(article, self.num_perm, self.k, self.min_tokens)
        mh = sig.minhash
        cluster = aid
        entities, day = sig.entities, iso_day(article.published)
        if mh is not None:
            best = 0.0
            for other in self._lsh.query(mh):
                m = self._members[other]
                if not self._compatible(entities, day, m):
                    continue
                sim = jaccard(mh, m.minhash)
                if sim >= self.threshold and sim > best:
                    best, cluster = sim, m.cluster
            self._lsh.insert(aid, mh)
        member = _Member(cluster, _preference(article), mh, entities, day)
        self._members[aid] = member
        current = self._canonical.get(cluster)
        if current is None or member.key < self._members[current].key:
            if current is not None:
                self._updates.add(current)
            self._canonical[cluster] = aid
        article.cluster_id = cluster
        article.is_canonical = self._canonical[cluster] == aid
        return article

    def _compatible(self, entities: tuple, day: date | None, other: _Member) -> bool:
        """Templated articles ("Ứng dụng công dân số của X đạt N lượt tải") share most words
        but not their province or partner, and syndication happens within weeks."""
        if not all(_nested(x, y) for x, y in zip(entities, other.entities)):
            return False
        if day and other.day and abs((day - other.day).days) > self.max_days_apart:
            return False
        return True

    def _remove(self, aid: str) -> None:
        member = self._members.pop(aid)
        if member.minhash is not None:
            self._lsh.remove(aid, member.minhash)
        if self._canonical.get(member.cluster) == aid:
            rest = [(m.key, i) for i, m in self._members.items() if m.cluster == member.cluster]
            if rest:
                new = min(rest)[1]
                self._canonical[member.cluster] = new
                self._updates.add(new)
            else:
                del self._canonical[member.cluster]

    def state(self, article_id: str) -> tuple[str, bool] | None:
        """(cluster_id, is_canonical) as currently known, or None for an unknown id."""
        member = self._members.get(article_id)
        if member is None:
            return None
        return member.cluster, self._canonical.get(member.cluster) == article_id

    def apply(self, article: Article) -> Article:
        """Refresh ``cluster_id``/``is_canonical`` of a stored article from the current state."""
        st = self.state(article.id)
        if st:
            article.cluster_id, article.is_canonical = st
        return article

    def pop_updates(self) -> list[str]:
        """Ids of earlier-added articles whose ``is_canonical`` changed since the last call."""
        out, self._updates = sorted(self._updates), set()
        return out

    def clusters(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for aid, m in self._members.items():
            out.setdefault(m.cluster, []).append(aid)
        return out

    @classmethod
    def rebuild(cls, articles: Iterable[Article], **kwargs) -> tuple[DuplicateClusterer, list[Article]]:
        """Cluster stored articles from scratch (oldest first, so ids are stable across runs).

        Returns the clusterer (ready for ``add``) and the articles whose cluster fields
        changed, for the caller to re-save.
        """
        clusterer = cls(**kwargs)
        items = sorted(articles, key=_preference)
        before = {a.id: (a.cluster_id, a.is_canonical) for a in items}
        for a in items:
            clusterer.add(a)
        clusterer.pop_updates()
        for a in items:
            clusterer.apply(a)
        changed = [a for a in items if (a.cluster_id, a.is_canonical) != before[a.id]]
        return clusterer, changed


def cluster_articles(articles: Iterable[Article], **kwargs) -> list[Article]:
    """One-shot: cluster a batch; every article gets its final cluster_id/is_canonical."""
    items = list(articles)
    DuplicateClusterer.rebuild(items, **kwargs)
    return items
