"""The engine stays free of the UI (as Harlequin tests its core)."""
from __future__ import annotations

import subprocess
import sys


def test_qa_never_imports_textual():
    code = (
        "import sys, pkgutil, importlib, qa, qa.rules\n"
        "for m in pkgutil.walk_packages(qa.__path__, 'qa.'):\n"
        "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
        "from qa.rules import load_builtin_rules; load_builtin_rules()\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.') or n == 'tui' or n.startswith('tui.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"qa imported UI modules: {out}"


def test_every_rule_is_documented_and_has_examples():
    from qa.engine.registry import RULES
    from qa.rules import load_builtin_rules

    load_builtin_rules()
    assert RULES
    for r in RULES.values():
        assert r.summary, r.id
        assert any(e.flagged for e in r.examples), f"{r.id} has no positive example"
        assert any(not e.flagged for e in r.examples), f"{r.id} has no negative example"
