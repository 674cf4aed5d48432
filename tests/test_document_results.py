"""Document results are declared, typed fields (no string-keyed blackboard)."""
from __future__ import annotations

import pytest

from qa.engine.document import Document, LanguageStats, Results
from qa.engine.registry import check
from qa.rules import load_builtin_rules


def test_a_check_can_only_use_declared_results():
    load_builtin_rules()
    with pytest.raises(ValueError, match="no declared result"):
        check("bogus", rules=["name/near-miss"], uses=("name_matchez",))


def test_reset_restores_each_default():
    r = Results()
    r.name_matches = []
    r.language_stats.units = 3
    r.reset("name_matches")
    r.reset("language_stats")
    assert r.name_matches is None
    assert r.language_stats == LanguageStats()
    assert r.language_stats is not Results().language_stats  # a fresh one, not shared


def test_name_spans_run_the_matcher_once_and_known_spans_never_do():
    from qa.text.glossary import load_glossaries
    from qa.text.index import GlossaryIndex

    idx = GlossaryIndex.build(load_glossaries(), "en")
    doc = Document(text="Volodymyr Zelensky met Kiev officials.", lang="en", index=idx)
    assert doc.known_name_spans == ()  # the matcher has not run
    spans = list(doc.name_spans)
    assert spans == [(0, 18), (23, 27)]  # Volodymyr Zelensky, Kiev
    assert list(doc.known_name_spans) == spans
    assert doc.results.name_matches is not None
