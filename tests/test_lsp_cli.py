"""``copydesk lsp`` as a command: in --help, bad options, and the adapter's imports."""
from __future__ import annotations

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
