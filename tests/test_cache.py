"""The compiled-glossary cache: same findings as a fresh compile, keyed by content, safe."""
from __future__ import annotations

import pytest

from qa.text import cache
from qa.engine.checker import Checker

TEXT = "Minister Koeleba met Glinken in Kiev. Putins plan. Shajtar Donetsk won.\n"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(d))
    monkeypatch.delenv("COPYDESK_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_TERMS", 1)  # cache even a small glossary here
    return d


def findings(index):
    fs, _ = Checker(index=index, lang=index.lang, select=["name"]).check_text(TEXT)
    return [f.to_json(TEXT) for f in fs]


def test_cached_index_gives_the_same_findings(cache_dir, mini_glossary_path):
    sources = cache.read_sources([mini_glossary_path])
    g1, fresh = cache.compile_glossary(sources, "en")
    files = list(cache_dir.glob("*.msgpack"))
    assert len(files) == 1
    g2, cached = cache.compile_glossary(sources, "en")
    assert cached is not fresh and [t.id for t in g2.terms] == [t.id for t in g1.terms]
    assert findings(cached) == findings(fresh) and len(findings(fresh)) == 5
    assert set(cached.by_token) == set(fresh.by_token) and set(cached.deletes) == set(fresh.deletes)


def test_key_changes_with_content_and_language(cache_dir, mini_glossary_path, tmp_path):
    sources = cache.read_sources([mini_glossary_path])
    assert cache.cache_key(sources, "en") != cache.cache_key(sources, "de")
    edited = [(p, t.replace("Dmytro Kuleba", "Dmytro Kouleba")) for p, t in sources]
    assert cache.cache_key(sources, "en") != cache.cache_key(edited, "en")


def test_a_corrupt_cache_is_ignored_and_rewritten(cache_dir, mini_glossary_path):
    sources = cache.read_sources([mini_glossary_path])
    _, fresh = cache.compile_glossary(sources, "en")
    (f,) = cache_dir.glob("*.msgpack")
    f.write_bytes(b"\x00not msgpack")
    _, again = cache.compile_glossary(sources, "en")
    assert findings(again) == findings(fresh)
    assert f.read_bytes()[:1] != b"\x00"  # rewritten


def test_no_cache_switch(cache_dir, mini_glossary_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_NO_CACHE", "1")
    cache.compile_glossary(cache.read_sources([mini_glossary_path]), "en")
    assert not cache_dir.exists() or not list(cache_dir.glob("*"))
