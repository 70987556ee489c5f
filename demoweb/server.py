"""DemoWeb: every demo site on its own loopback address (127.0.0.11, .12, …) at one shared port.

Distinct hosts matter: Scrapy keeps robots.txt and download slots per host, so one process with
six addresses behaves like six independent web servers. The whole 127.0.0.0/8 is routed to lo
on Linux, so no setup is needed.

Outages, for fault tests and benchmarks: ``go_down()`` closes the sites' sockets (connections are
refused, as when a portal's server is off), ``come_back()`` listens again on the same port, and
``fail_with(500)`` keeps the sites up but answers every request with that status.
"""

from __future__ import annotations

import socket
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import SiteApp
from .sites import Site
from .world import build_world


class _QuietHandler(WSGIRequestHandler):
    """Crawls make thousands of requests; per-request log lines would drown test output."""

    def log_request(self, *args, **kwargs) -> None:
        pass

    def parse_request(self) -> bool:
        """A site taken down drops its open keep-alive connections too, unanswered, as a server
        that went off would: closing the listening socket alone leaves them serving."""
        if getattr(self.server, "cds_down", False):
            self.close_connection = True
            return False
        return super().parse_request()


class DemoWeb:
    """Serve the demo web in background threads; ``port=0`` picks a port free on every address."""

    def __init__(self, port: int = 0, articles: int | None = None, seed: int = 1):
        self.requested_port, self.seed, self.n_generated = port, seed, articles
        self.stores = build_world(articles, seed)
        self.apps = {name: SiteApp(store) for name, store in self.stores.items()}
        self.port: int | None = port or None  # known up front unless port=0
        self._servers: dict[str, object] = {}
        self._threads: dict[str, threading.Thread] = {}
        self.failing: dict[str, int] = {}  # site -> status every request gets

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> DemoWeb:
        if self._servers:
            return self
        for _attempt in range(50):
            port = self.requested_port or _free_port(self.stores_hosts()[0])
            try:
                self._bind_all(port)
                break
            except OSError:
                self._close_servers()
                if self.requested_port:
                    raise
        else:
            raise OSError("no port free on all demo addresses")
        self.port = port
        for name in self._servers:
            self._serve(name)
        return self

    def _bind_all(self, port: int, names=None) -> None:
        for name in names or list(self.apps):
            host = self.stores[name].spec.host
            self._servers[name] = make_server(
                host, port, self._switch(name), threaded=True, request_handler=_QuietHandler
            )

    def _serve(self, name: str) -> None:
        srv = self._servers[name]
        t = threading.Thread(target=srv.serve_forever, name=f"demoweb-{srv.host}", daemon=True)
        t.start()
        self._threads[name] = t

    def _switch(self, name: str):
        """The site's app, unless ``fail_with`` made it answer every request with an error."""

        def app(environ, start_response):
            status = self.failing.get(name)
            if status:
                start_response(f"{status} Outage", [("Content-Type", "text/plain; charset=utf-8")])
                return [f"{status}: site unavailable\n".encode()]
            return self.apps[name](environ, start_response)

        return app

    def _close_servers(self, names=None) -> None:
        for name in names or list(self._servers):
            self._servers.pop(name).server_close()

    def stop(self, names=None) -> None:
        names = [n for n in (names or list(self._servers)) if n in self._servers]
        for name in names:
            self._servers[name].shutdown()
        for name in names:
            self._threads.pop(name).join(timeout=5)
        self._close_servers(names)

    # -- outages ----------------------------------------------------------------------------
    def go_down(self, names=None) -> None:
        """Stop answering: the sites' sockets close, so new connections are refused, and open
        keep-alive connections are dropped at their next request."""
        for name in names or list(self._servers):
            if name in self._servers:
                self._servers[name].cds_down = True
        self.stop(names)

    def come_back(self, names=None) -> None:
        """Listen again, on the same port, after ``go_down``."""
        names = [n for n in (names or list(self.apps)) if n not in self._servers]
        self._bind_all(self.port, names)
        for name in names:
            self._serve(name)

    def fail_with(self, status: int | None, names=None) -> None:
        """Answer every request of the sites with ``status`` (None: serve normally again)."""
        for name in names or list(self.apps):
            if status:
                self.failing[name] = status
            else:
                self.failing.pop(name, None)

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what callers need ------------------------------------------------------------------
    def stores_hosts(self) -> list[str]:
        return [s.spec.host for s in self.stores.values()]

    def _base(self, name: str) -> str:
        if self.port is None:
            raise RuntimeError("DemoWeb not started: the port (and so every URL) is not known yet")
        return f"http://{self.stores[name].spec.host}:{self.port}"

    @property
    def sites(self) -> list[Site]:
        return [Site(n, s.spec.kind, s.spec.province, s.spec.host, self._base(n) + "/") for n, s in self.stores.items()]

    def url(self, site_name: str, path: str = "/") -> str:
        return self._base(site_name) + (path if path.startswith("/") else "/" + path)

    def ground_truth(self) -> list[dict]:
        """One record per article page, with absolute canonical URLs (see model.Article.truth)."""
        out = []
        for name, store in self.stores.items():
            base = self._base(name)
            for a in store.articles:
                rec = a.truth(base + store.spec.article_path(a), store.date_display(a))
                rec["encoding"] = " ".join(
                    [store.spec.charset] + ([store.spec.form] if store.spec.form != "NFC" else [])
                )
                out.append(rec)
        return out

    def special_urls(self) -> dict[str, list[str]]:
        """The deliberately broken or forbidden URLs, so tests need not hard-code them."""
        out: dict[str, list[str]] = {
            "404": [],
            "500": [],
            "redirect": [],
            "disallowed": [],
            "feeds": [],
            "sitemaps": [],
        }
        for name, store in self.stores.items():
            out["feeds"].append(self.url(name, store.spec.feed_path))
            out["sitemaps"].append(self.url(name, "/sitemap.xml"))
            for path, _t, status in store.spec.ghosts:
                out[str(status)].append(self.url(name, path))
            out["disallowed"] += [self.url(name, p) for p in store.spec.disallow]
            if name == "thanhhoa-portal":
                out["redirect"] += [
                    self.url(name, self.apps[name].old_url(a)) for a in store.articles if "redirect" in a.mess
                ]
        return out


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
