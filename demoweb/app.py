"""One WSGI app per demo site: routes a request to home, listing, article, feed or error pages.

Pages are rendered on request (nothing pre-written), so 5,000 generated articles cost only the
pages actually fetched. Every response goes through the site's charset/normalization, which is
where windows-1258 and NFD enter the wire.
"""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import jinja2
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Request, Response

from . import dates, feeds
from .textcodec import encode_page, to_tcvn3
from .world import SiteStore

TEMPLATES = Path(__file__).parent / "templates"


class SiteApp:
    """A site's web server logic; DemoWeb mounts one per loopback address."""

    def __init__(self, store: SiteStore):
        self.store, self.spec = store, store.spec
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(
                [jinja2.FileSystemLoader(TEMPLATES / self.spec.name), jinja2.FileSystemLoader(TEMPLATES / "_shared")]
            ),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(dates.FILTERS, tcvn3=to_tcvn3)
        self.env.globals.update(
            site=self.spec,
            store=self.store,
            art_url=self.spec.article_path,
            list_url=self.spec.listing_path,
            counter=self.counter,
        )
        self.ghosts = {path: (title, status) for path, title, status in self.spec.ghosts}

    # -- plumbing ---------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = self.page(exc.code or 500, "error.html", code=exc.code, path=request.path)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path in self.ghosts:
            _title, status = self.ghosts[path]
            return self.page(status, "error.html", code=status, path=path)
        if path == "/":
            return self.home()
        route = self.spec.specials.get(path) or self.spec.route(path, request.args)
        if route is None:
            raise NotFound()
        handler, params = route
        return getattr(self, "h_" + handler)(request=request, **params)

    def render(self, name: str, **ctx) -> str:
        return self.env.get_template(name).render(**ctx)

    def page(self, status: int, template: str, **ctx) -> Response:
        html = self.render(template, **ctx)
        ctype = f"text/html; charset={self.spec.charset}"
        return Response(encode_page(html, self.spec.charset, self.spec.form), status, content_type=ctype)

    def xml(self, request: Request, text: str, ctype: str = "application/xml") -> Response:
        resp = Response(encode_page(text, "utf-8", self.spec.form), 200, content_type=f"{ctype}; charset=utf-8")
        return self.conditional(request, resp)

    def counter(self, salt: str = "") -> int:
        return 8_000_000 + zlib.crc32((self.spec.name + salt).encode()) % 900_000

    def base(self, request: Request) -> str:
        return request.host_url.rstrip("/")

    # -- pages ------------------------------------------------------------------------------
    def home(self) -> Response:
        featured = self.store.articles[:6]
        blocks = {c: arts[:5] for c, arts in self.store.by_cat.items()}
        return self.page(
            200, "home.html", featured=featured, blocks=blocks, latest=self.store.articles[:8], old_url=self.old_url
        )

    def h_listing(self, request, cat: str, page: str = "1") -> Response:
        items = self.store.by_cat.get(cat, [])
        n = int(page) if str(page).isdigit() and int(page) > 0 else 0
        pages = max(1, math.ceil(len(items) / self.spec.page_size))
        if not n or n > pages:
            raise NotFound()
        chunk = items[(n - 1) * self.spec.page_size : n * self.spec.page_size]
        ghosts = [(p, t) for p, t, _ in self.spec.ghosts] if n == 1 else []
        return self.page(
            200,
            "listing.html",
            cat=cat,
            label=self.spec.categories[cat],
            items=chunk,
            page=n,
            pages=pages,
            ghosts=ghosts,
            latest=self.store.articles[:8],
        )

    def conditional(self, request: Request, response: Response, modified=None) -> Response:
        """ETag/Last-Modified and 304s, as most CMSs do; the Joomla portal sends no validators,
        so the crawler's unconditional path gets exercised too."""
        if not self.spec.validators:
            return response
        response.add_etag()
        if modified is not None:
            response.last_modified = modified
        return response.make_conditional(request)

    def article_page(self, request, a) -> Response:
        cat_items = self.store.by_cat[a.category]
        pos = cat_items.index(a)
        related = cat_items[pos + 1 : pos + 6] or cat_items[max(0, pos - 5) : pos]
        latest = [x for x in self.store.articles[:7] if x is not a][:6]
        page = self.page(
            200,
            "article.html",
            a=a,
            related=related,
            latest=latest,
            shown=self.store.date_display(a),
            cat_label=self.spec.categories[a.category],
        )
        return self.conditional(request, page, a.date)

    def h_article_by_id(self, request, id: str, category: str | None = None) -> Response:
        a = self.store.by_id.get(int(id)) if str(id).isdigit() else None
        if a is None or (category and a.category != category):
            raise NotFound()
        return self.article_page(request, a)

    def h_article_by_slug(self, request, slug: str, category: str | None = None) -> Response:
        a = self.store.by_slug.get(slug)
        if a is None or (category and a.category != category):
            raise NotFound()
        return self.article_page(request, a)

    def old_url(self, a) -> str:
        """Pre-SEF Joomla address of an article; answered with a 301 to the canonical URL."""
        return f"/index.php?option=com_content&view=article&id={a.id}&catid=8&Itemid=101"

    def h_redirect_id(self, request, id: str) -> Response:
        a = self.store.by_id.get(int(id)) if str(id).isdigit() else None
        if a is None:
            raise NotFound()
        return Response("", 301, headers={"Location": self.base(request) + self.spec.article_path(a)})

    def h_search(self, request) -> Response:
        return self.page(200, "search.html", q=request.args.get("q", ""), latest=self.store.articles[:8])

    def h_admin(self, request) -> Response:
        return self.page(200, "search.html", q="", admin=True, latest=[])

    # -- machine-readable -------------------------------------------------------------------
    def h_robots(self, request) -> Response:
        return Response(feeds.robots(self.spec, self.base(request)), 200, content_type="text/plain; charset=utf-8")

    def h_sitemap(self, request) -> Response:
        base = self.base(request)
        return self.xml(request, feeds.urlset(self.spec, base, self.store.articles, ghosts=True))

    def h_sitemap_cat(self, request, cat: str) -> Response:
        base = self.base(request)
        return self.xml(request, feeds.urlset(self.spec, base, self.store.by_cat[cat]))

    def h_sitemap_year(self, request, year: str) -> Response:
        arts = [a for a in self.store.articles if a.date.year == int(year)]
        if not arts:
            raise NotFound()
        base = self.base(request)
        return self.xml(request, feeds.urlset(self.spec, base, arts, ghosts=year == "2024"))

    def h_sitemap_index(self, request) -> Response:
        base = self.base(request)
        if self.spec.name == "vnpt-newsroom":
            parts = [(f"/sitemap-{c}.xml", self.store.by_cat[c]) for c in self.spec.categories]
        else:
            years = sorted({a.date.year for a in self.store.articles}, reverse=True)
            parts = [(f"/sitemap-{y}.xml", [a for a in self.store.articles if a.date.year == y]) for y in years]
        index = feeds.sitemap_index(base, [(p, arts[0].date if arts else None) for p, arts in parts])
        return self.xml(request, index)

    def h_news_sitemap(self, request) -> Response:
        newest = self.store.articles[:1000]
        return self.xml(request, feeds.news_sitemap(self.spec, self.base(request), newest))

    def h_rss(self, request, cat: str | None = None) -> Response:
        arts = self.store.by_cat[cat] if cat else self.store.articles
        if self.spec.feed_limit:
            arts = arts[: self.spec.feed_limit]
        link_for = self.old_url if self.spec.name == "thanhhoa-portal" else None
        rss = feeds.rss(self.spec, self.base(request), arts, cat, old_link=link_for)
        return self.xml(request, rss, "application/rss+xml")

    def h_atom(self, request) -> Response:
        arts = self.store.articles[: self.spec.feed_limit or None]
        atom = feeds.atom(self.spec, self.base(request), arts)
        return self.xml(request, atom, "application/atom+xml")
