"""Lines that are page furniture, not article text, on Vietnamese portals and papers.

trafilatura keeps what looks like prose, and Vietnamese furniture often does: "Tổng số lượt
truy cập: 8007076", "Bạn còn /500 ký tự", "Tin cùng chuyên mục", a leaked
``SELECT … FROM cms_post …`` line, "1 2 3 4 5 6 7". These rules were written from the seeds
and the demo web's CMS families; each one names what it removes, so a false positive is easy
to trace. ``clean_lines`` reports whether it removed anything (→ "boilerplate_suspected").
"""

from __future__ import annotations

import re

# A heading after which the rest of the page is lists/comments, never the article.
_SECTION_END = re.compile(
    r"^\s*(tin cùng chuyên mục|tin liên quan|bài viết liên quan|các tin khác|tin khác|"
    r"tin mới nhất|tin mới|tin đã đưa|tin xem nhiều|đọc nhiều|xem nhiều|có thể bạn quan tâm|"
    r"bình luận|ý kiến bạn đọc|gửi bình luận|viết bình luận|đánh giá của bạn|"
    r"liên kết web|liên kết website|thông tin lý luận và thực tiễn|tuyên truyền|"
    r"đếm số lượng truy cập|thống kê truy cập|các bài viết khác|bài cùng chuyên mục|"
    r"xem thêm|đọc thêm|tags?|từ khóa|chủ đề)\s*[:：]?\s*$",
    re.I,
)
# Single furniture lines, anywhere.
_FURNITURE = [
    (
        "counter",
        re.compile(
            r"(lượt xem|lượt truy cập|lượt đọc|đang online|đang truy cập|"
            r"tổng truy cập|hôm nay|trong tuần|trong tháng|lượt thích|views?)"
            r"\s*[:：]?\s*\d[\d.,]*\s*$",
            re.I,
        ),
    ),
    (
        "counter",
        re.compile(
            r"^\s*(tổng số lượt truy cập|số lượt truy cập|đang online|"
            r"lượt xem)\b",
            re.I,
        ),
    ),
    (
        "comment",
        re.compile(
            r"(bạn còn\s*\S*\s*ký tự|xếp theo\s*:|số người thích|"
            r"gửi bình luận|mã xác nhận|mời (các )?bạn tham gia|"
            r"bình luận của bạn|vui lòng nhập|đăng nhập để bình luận)",
            re.I,
        ),
    ),
    (
        "share",
        re.compile(
            r"^\s*(chia sẻ|in bài|in trang|gửi email|gửi bài|lưu bài|cỡ chữ|"
            r"nghe đọc bài|zalo|facebook|twitter|tweet|bản in|quay lại|về đầu trang|"
            r"trở về|trang chủ|a\+?\s*a-?)\s*[:：]?\s*$",
            re.I,
        ),
    ),
    ("pager", re.compile(r"^\s*(\d+\s+){2,}\d+\s*$|^\s*(«|‹|trang trước|trang sau|»|›)\s*$", re.I)),
    (
        "code",
        re.compile(
            r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|"
            r"DELETE\s+FROM\s)",
            re.I,
        ),
    ),
    (
        "code",
        re.compile(
            r"(\b(Warning|Notice|Fatal error|Parse error|Deprecated)\s*:.+"
            r"\bon line\s+\d+|mysqli?_\w+\(|Stack trace:|Traceback \(most recent|"
            r"\bat [\w.$]+\([\w.]+:\d+\))",
            re.I,
        ),
    ),
    ("code", re.compile(r"^\s*(var|let|const|function|document\.|window\.|\$\(|jQuery)\b.*[;{(]")),
    ("code", re.compile(r"[{};]\s*$.*|^\s*[<{].*[>}]\s*$")),
]
_HEADER_NOISE = re.compile(
    r"^\s*(ngày đăng|ngày đăng tin|đăng ngày|cập nhật|ngày cập nhật|"
    r"người đăng|tác giả|nguồn)\s*[:：]",
    re.I,
)


def furniture_reason(line: str) -> str | None:
    """Why ``line`` is furniture ("counter", "comment", "share", "pager", "code"), or None."""
    text = line.strip()
    if not text:
        return None
    for reason, pattern in _FURNITURE:
        if reason == "code" and pattern.pattern.startswith("[{}"):
            # JSON/CSS blobs: punctuation-heavy lines
            punct = sum(c in "{}();=<>$[]" for c in text)
            if len(text) > 20 and punct / len(text) > 0.08:
                return "code"
            continue
        if pattern.search(text):
            return reason
    return None


# The article's tag box in one line: "Từ khóa: chuyển đổi số Tuyên Quang", "Tags: VNPT, AI".
# Its words are links to other searches, not the story's (a tag naming the paper's own province
# would tag every story with it).
# Words, commas and separators only: "tags: [Tag!]!" in a GraphQL sample is code, not a tag box.
_TAGS_LINE = re.compile(r"^\s*(từ khóa|từ khoá|tags?|thẻ)\s*[:：]\s*#?[^\W_][\w\s,;#|/·.&'’-]{0,200}$", re.I)


def is_section_end(line: str) -> bool:
    return bool(_SECTION_END.match(line) or _TAGS_LINE.match(line)) or "tổng số lượt truy cập" in line.lower()


def clean_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Drop furniture lines and everything after a trailing lists/comments heading.

    Returns (kept lines, removed reasons). A section-end heading only truncates in the second
    half of the text, so an article that mentions "Bình luận" early keeps its body.
    """
    kept: list[str] = []
    reasons: list[str] = []
    total = sum(len(x) for x in lines) or 1
    seen = 0
    found = [furniture_reason(line) for line in lines]
    in_code_block = _code_runs(lines, found)
    for i, line in enumerate(lines):
        seen += len(line)
        if is_section_end(line) and (seen / total > 0.5 or i >= len(lines) - 3):
            reasons.append("section_end")
            break
        reason = found[i]
        if reason == "code" and in_code_block[i]:
            reason = None  # a code sample the article shows, not leaked markup
        if reason:
            reasons.append(reason)
            continue
        kept.append(line)
    return kept, reasons


_LEAKS = (_FURNITURE[5][1], _FURNITURE[6][1])  # SQL statements, PHP/stack-trace errors
_CODE_RUN = 3


def _code_runs(lines: list[str], found: list[str | None]) -> list[bool]:
    """True for the code-like lines of a text that has at least three: a tutorial's code
    samples (their lines alternate with plain ones like "interface User"). One or two script or
    JSON lines are a leak; leaked SQL and server errors are never samples."""
    code = [k for k, r in enumerate(found) if r == "code" and not any(p.search(lines[k]) for p in _LEAKS)]
    out = [False] * len(lines)
    if len(code) >= _CODE_RUN:
        for k in code:
            out[k] = True
    return out


def is_header_noise(line: str) -> bool:
    """Byline/date lines near the top ("Ngày Đăng: 22/2/2023 8:4 Lượt xem: 163")."""
    return bool(_HEADER_NOISE.match(line))
