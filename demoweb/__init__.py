"""Local copies of Vietnamese provincial portals and press sites, served over real HTTP.

Real sites cannot be reached from the build machines, so `make run`, the tests and the benchmarks
crawl these instead. Each article's text and its ground truth live together in content/.
"""

from .server import DemoWeb
from .sites import Site

__all__ = ["DemoWeb", "Site"]
