"""``copydesk lsp`` as a command: in --help, bad options, and the adapter's imports."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_lsp_is_in_help_and_bad_options_exit_2():
    run = lambda *a: subprocess.run([sys.executable, "-m", "qa", *a], capture_output=True, text=True, cwd=ROOT)
    assert re.search(r"^\s+lsp\s", run("--help").stdout, re.M)
    r = run("lsp", "--lang", "xx")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "unknown language code" in r.stderr
    r = run("lsp", "--max-chars", "0")
    assert r.returncode == 2 and "--max-chars" in r.stderr


def test_the_server_does_not_load_the_tui():
    code = "import sys, qa.lsp.server, qa.cli.main; print(sorted(m for m in sys.modules if m.split('.')[0] in ('tui', 'textual')))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == "[]"


def _message(obj: dict) -> bytes:
    body = json.dumps(obj).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(stream) -> dict:
    """One LSP message from ``stream`` (headers, a blank line, the JSON body)."""
    n = None
    while True:
        line = stream.readline()
        assert line, "the server closed its output"
        if line in (b"\r\n", b"\n"):
            break
        m = re.match(rb"Content-Length: (\d+)", line)
        if m:
            n = int(m.group(1))
        else:
            assert line.startswith(b"Content-Type:"), line  # stdout holds LSP messages and nothing else
    return json.loads(stream.read(n))


def test_a_session_ends_with_exit_code_0_and_nothing_but_messages_on_stdout(tmp_path):
    """An editor's whole session over raw stdio: initialize, open, diagnostics, shutdown, exit."""
    doc = {"uri": (tmp_path / "a.md").as_uri(), "languageId": "markdown", "version": 1,
           "text": "Kyiv talks\n\nMinister Koeleba said so.\n"}
    p = subprocess.Popen([sys.executable, "-m", "qa", "lsp", "--no-config", "--glossary", str(ROOT / "examples")],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        p.stdin.write(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}}))
        p.stdin.write(_message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        p.stdin.write(_message({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}}))
        p.stdin.flush()
        while (m := _read(p.stdout)).get("method") != "textDocument/publishDiagnostics":
            pass
        assert m["params"]["diagnostics"][0]["code"] == "name/transliteration"
        p.stdin.write(_message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        p.stdin.write(_message({"jsonrpc": "2.0", "method": "exit"}))
        p.stdin.flush()
        while (m := _read(p.stdout)).get("id") != 2:
            pass
        assert p.wait(timeout=60) == 0
        assert b"internal error" not in p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
