"""A guard against losing the article: compare our body with other readings of the same page.

Our extraction adds cleanup to trafilatura (furniture, layout tables, selectors, recovered
subheadings); each of those steps can, on a layout nobody foresaw, remove the article itself
— VnExpress's article column is named ``sidebar-1``, a photo story's text is all captions. A
journalist never sees an article that was dropped, so the result is checked against two
independent readings, and the fuller one is kept with a quality flag saying so:

- the page's own article markup: the largest ``<article>``, ``itemprop=articleBody``, and the
  element whose ``<p>`` children hold the most text (cheap: always computed);
- plain trafilatura on the raw page (costly: run only when our text is short, or much shorter
  than the markup). The markup itself is kept only when both extractors found almost nothing
  (an ``<article>`` may also wrap comments and related lists).

"Much shorter" is below :data:`RATIO` of the other reading's length. A reading replaces ours
only when it is that much longer, so ordinary pages (where all readings agree within a few
lines of furniture) keep our cleaner text. Length misses one failure: a long side block (a list
of other stories) taken instead of the article. So when our text holds less than
:data:`COVERED` of the words of the page's main text block and plain trafilatura's holds most of
them, two readings agree against ours and plain trafilatura's is kept.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import trafilatura

from indexer import boilerplate
from indexer.html_tree import text_lines
from indexer.normalize import canonical_lines
from indexer.page_cleanup import largest_text_block

logger = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")

RATIO = 0.6  # ours is "much shorter" below this share of another reading
SHORT = 400  # below this, always ask plain trafilatura too
MARGIN = 150  # … and by at least this many characters (a title or a date line is not it)
COVERED = 0.5  # ours holds less than this share of the main block's words: wrong block?
AGREE = 0.8  # plain trafilatura holds at least this share: it found the main block


def _length(lines: list[str]) -> int:
    return sum(len(x) for x in lines)


def markup_lines(tree) -> list[str]:
    """Lines of the page's own article markup (the longest of its candidates), cleaned."""
    nodes = tree.xpath("//article | //*[@itemprop='articleBody']")
    block = largest_text_block(tree, remember=True)
    if block is not None:
        nodes.append(block)
    best: list[str] = []
    for node in nodes:
        lines = [canonical_lines(x) for x in text_lines(node)]
        lines, _ = boilerplate.clean_lines([x for x in lines if x])
        if _length(lines) > _length(best):
            best = lines
    return best


def plain_lines(html: str, url: str, config) -> list[str]:
    """trafilatura's own reading of the raw page (its default balance of precision/recall)."""
    try:
        text = (
            trafilatura.extract(
                html, url=url, include_comments=False, include_tables=True, deduplicate=False, config=config
            )
            or ""
        )
    except Exception:  # its bugs must not stop the page
        logger.warning("plain trafilatura failed on %s", url, exc_info=True)
        return []
    lines = [canonical_lines(x) for x in text.split("\n")]
    lines, _ = boilerplate.clean_lines([x for x in lines if x])
    return lines


def _coverage(lines: list[str], block: Counter) -> float:
    """Share of ``block``'s words (with counts) that ``lines`` hold."""
    total = sum(block.values())
    if not total:
        return 1.0
    got = Counter(_WORD.findall(" ".join(lines).lower()))
    return sum((got & block).values()) / total


def _much_shorter(n: int, other: int) -> bool:
    return n < RATIO * other and other - n >= MARGIN


def fuller_text(
    ours: list[str], tree, html: str, url: str, config, tidy=lambda lines: lines, menu_like=lambda lines: False
) -> tuple[list[str], str]:
    """(lines, flag): ``ours`` with flag "" when no reading is much fuller; else the fuller
    reading with ``text_from_trafilatura`` or ``text_from_markup``. ``tidy`` is the caller's
    line cleanup (headline, date and byline lines), applied to the other readings first;
    ``menu_like`` says whether lines look like menus/lists rather than prose: when ours does and
    plain trafilatura's does not, ours took a menu or a calendar for the article."""
    n = _length(ours)
    markup = tidy(markup_lines(tree))
    m = _length(markup)
    core = largest_text_block(tree, remember=True)
    block = (
        Counter(
            _WORD.findall(" ".join(c.text_content() for c in core if isinstance(c.tag, str) and c.tag == "p").lower())
        )
        if core is not None
        else Counter()
    )
    astray = sum(block.values()) >= SHORT // 6 and _coverage(ours, block) < COVERED
    menu = menu_like(ours)
    if n >= SHORT and not _much_shorter(n, m) and not astray and not menu:
        return ours, ""
    plain = tidy(plain_lines(html, url, config))
    p = _length(plain)
    if astray and _coverage(plain, block) >= AGREE:
        return plain, "text_from_trafilatura"
    if menu and p >= min(SHORT, n // 2) and not menu_like(plain):
        return plain, "text_from_trafilatura"
    best, flag, size = ours, "", n
    if _much_shorter(n, p):
        best, flag, size = plain, "text_from_trafilatura", p
    if size < SHORT and _much_shorter(size, m):  # both lost it: the page's markup has it
        best, flag = markup, "text_from_markup"
    return best, flag
