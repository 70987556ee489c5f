"""``scrapy crawl source -a source=<name> [-a full=1]``: Scrapy's own command, with an exit code
that tells the truth. Cron and systemd only see the exit status, so a run whose outcome is
FAILED (see crawler.extensions.run_recorder) exits 1, like a spider that failed to start.
DEGRADED runs exit 0: what could be fetched was, and the rest is owed to the next run.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.commands._common import ProjectCommand, writable_data_dir


class Command(ProjectCommand, ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        writable_data_dir(self.settings)
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        outcome = crawler.stats.get_value("cds/run/outcome") if crawler.stats else None
        if self.crawler_process.bootstrap_failed or outcome == "FAILED":
            self.exitcode = 1
