"""PUBLIC_URL: the address readers use to reach the UI, whatever the request said.

Behind a reverse proxy the ``Host`` header is whatever the client (or the proxy) sent, and feed
readers store the links a feed gives them, so a feed fetched as ``http://10.0.0.5:5000`` or with a
forged ``Host`` would hand out links to the wrong place. With PUBLIC_URL set, every request is
served as if it came to that base URL (scheme, host and path prefix, like werkzeug's ProxyFix but
from configuration rather than from headers), so ``url_for(..., _external=True)`` and
``request.host_url`` give the public address.
"""

from __future__ import annotations

from urllib.parse import urlsplit


class PublicUrl:
    def __init__(self, app, public_url: str) -> None:
        parts = urlsplit(public_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"PUBLIC_URL (CDS_PUBLIC_URL) must be an http(s) URL such as "
                f"https://radar.example.vn/, got {public_url!r}"
            )
        self.app = app
        self.scheme, self.host, self.prefix = parts.scheme, parts.netloc, parts.path.rstrip("/")

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        if self.prefix:
            path = environ.get("PATH_INFO", "")
            if path == self.prefix or path.startswith(self.prefix + "/"):  # proxy kept the prefix
                environ["PATH_INFO"] = path[len(self.prefix) :] or "/"
            environ["SCRIPT_NAME"] = self.prefix
        return self.app(environ, start_response)
