"""``/metrics`` in the Prometheus text format (prometheus_client): requests by
route and status, a latency histogram by route, findings by rule.

Each app has its own registry (tests build several apps in one process). With
``--workers N`` the serve command sets ``PROMETHEUS_MULTIPROC_DIR`` (a fresh
temporary folder of its own) and every worker's counts are summed, whichever
worker answers the scrape.
"""
from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

# latency buckets for a check of a few KB (seconds)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        multi = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        self.registry = CollectorRegistry()
        if multi:
            from prometheus_client import multiprocess

            multiprocess.MultiProcessCollector(self.registry)
        reg = None if multi else self.registry  # multiprocess values live in the folder's files
        self.requests = Counter("copydesk_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=reg)
        self.latency = Histogram("copydesk_http_request_duration_seconds", "time to answer a request",
                                 ["route"], buckets=BUCKETS, registry=reg)
        self.findings = Counter("copydesk_findings", "findings reported, by rule", ["rule"], registry=reg)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def count_findings(self, findings) -> None:
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        for rule, n in counts.items():
            self.findings.labels(rule).inc(n)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
