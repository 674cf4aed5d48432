"""The known-word table behind name evidence: built once, saved, reloaded identically."""
from __future__ import annotations

from qa.text import evidence


def test_table_round_trips_through_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("COPYDESK_NO_CACHE", raising=False)
    monkeypatch.setattr(evidence, "KNOWN_WORD_LANGS", ("ro",))  # a small list keeps the test fast
    monkeypatch.setattr(evidence, "_TABLE", None)
    monkeypatch.setattr(evidence, "_KNOWN_CACHE", {})
    built = evidence._known_table()
    assert list(tmp_path.glob("known-words-*.bin"))
    words = ["și", "bucurești", "glinkenxq"]
    first = [evidence.known_anywhere(w) for w in words]
    assert first[0] == 2.0 and first[2] == 0.0
    monkeypatch.setattr(evidence, "_TABLE", None)
    monkeypatch.setattr(evidence, "_KNOWN_CACHE", {})
    loaded = evidence._known_table()
    assert [list(t) for t in loaded] == [list(t) for t in built]
    assert [evidence.known_anywhere(w) for w in words] == first
    # levels nest: every word known at 2.0 is known at 1.5 and at all
    assert set(loaded[2]) <= set(loaded[1]) <= set(loaded[0])


def test_table_agrees_with_wordfreqs_own_frequencies(monkeypatch):
    """The table is built from wordfreq's packed buckets; wordfreq's public
    frequency dict must put every word at the same level."""
    import math

    from wordfreq import get_frequency_dict

    monkeypatch.setattr(evidence, "KNOWN_WORD_LANGS", ("ro",))
    tables = evidence._build_known_tables()
    freqs = get_frequency_dict("ro", "best")
    want = [set(), set(), set()]
    for w, f in freqs.items():
        z = math.log10(f) + 9
        for lvl, cut in enumerate(evidence._LEVELS):
            if cut == 0 or z >= cut - 1e-9:
                want[lvl].add(evidence._hash(w))
    assert [len(t) for t in tables] == [len(s) for s in want]
    assert [set(t) == s for t, s in zip(tables, want)] == [True, True, True]
    assert list(tables[0]) == sorted(tables[0])  # bisect needs them sorted
