"""Recover what trafilatura dropped inside the article container (subheadings, short paragraphs).

trafilatura is good at *finding* the article but, when it falls back to its readability-style
heuristics, drops subheadings ("Bán hàng trên nền tảng số") and short one-line paragraphs that
are part of the story. We use its output as a guide: locate the DOM element that holds the
paragraphs it kept, and read every text block of that element in document order. If the
guide's paragraphs cannot be located, its output stands unchanged.
"""

from __future__ import annotations

from indexer.html_tree import text_of
from indexer.normalize import canonical_lines

BLOCK_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
    "div",
    "section",
    "article",
    "header",
    "main",
}
_HEADINGS_SKIPPED = {"h1"}
_CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "td",
    "body",
    "blockquote",
    "li",
    "ul",
    "ol",
    "table",
    "tbody",
    "tr",
    "header",
    "footer",
    "form",
    "span",
    "font",
    "center",
}
_CHILD_BLOCKS = BLOCK_TAGS | {"ul", "ol", "table", "tbody", "tr", "h1", "figure", "form", "br"}


def _blocks(root) -> list:
    """Leaf-ish text blocks under ``root`` in document order (a div only if it has no block child)."""
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in BLOCK_TAGS:
            continue
        if el.tag in ("div", "section", "article", "header", "main", "td", "li") and any(
            isinstance(c.tag, str) and c.tag in _CHILD_BLOCKS for c in el
        ):
            continue
        if any(
            isinstance(a.tag, str) and a.tag in ("p", "h2", "h3", "h4", "h5", "h6", "li", "pre", "figcaption")
            for a in el.iterancestors()
        ):
            continue
        out.append(el)
    return out


_RECOVERED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "div", "td"}
_EMBEDS = {"blockquote", "figure", "aside", "iframe", "noscript"}


def _recoverable(el, text: str) -> bool:
    """What trafilatura drops and an article has: a subheading or a short paragraph of its own
    text — not an embedded post (Instagram/Twitter blockquotes), a caption or a list of links.
    (The caller also wants it beside the kept paragraphs, not inside a box of its own, such as
    a related-news box set into the text.)"""
    if el.tag not in _RECOVERED_TAGS or len(text) > 300:
        return False
    if any(isinstance(a.tag, str) and a.tag in _EMBEDS for a in el.iterancestors()):
        return False
    links = sum(len(a.text_content()) for a in el.iter("a"))
    return links <= 0.5 * len(text)


def _common_ancestor(elements: list):
    paths = [list(reversed([e, *e.iterancestors()])) for e in elements]
    common = None
    for level in zip(*paths):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def recover_paragraphs(tree, guide: list[str], title: str = "") -> list[str] | None:
    """Paragraph texts of the container that holds ``guide`` lines, or None to keep the guide."""
    if tree is None or len(guide) < 2:
        return None
    wanted = {line for line in guide if len(line) >= 40}
    if len(wanted) < 2:
        return None
    matched = []
    for el in _blocks(tree):
        if canonical_lines(text_of(el)) in wanted:
            matched.append(el)
    if len(matched) < max(2, 0.6 * len(wanted)):
        return None
    container = _common_ancestor(matched)
    if container is None or container.tag in ("html",):
        return None
    # Only the stretch from the first to the last block trafilatura kept: what it dropped
    # *inside* the article (subheadings, short paragraphs) comes back; teasers, "Next/Previous"
    # links and pull-quotes around it stay out, and no recovered line repeats another.
    blocks = _blocks(container)
    matched_ids = {id(m) for m in matched}
    spots = [i for i, el in enumerate(blocks) if id(el) in matched_ids]
    lines: list[str] = []
    guide_set = set(guide)
    parents = {id(m.getparent()) for m in matched}  # the article's own level of blocks
    for el in blocks[spots[0] : spots[-1] + 1] if spots else []:
        if el.tag in _HEADINGS_SKIPPED:
            continue
        text = canonical_lines(text_of(el))
        if not text or text == title:
            continue
        if text in guide_set or (text not in lines and id(el.getparent()) in parents and _recoverable(el, text)):
            lines.append(text)
    if spots:  # guide lines before/after the stretch (short ones) stay
        first_line = canonical_lines(text_of(blocks[spots[0]]))
        last_line = canonical_lines(text_of(blocks[spots[-1]]))
        head = guide[: guide.index(first_line)] if first_line in guide else []
        tail = guide[guide.index(last_line) + 1 :] if last_line in guide else []
        lines = head + lines + tail
    got = set(lines)
    matched_texts = {canonical_lines(text_of(m)) for m in matched}
    if not all(w in got for w in wanted if w in matched_texts):
        return None
    # Recovery only adds: a guide line it cannot place (a code block, a table row, text in an
    # inline wrapper) means the block reading lost something, and the guide stands.
    if any(g not in got and g != title for g in guide):
        return None
    # The container must not be much bigger than the article: a page-wide wrapper adds menus.
    guide_len = sum(len(x) for x in guide)
    extra = sum(len(x) for x in lines) - guide_len
    if extra > 0.25 * guide_len:
        return None
    return lines
