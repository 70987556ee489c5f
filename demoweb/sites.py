"""The six demo sites: each one's URL scheme, charset and quirks, modelled on a real CMS family.

A site spec only answers "which URL is this?" and "what is the URL of that?"; rendering lives in
app.py and the per-site templates. Routes are (handler, params) pairs so every site shares the
same handlers while keeping its own real-world URL shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple


class Site(NamedTuple):
    """What callers (crawler tests, bench) need to know about a running demo site."""

    name: str
    kind: str  # portal / press / partner
    province: str  # the site's own legacy province, or ""
    host: str
    base_url: str


@dataclass
class SiteSpec:
    name: str = ""
    kind: str = "portal"
    province: str = ""
    label: str = ""
    index: int = 0  # host is 127.0.0.(11 + index)
    charset: str = "utf-8"
    form: str = "NFC"  # Unicode normalization form of the served text
    page_size: int = 10
    feed_limit: int = 30  # newest N in feeds; 0 = every article
    date_display: str = "visible"  # default for articles: visible / meta / both / none
    categories: dict[str, str] = field(default_factory=dict)
    disallow: list[str] = field(default_factory=list)
    ghosts: list[tuple[str, str, int]] = field(default_factory=list)  # (path, title, status)
    specials: dict[str, tuple[str, dict]] = field(default_factory=dict)
    feed_path: str = ""  # the site's main RSS/Atom feed
    advertise_sitemap: bool = True  # a "Sitemap:" line in robots.txt
    validators: bool = True  # ETag/Last-Modified + 304 on articles, sitemaps, feeds

    @property
    def host(self) -> str:
        return f"127.0.0.{11 + self.index}"

    def article_path(self, a) -> str:
        raise NotImplementedError

    def listing_path(self, cat: str, page: int = 1) -> str:
        raise NotImplementedError

    def route(self, path: str, args) -> tuple[str, dict] | None:
        """Site-specific routes beyond home and ``specials``; None means 404."""
        return None


class SharePointPortal(SiteSpec):
    """tuyenquang.gov.vn: /Pages/<cat>.aspx?ItemID=N articles, ?Page=N listings, no dates in meta."""

    def article_path(self, a):
        return f"/Pages/{a.category}.aspx?ItemID={a.id}"

    def listing_path(self, cat, page=1):
        return f"/Pages/{cat}.aspx" + (f"?Page={page}" if page > 1 else "")

    def route(self, path, args):
        m = re.fullmatch(r"/Pages/([\w-]+)\.aspx", path)
        if m and m.group(1) in self.categories:
            if "ItemID" in args:
                return "article_by_id", {"id": args.get("ItemID", ""), "category": m.group(1)}
            return "listing", {"cat": m.group(1), "page": args.get("Page", "1")}
        if path == "/Pages/tim-kiem.aspx":
            return "search", {}
        if path.startswith("/_layouts/"):
            return "admin", {}
        return None


class JoomlaPortal(SiteSpec):
    """thanhhoa.gov.vn: SEF URLs with year/month, ?start=N paging, Joomla RSS, old ?option= URLs."""

    def article_path(self, a):
        return f"/index.php/{a.category}/{a.date:%Y}/{a.date:%m}/{a.slug}.html"

    def listing_path(self, cat, page=1):
        return f"/index.php/{cat}" + (f"?start={(page - 1) * self.page_size}" if page > 1 else "")

    def route(self, path, args):
        if path == "/index.php" and args.get("option") == "com_content" and args.get("id"):
            return "redirect_id", {"id": args.get("id")}
        m = re.fullmatch(r"/index\.php/([\w-]+)/(\d{4})/(\d{2})/([\w-]+)\.html", path)
        if m:
            return "article_by_slug", {"slug": m.group(4), "category": m.group(1)}
        m = re.fullmatch(r"/index\.php/([\w-]+)", path)
        if m and m.group(1) in self.categories:
            if args.get("format") == "feed":
                return "rss", {"cat": m.group(1)}
            start = int(args.get("start", "0") or 0) if str(args.get("start", "0")).isdigit() else 0
            return "listing", {"cat": m.group(1), "page": str(start // self.page_size + 1)}
        if path == "/index.php/tim-kiem":
            return "search", {}
        if path.startswith("/administrator"):
            return "admin", {}
        return None


class CustomCmsPortal(SiteSpec):
    """backan.gov.vn-like custom CMS in windows-1258: /chi-tiet-tin/<id>/<slug>.htm, ?p=N paging."""

    def article_path(self, a):
        return f"/chi-tiet-tin/{a.id}/{a.slug}.htm"

    def listing_path(self, cat, page=1):
        return f"/chuyen-muc/{cat}.htm" + (f"?p={page}" if page > 1 else "")

    def route(self, path, args):
        m = re.fullmatch(r"/chi-tiet-tin/(\d+)/([\w-]+)\.htm", path)
        if m:
            return "article_by_id", {"id": m.group(1)}
        m = re.fullmatch(r"/chuyen-muc/([\w-]+)\.htm", path)
        if m and m.group(1) in self.categories:
            return "listing", {"cat": m.group(1), "page": args.get("p", "1")}
        m = re.fullmatch(r"/sitemap-(\d{4})\.xml", path)
        if m:
            return "sitemap_year", {"year": m.group(1)}
        if path == "/tim-kiem.htm":
            return "search", {}
        if path.startswith("/admin/"):
            return "admin", {}
        return None


class NewspaperNfd(SiteSpec):
    """baotuyenquang.com.vn-like paper serving decomposed (NFD) text: /<cat>/<slug>-<id>.html."""

    def article_path(self, a):
        return f"/{a.category}/{a.slug}-{a.id}.html"

    def listing_path(self, cat, page=1):
        return f"/{cat}/" + (f"trang-{page}" if page > 1 else "")

    def route(self, path, args):
        m = re.fullmatch(r"/([\w-]+)/([\w-]+)-(\d+)\.html", path)
        if m:
            return "article_by_id", {"id": m.group(3), "category": m.group(1)}
        m = re.fullmatch(r"/([\w-]+)/(?:trang-(\d+))?", path)
        if m and m.group(1) in self.categories:
            return "listing", {"cat": m.group(1), "page": m.group(2) or "1"}
        if path.startswith("/tim-kiem"):
            return "search", {}
        return None


class BusinessPaper(SiteSpec):
    """diendandoanhnghiep.vn-like: flat /<slug>-<id>.html, ?page=N, comment box, leaked SQL."""

    def article_path(self, a):
        return f"/{a.slug}-{a.id}.html"

    def listing_path(self, cat, page=1):
        return f"/{cat}" + (f"?page={page}" if page > 1 else "")

    def route(self, path, args):
        m = re.fullmatch(r"/([\w-]+)-(\d+)\.html", path)
        if m:
            return "article_by_id", {"id": m.group(2)}
        m = re.fullmatch(r"/rss/([\w-]+)\.rss", path)
        if m and (m.group(1) in self.categories or m.group(1) == "home"):
            return "rss", {"cat": None if m.group(1) == "home" else m.group(1)}
        m = re.fullmatch(r"/([\w-]+)", path)
        if m and m.group(1) in self.categories:
            return "listing", {"cat": m.group(1), "page": args.get("page", "1")}
        if path.startswith("/tim-kiem") or path.startswith("/binh-luan/"):
            return "search", {}
        return None


class Newsroom(SiteSpec):
    """vnpt.com.vn newsroom-like: /newsroom/<cat>/<slug>, sitemap index + Atom feed."""

    def article_path(self, a):
        return f"/newsroom/{a.category}/{a.slug}"

    def listing_path(self, cat, page=1):
        return f"/newsroom/{cat}" + (f"?page={page}" if page > 1 else "")

    def route(self, path, args):
        m = re.fullmatch(r"/newsroom/([\w-]+)/([\w-]+)", path)
        if m and m.group(1) in self.categories:
            return "article_by_slug", {"slug": m.group(2), "category": m.group(1)}
        m = re.fullmatch(r"/newsroom/([\w-]+)", path)
        if m and m.group(1) in self.categories:
            return "listing", {"cat": m.group(1), "page": args.get("page", "1")}
        if path.startswith("/tim-kiem") or path.startswith("/api/"):
            return "search", {}
        return None
