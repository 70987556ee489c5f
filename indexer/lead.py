"""The lead (sapo): which block of the page is it, and which of the body's copies is it?

Vietnamese papers set the sapo apart — bold, in its own box (``detail-sapo``, ``sapo_detail``,
``description``), often equal to og:description — and trafilatura sometimes drops it, sometimes
keeps it as the first paragraph (maybe twice). The lead becomes the article's own field and
leaves the body, so no reader of an Article has to take it out again
(:func:`indexer.article.lead_and_body` puts the two together where the whole text is wanted).

Class words alone mislead on real pages: Drupal's body field is ``text-with-summary``, WordPress
marks posts ``has-excerpt``, a "lead stories" box is a list of headlines, an author box has a
``description``. So a lead must look like one: a short run of prose (one to three sentences, not
a list of links, not inside an author box). A lead that the body already holds — maybe as
"(Dân trí) - " + the same text — is taken out of it, its fullest copy kept as the lead. A page
without a sapo has its first paragraph as lead: the opening that enrichment weighs ("named in
the lead") and the page sets apart.
"""

from __future__ import annotations

import re

from indexer.html_tree import first_text, text_of
from indexer.normalize import canonical_lines, search_key
from indexer.page_cleanup import class_words, largest_text_block

LEAD_CLASSES = (
    "sapo",
    "summary",
    "lead",
    "trich yeu",
    "trichyeu",
    "chapeau",
    "description",
    "intro",
    "excerpt",
    "tom tat",
    "tomtat",
    "teaser",
    "abstract",
)
_LEAD_PATTERN = re.compile(r"(?:^| )(" + "|".join(re.escape(c) for c in LEAD_CLASSES) + r")(?: |$)")
_NOT_LEAD = re.compile(
    r"(?:^| )(author|tac gia|bio|profile|byline|avatar|comment|related|"
    r"list|item|items|card|menu|nav|footer|sidebar|widget)(?: |$)"
)
_MIN, _MAX = 30, 700
_SOURCE_PREFIX = re.compile(r"^\s*\((?:[^()]{1,30})\)\s*[-–—:]?\s*")


def _looks_like_lead(el, text: str) -> bool:
    if not (_MIN <= len(text) <= _MAX) or el.tag in ("ul", "ol", "li", "a", "nav", "table"):
        return False
    if len(el.xpath(".//li")) > 1 or len(el.xpath(".//p | .//div[not(.//div)]")) > 3:
        return False
    links = sum(len(a.text_content()) for a in el.iter("a"))
    if links > 0.5 * len(text):  # a list of headlines
        return False
    for anc in [el, *list(el.iterancestors())[:3]]:  # an author box's "description"
        words = class_words(anc) if isinstance(anc.tag, str) else ""
        if words and _NOT_LEAD.search(words) and not _LEAD_PATTERN.search(words):
            return False
    return True


def _article_span(tree) -> tuple[dict, int, int]:
    """(document order, start, end): a sapo sits after the headline and before the article text
    ends; a teaser of another story sits elsewhere (a sidebar, a related list)."""
    order = {el: i for i, el in enumerate(tree.iter())}
    heads = tree.xpath("//h1")
    start = order.get(heads[0], 0) if heads else 0
    core = largest_text_block(tree, remember=True)
    paras = [c for c in core if isinstance(c.tag, str) and c.tag == "p"] if core is not None else []
    end = order.get(paras[-1], len(order)) if paras else len(order)
    return order, start, max(end, start)


def lead_candidates(tree, selector: str | None) -> list[str]:
    """The configured lead, then every lead-shaped block named like a sapo, between the
    headline and the end of the article text."""
    out = []
    if selector:
        t = canonical_lines(first_text(tree, selector))
        if t:
            out.append(t)
    order, start, end = _article_span(tree)
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("body", "html"):
            continue
        if not start <= order.get(el, 0) <= end:
            continue
        words = class_words(el)
        if not words or not _LEAD_PATTERN.search(words):
            continue
        text = canonical_lines(text_of(el))
        if _looks_like_lead(el, text):
            out.append(text)
    return out


def description_block(tree, description: str) -> str:
    """og:description when the page shows it as a block after the headline (an unnamed sapo)."""
    if not description or len(description) < _MIN:
        return ""
    heads = tree.xpath("//h1")
    if not heads:
        return ""
    for el in heads[0].xpath("following::*[self::h2 or self::p or self::div[not(div or p)]][position() <= 12]"):
        text = canonical_lines(text_of(el))
        if _MIN <= len(text) <= _MAX and same_block(text, description):
            return text
    return ""


_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.{3,})\s*$")


def _core_key(text: str) -> str:
    """Search key without a "(Source) - " prefix or the "…" of a cut-off excerpt."""
    return search_key(_ELLIPSIS.sub("", _SOURCE_PREFIX.sub("", text or "")))


def same_block(a: str, b: str) -> bool:
    """One text is the other, give or take a "(Source) - " prefix or a trailing sentence."""
    ka, kb = _core_key(a), _core_key(b)
    if not ka or not kb:
        return False
    short, long_ = sorted((ka, kb), key=len)
    return (short in long_ and len(short) >= 0.6 * len(long_)) or (
        len(short) >= 60 and long_.startswith(short)
    )  # an excerpt of the first paragraph


def place_lead(paragraphs: list[str], candidates: list[str], description: str) -> tuple[str, list[str]]:
    """(lead, body paragraphs): the first candidate the body lacks, or holds among its first
    paragraphs (then its fullest copy, every copy leaving the body); else the first paragraph
    (a repeat of it dropped); else, on a page without text, the description."""
    for cand in candidates:
        if not cand:
            continue
        dups = [i for i, p in enumerate(paragraphs[:4]) if same_block(cand, p)]
        if dups:
            lead = paragraphs[max(dups, key=lambda i: len(paragraphs[i]))]
            return lead, [p for i, p in enumerate(paragraphs) if i not in dups]
        if paragraphs and _core_key(cand) not in _core_key(" ".join(paragraphs[:4])):
            return cand, list(paragraphs)
    if not paragraphs:
        return canonical_lines(description), []
    lead, rest = paragraphs[0], paragraphs[1:]
    return lead, [p for i, p in enumerate(rest) if not (i < 3 and _core_key(p) == _core_key(lead))]
