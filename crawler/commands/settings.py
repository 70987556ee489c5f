"""``scrapy settings --get NAME``: Scrapy's own command, reading ``-s CDS_<NAME>`` and checking
types as every project command does, so it prints what a crawl would use."""

from __future__ import annotations

from scrapy.commands.settings import Command as ScrapySettings

from crawler.commands._common import ProjectCommand


class Command(ProjectCommand, ScrapySettings):
    pass
