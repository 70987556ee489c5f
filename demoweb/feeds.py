"""robots.txt, sitemaps (plain, index, Google News) and RSS/Atom feeds for a demo site.

Dates go into every machine-readable channel (lastmod, news:publication_date, pubDate, updated)
because on some sites that is the only place the year appears.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .dates import iso, rfc822


def robots(spec, base: str) -> str:
    lines = ["User-agent: *"] + [f"Disallow: {p}" for p in spec.disallow]
    if spec.advertise_sitemap:
        lines += ["", f"Sitemap: {base}/sitemap.xml"]
    lines.append("")
    return "\n".join(lines)


def urlset(spec, base: str, arts, ghosts: bool = False) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for a in arts:
        out.append(
            f"<url><loc>{escape(base + spec.article_path(a))}</loc>"
            f"<lastmod>{iso(a.date)}</lastmod><changefreq>monthly</changefreq></url>"
        )
    if ghosts:
        for path, _title, _status in spec.ghosts:
            out.append(f"<url><loc>{escape(base + path)}</loc></url>")
    out.append("</urlset>")
    return "\n".join(out)


def sitemap_index(base: str, parts) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path, newest in parts:
        lastmod = f"<lastmod>{iso(newest)}</lastmod>" if newest else ""
        out.append(f"<sitemap><loc>{escape(base + path)}</loc>{lastmod}</sitemap>")
    out.append("</sitemapindex>")
    return "\n".join(out)


def news_sitemap(spec, base: str, arts) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for a in arts:
        out.append(
            f"<url><loc>{escape(base + spec.article_path(a))}</loc><news:news><news:publication>"
            f"<news:name>{escape(spec.label)}</news:name><news:language>vi</news:language>"
            f"</news:publication><news:publication_date>{iso(a.date)}</news:publication_date>"
            f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        )
    out.append("</urlset>")
    return "\n".join(out)


def rss(spec, base: str, arts, cat=None, old_link=None) -> str:
    title = spec.label + (f" - {spec.categories[cat]}" if cat else "")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(base)}/</link>",
        "<description>Tin tức</description><language>vi-vn</language>",
    ]
    for a in arts:
        canonical = base + spec.article_path(a)
        link = base + old_link(a) if old_link and "redirect" in a.mess else canonical
        out.append(
            f"<item><title>{escape(a.title)}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="true">{escape(canonical)}</guid>'
            f"<description>{escape(a.lead)}</description>"
            f"<pubDate>{rfc822(a.date)}</pubDate></item>"
        )
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(spec, base: str, arts) -> str:
    updated = iso(arts[0].date) if arts else "2020-01-01T00:00:00+07:00"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(spec.label)}</title><id>{escape(base)}/</id>",
        f'<link href="{escape(base)}/"/><updated>{updated}</updated>',
    ]
    for a in arts:
        url = escape(base + spec.article_path(a))
        out.append(
            f'<entry><title>{escape(a.title)}</title><link href="{url}"/><id>{url}</id>'
            f"<published>{iso(a.date)}</published><updated>{iso(a.date)}</updated>"
            f"<summary>{escape(a.lead)}</summary></entry>"
        )
    out.append("</feed>")
    return "\n".join(out)
