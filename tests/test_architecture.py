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


ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def test_layer_contract_holds():
    """pyproject.toml's [tool.importlinter] layers, checked by import-linter
    (imports inside functions count; imports for type checkers only do not)."""
    import os

    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        os.chdir(cwd)


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for m in sorted(graph.modules):
        if m not in index:
            visit(m)
    return out


def test_no_import_cycles_anywhere():
    import grimp

    graph = grimp.build_graph("qa", "tui", exclude_type_checking_imports=True)
    assert len(graph.modules) > 40  # the whole code base was read
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    class G:
        modules = {"a", "b", "c"}

        def find_modules_directly_imported_by(self, m):
            return {"a": {"b"}, "b": {"a"}, "c": set()}[m]

    assert _cycles(G()) == [["a", "b"]]


def test_cli_formats_match_the_report_layer():
    """Every report format the report layer renders is offered by check and audit, and
    audit's --fail-on offers the severities the configuration file accepts."""
    from qa.cli.main import build_parser
    from qa.project.config import FAIL_ON
    from qa.report.render import FORMATS

    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for cmd in ("check", "audit"):
        fmt = next(a for a in sub.choices[cmd]._actions if "--format" in a.option_strings)
        assert tuple(fmt.choices) == FORMATS == ("text", "json", "jsonl", "csv", "sarif")
    fail_on = next(a for a in sub.choices["audit"]._actions if "--fail-on" in a.option_strings)
    assert tuple(fail_on.choices) == FAIL_ON == ("error", "warning", "never")
