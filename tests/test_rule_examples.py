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


# ----------------------------------------------------------------------------- declared fix availability
from qa.model.findings import Applicability, FixAvailability  # noqa: E402


def _findings(shipped, rid, ex):
    cache, g = shipped
    if ex.lang not in cache:
        cache[ex.lang] = GlossaryIndex.build(g, ex.lang)
    checker = Checker(index=cache[ex.lang], lang=ex.lang, select=[rid])
    if ex.source is not None:
        from qa.engine.bilingual import check_pair

        return check_pair(checker, ex.source, ex.text, ex.source_lang)[0]
    return checker.check_text(ex.text)[0]


@pytest.mark.parametrize("rid", sorted(RULES))
def test_every_rule_keeps_to_its_declared_fix_availability(shipped, rid):
    rule = RULES[rid]
    found = [f for ex in rule.examples for f in _findings(shipped, rid, ex)]
    assert found, f"{rid}: no example is flagged"
    for f in found:
        if rule.fix is FixAvailability.NEVER:
            assert f.fix is None, f
        elif rule.fix is FixAvailability.ALWAYS:
            assert f.fix is not None, f
        if f.fix is not None:
            assert f.fix.applicability in rule.applicability, f


def test_a_near_miss_tie_is_unsafe_as_the_rule_declares(tmp_path):
    """Glinken is one edit from Blinken and from Klinken: the fix picks one, so it is unsafe."""
    from qa.text.glossary import parse_glossary

    g = parse_glossary('[glossary]\nformat = 1\n'
                       '[[term]]\nid = "antony-blinken"\nkind = "person"\nforms.en = "Antony Blinken"\n'
                       '[[term]]\nid = "lena-klinken"\nkind = "person"\nforms.en = "Lena Klinken"\n', "g.toml")
    checker = Checker(index=GlossaryIndex.build(g, "en"), lang="en", select=["name/near-miss"])
    [f] = checker.check_text("Secretary of State Glinken met his counterparts.\n")[0]
    assert f.text == "Glinken" and f.fix.applicability is Applicability.UNSAFE
    assert RULES["name/near-miss"].applicability == {Applicability.SAFE, Applicability.UNSAFE}
    [g1] = checker.check_text("Secretary of State Blnken met his counterparts.\n")[0]
    assert g1.fix.applicability is Applicability.SAFE  # one name within reach: safe
