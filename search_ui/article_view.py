"""What the article page shows above its text: tag chips that open the filtered search, and the
other copies of a syndicated story.

Other copies: the backend has no lookup by cluster id (clusters are an Article field, not an
indexed one), so the page searches, duplicates included, for the story's title as a phrase OR the
opening words of its text as a phrase, and keeps the hits of the same cluster. Syndicated copies
share their text (that is how the clusterer found them), often re-titled; a copy that rewrote both
title and opening is missed, never a wrong one shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import url_for

from indexer.article import Article
from indexer.query import SearchQuery
from search_ui.presenters import KIND_LABELS

MAX_COPIES = 20
OPENING_WORDS = 12
_QUERY_CHARS = re.compile(r'["()|\-]')


def _phrase(text: str, words: int) -> str:
    """The first ``words`` words of ``text`` with the query language's characters blanked."""
    return " ".join(_QUERY_CHARS.sub(" ", text).split()[:words])


@dataclass
class Tag:
    kind: str  # css class: province, partner, period, kind
    label: str
    url: str
    title: str = ""


def _search(**params) -> str:
    return url_for("search.index") + "?" + urlencode(params)


def tag_chips(a: Article) -> list[Tag]:
    tags = [
        Tag("province", p, _search(province_current=p), "Tỉnh hiện nay: mọi bài về tỉnh này")
        for p in a.provinces_current
    ]
    tags += [
        Tag("province legacy", f"{p} (cũ)", _search(province=p), "Tên tỉnh trước 7/2025")
        for p in a.provinces
        if p not in a.provinces_current
    ]
    tags += [Tag("partner", p, _search(partner=p), "Mọi bài nhắc đối tác này") for p in a.partners]
    tags += [
        Tag(
            "period",
            f"{start}–{end}",
            _search(agreement_year=str(start), kind="agreement"),
            "Thỏa thuận có hiệu lực năm " + str(start),
        )
        for start, end in a.periods
    ]
    if a.kind:
        tags.append(Tag("kind", KIND_LABELS.get(a.kind, a.kind), _search(kind=a.kind), "Mọi bài cùng loại"))
    return tags


def other_copies(backend, a: Article) -> list[Article]:
    """The other articles of ``a``'s syndication cluster, oldest first (the original leads)."""
    if not a.cluster_id or not a.title.strip():
        return []
    phrases = [_phrase(a.title, 30)]
    # A phrase does not cross punctuation: the first clause of five words or more.
    opening = next((c for c in re.split(r"[,.;:!?…“”\n]", a.text) if len(c.split()) >= 5), "")
    if opening:
        phrases.append(_phrase(opening, OPENING_WORDS))
    text = " OR ".join(f'"{p}"' for p in phrases if p)
    q = SearchQuery(text=text, include_duplicates=True, include_off_topic=True, sort="oldest", per_page=MAX_COPIES)
    try:
        hits = backend.search(q).hits
    except Exception:  # an extra on the page: never the reason it fails
        return []
    return [h.article for h in hits if h.article.cluster_id == a.cluster_id and h.article.id != a.id]
