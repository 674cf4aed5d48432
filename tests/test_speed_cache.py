"""The compiled glossary read back from the cache (flat tables, lazy terms and
shapes, qa/text/lazyindex.py) answers every look-up as the freshly built index,
and loads without building its terms."""
from __future__ import annotations

import pytest

from qa.engine.checker import Checker
from qa.text import cache
from qa.text.index import GlossaryIndex
from qa.text.lazyindex import LazySeq, Table

TABLES = ("by_token", "starts", "by_skeleton", "accepted_token_owner", "accepted_tokens", "deletes")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(d))
    monkeypatch.delenv("COPYDESK_NO_CACHE", raising=False)
    return d


def _shape_view(shape):
    return (shape.term.id, shape.k, shape.surname_only, shape.replacement, list(shape.preferred),
            [sorted((k, sp.status, sp.source, sp.text) for k, sp in pos.items()) for pos in shape.positions])


def _value_view(name, value):
    if name == "starts":
        return [_shape_view(sh) for sh in value]
    if name in ("by_token", "by_skeleton", "accepted_token_owner"):
        return [(_shape_view(sh), j) for sh, j in value]
    return sorted(value)  # term ids, delete targets


@pytest.mark.parametrize("lang", ["en", "de"])
def test_cached_tables_equal_fresh_ones(cache_dir, lang):
    sources = cache.read_sources(None)  # the shipped glossaries
    glossary = cache.parse_sources(sources)
    fresh = GlossaryIndex.build(glossary, lang)
    cache.compile_glossary(sources, lang)  # compiles and stores
    _g, cached = cache.compile_glossary(sources, lang)  # reads the flat tables back
    assert isinstance(cached.by_token, Table) and isinstance(cached.shapes, LazySeq)
    for name in TABLES:
        f, c = getattr(fresh, name), getattr(cached, name)
        assert set(c) == set(f), name
        assert len(c) == len(f), name
        for key in f:
            assert key in c
            assert _value_view(name, c[key]) == _value_view(name, f[key]), (name, key)
        assert c.get("no such key \u2603") is None and "no such key \u2603" not in c
    assert [_shape_view(s) for s in cached.shapes] == [_shape_view(s) for s in fresh.shapes]
    for term in glossary.terms:
        assert [_shape_view(s) for s in cached.term_shapes(term.id)] == \
               [_shape_view(s) for s in fresh.term_shapes(term.id)]
    assert {k: [(f, _shape_view(s)) for f, s in v] for k, v in cached.phrases.items()} == \
           {k: [(f, _shape_view(s)) for f, s in v] for k, v in fresh.phrases.items()}
    assert cached.acronym_keys() == fresh.acronym_keys()
    assert cached.max_k == fresh.max_k


def test_cached_load_builds_no_term_until_asked(cache_dir):
    sources = cache.read_sources(None)
    cache.compile_glossary(sources, "en")
    g, idx = cache.compile_glossary(sources, "en")
    rows = g.terms._rows
    assert all(t is None for t in rows.memo)  # nothing unpacked by the load itself
    fs, _ = Checker(index=idx, lang="en", select=["name"]).check_text("Minister Koeleba met officials in Kiev.\n")
    assert {f.term for f in fs} >= {"dmytro-kuleba", "kyiv"}
    built = sum(t is not None for t in rows.memo)
    assert 0 < built < len(rows.memo) / 2  # only the terms the text touched
    assert g.terms[0] is g.terms[0]  # one object per term


def test_a_glossary_with_a_nul_in_a_form_is_compiled_not_cached(cache_dir, tmp_path):
    gl = tmp_path / "g.toml"
    gl.write_text('[glossary]\nformat = 1\nname = "g"\n\n[[term]]\nid = "x"\nkind = "place"\n'
                  'forms.en = "Odd\\u0000Name"\n', encoding="utf-8")
    sources = cache.read_sources([gl])
    cache.compile_glossary(sources, "en")
    assert not list(cache_dir.glob("*.msgpack"))  # not storable in the flat layout: compiled each time
    _g, idx = cache.compile_glossary(sources, "en")
    assert not isinstance(idx.by_token, Table)
