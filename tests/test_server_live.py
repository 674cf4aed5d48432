"""`copydesk serve` as a real process on a free loopback port: schemathesis
against its OpenAPI document, the `language_tool_python` client pointed at it,
the limits over a real socket, and `--workers 2`. Each server is stopped at
the end of its test module."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Live:
    def __init__(self, *args: str, env: dict | None = None, cwd: Path | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", "0", "--no-config", *args],
                                     stderr=subprocess.PIPE, text=True, cwd=cwd or ROOT,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        seen = []
        for _ in range(50):  # "copydesk serve: http://127.0.0.1:PORT ..." once it listens (after any warning)
            line = self.proc.stderr.readline()
            seen.append(line)
            if not line or line.startswith("copydesk serve: http://"):
                break
        if not line.startswith("copydesk serve: http://"):
            self.stop()
            raise RuntimeError(f"copydesk serve did not start: {''.join(seen)[-2000:]}")
        self.log: list[str] = []  # drained, so that a chatty server never blocks on a full pipe
        threading.Thread(target=lambda: self.log.extend(iter(self.proc.stderr.readline, "")), daemon=True).start()
        self.url = line.split()[2]
        self.port = int(self.url.rsplit(":", 1)[1])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # --workers: wait until a worker answers
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("copydesk serve never answered /health")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        try:
            self.proc.stderr.close()
        except (OSError, ValueError):  # the drain thread may be reading it
            pass


@pytest.fixture(scope="module")
def live():
    server = Live("--max-body", "200000", "--time-limit", "5")
    yield server
    server.stop()
    assert server.proc.returncode == 0


def _request(live, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    c = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


# ----------------------------------------------------------------------------- schemathesis
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402


@pytest.fixture(scope="module")
def live_schema(live):
    return schemathesis.openapi.from_url(live.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("live_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_openapi_document_holds(case):
    """Every operation, generated requests: no 500, status codes, content types
    and bodies as the document says. (Not "positive data accepted": content
    the schema cannot judge -- an unknown ISO code of the right shape, text
    that is not XLIFF sent as XLIFF -- is a documented 422 with its reason.)"""
    from schemathesis.checks import positive_data_acceptance

    case.call_and_validate(timeout=30, excluded_checks=[positive_data_acceptance])


# ----------------------------------------------------------------------------- a real LanguageTool client
def test_language_tool_python_client(live, tmp_path, monkeypatch):
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))  # where it would download LanguageTool: must stay empty
    import language_tool_python

    with language_tool_python.LanguageTool("en-US", remote_server=live.url) as tool:
        text = "Fans 😀 cheered. Ukrainian Foreign Minister Koeleba met Poetin in Lugansk."
        matches = tool.check(text)
        got = [(m.rule_id, text[m.offset:m.offset + m.error_length], m.replacements[:1]) for m in matches]
        assert got == [("name/transliteration", "Koeleba", ["Kuleba"]), ("name/transliteration", "Poetin", ["Putin"]),
                       ("name/transliteration", "Lugansk", ["Luhansk"])]
        assert tool.correct(text) == text.replace("Koeleba", "Kuleba").replace("Poetin", "Putin") \
            .replace("Lugansk", "Luhansk")
        tool.disabled_rules.update({"name/transliteration"})
        assert tool.check(text) == []
        assert tool.check("The talks went on.") == []
    with language_tool_python.LanguageTool("nl-NL", remote_server=live.url) as tool:
        assert [m.replacements[0] for m in tool.check("Minister Kuleba sprak met Poetin.")] == ["Koeleba"]
    assert not any((tmp_path / "ltp").rglob("*.jar"))


# ----------------------------------------------------------------------------- limits over a socket
def test_body_limit_and_errors_over_the_socket(live):
    big = json.dumps({"text": "word " * 50_000}).encode()
    status, body = _request(live, "POST", "/v1/check", big, {"Content-Type": "application/json"})
    assert status == 413 and b"limit of 200,000 bytes" in body
    status, body = _request(live, "POST", "/v1/check", b'{"text": "Koeleba said."}', {"Content-Type": "application/json"})
    assert status == 200 and json.loads(body)["files"][0]["findings"][0]["text"] == "Koeleba"
    status, body = _request(live, "GET", "/health", headers={"Host": "rebound.attacker.example"})
    assert status == 400
    status, body = _request(live, "POST", "/v2/check", b"language=en-US",
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and body == b"Error: missing 'text' or 'data' parameter"


def test_token_and_workers(tmp_path):
    """A token (required for a non-loopback bind, allowed on loopback, where
    tests bind), two worker processes: the token is required, and /metrics
    counts the requests of both workers."""
    tok = tmp_path / "token"
    tok.write_text("0123456789abcdef-token\n")
    server = Live("--token-file", str(tok), "--workers", "2")
    try:
        status, _ = _request_host(server, "POST", "/v1/check", b'{"text": "x"}', {"Content-Type": "application/json"})
        assert status == 401
        auth = {"Authorization": "Bearer 0123456789abcdef-token", "Content-Type": "application/json"}
        for _ in range(6):
            status, body = _request_host(server, "POST", "/v1/check", b'{"text": "Poetin spoke."}', auth)
            assert status == 200
        status, body = _request_host(server, "GET", "/metrics", None, auth)
        text = body.decode()
        line = next(x for x in text.splitlines()
                    if x.startswith("copydesk_http_requests_total") and 'route="/v1/check"' in x and '"200"' in x)
        assert float(line.rsplit(" ", 1)[1]) == 6.0
        assert 'copydesk_findings_total{rule="name/transliteration"} 6.0' in text
    finally:
        server.stop()


def _request_host(server, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()
