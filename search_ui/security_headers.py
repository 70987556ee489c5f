"""Security headers on every response, whichever server runs the app (gunicorn or `make run`).

The pages load only their own files: search.js and style.css, no inline script, style attribute
or event handler (the subscribe page's copy button lives in search.js), and the charts are SVG
drawn on the server with presentation attributes, which a CSP does not govern. So the policy can
be ``'self'`` everywhere without ``'unsafe-inline'``: an injected ``<script>`` or ``onerror=``
does not run even if some escaping were ever missed. ``frame-ancestors 'none'`` (and
X-Frame-Options for older browsers) stops the pages being framed for clickjacking.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Links out to the provinces' portals carry our origin, never the search in the URL.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
