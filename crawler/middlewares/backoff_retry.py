"""Scrapy's RetryMiddleware plus exponential backoff and Retry-After.

Stock retries fire again at once, which is exactly wrong for an overloaded provincial portal
answering 503. Each retry here waits base * 2**(n-1) seconds (capped), or what the server's
Retry-After asks, before it is downloaded.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from crawler.meta import BACKOFF

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.base_delay = settings.getfloat("BACKOFF_RETRY_BASE_DELAY")
        self.max_delay = settings.getfloat("BACKOFF_RETRY_MAX_DELAY")

    async def process_request(self, request):
        delay = request.meta.pop(BACKOFF, 0)
        if delay:
            from twisted.internet import reactor  # the one Scrapy installed; never at import time

            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None

    def process_response(self, request, response):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self._backoff(result, f"HTTP {response.status}", response.headers.get("Retry-After"))
        return result

    def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self._backoff(result, type(exception).__name__, None)
        return result

    def _backoff(self, request: Request, reason: str, retry_after: bytes | None) -> None:
        n = request.meta.get("retry_times", 1)
        delay = min(self.max_delay, self.base_delay * 2 ** (n - 1))
        if retry_after and retry_after.strip().isdigit():
            delay = min(self.max_delay, max(delay, float(retry_after.strip())))
        request.meta[BACKOFF] = delay
        logger.info("%s for %s: retry %d in %.1fs", reason, request.url, n, delay)
