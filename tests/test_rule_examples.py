"""Every rule's own examples hold (checks as data, like proselint)."""
from __future__ import annotations

import pytest

from qa.engine.checker import Checker
from qa.engine.fixes import apply_fixes
from qa.text.glossary import load_glossaries
from qa.text.index import GlossaryIndex
from qa.engine.registry import RULES
from qa.rules import load_builtin_rules

load_builtin_rules()
CASES = [(rid, i, ex) for rid, r in sorted(RULES.items()) for i, ex in enumerate(r.examples)]


@pytest.fixture(scope="module")
def shipped():
    g = load_glossaries()
    return {}, g


@pytest.mark.parametrize("rid, i, ex", CASES, ids=[f"{rid}#{i}" for rid, i, _ in CASES])
def test_rule_example(shipped, rid, i, ex):
    cache, g = shipped
    if ex.lang not in cache:
        cache[ex.lang] = GlossaryIndex.build(g, ex.lang)
    checker = Checker(index=cache[ex.lang], lang=ex.lang, select=[rid])
    if ex.source is not None:  # a bilingual rule: the text is checked against its source
        from qa.engine.bilingual import check_pair

        findings, _, _ = check_pair(checker, ex.source, ex.text, ex.source_lang)
    else:
        findings, _ = checker.check_text(ex.text)
    assert bool(findings) == ex.flagged, findings
    if ex.fixed is not None:
        assert apply_fixes(ex.text, [f.fix for f in findings if f.fix]) == ex.fixed
