"""The result cache (qa/project/result_cache.py): what comes back from it is what a
fresh check finds, in every report format, and it is invalidated by what decides
the findings (the text, the glossary, the rules), never by anything else."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.cli.main import main
from qa.project import result_cache
from qa.project.project import Project
from qa.project.result_cache import ResultCache, check_item
from qa.report.render import FORMATS, render
from qa.sources.items import Item, stable_key

from conftest import MINI_GLOSSARY

ARTICLE = ("Officials in Kiev said on Monday that Dmitry Kuleba had met Antony Blinken.\n\n"
           "The the minister said the talks would go on â€” and  that Luhansk was shelled.\n")


@pytest.fixture
def results(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "results"
    monkeypatch.setenv("COPYDESK_RESULT_CACHE_DIR", str(d))
    monkeypatch.delenv("COPYDESK_NO_CACHE", raising=False)
    return d


@pytest.fixture
def desk(tmp_path, monkeypatch, results):
    (tmp_path / ".git").mkdir()
    (tmp_path / "g.toml").write_text(MINI_GLOSSARY, encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "news" / "b.md").write_text("Gisteren sprak Poetin in Kiew.\n\nDie Regierung in Kiew sagte das.\n",
                                           encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _entries(d: Path) -> int:
    return sum(1 for _ in d.rglob("*.json")) if d.exists() else 0


def _run(capsys, *argv) -> tuple[int, str]:
    rc = main(list(argv))
    return rc, capsys.readouterr().out


@pytest.mark.parametrize("fmt", FORMATS)
def test_cached_report_equals_a_fresh_one(desk, results, capsys, fmt):
    argv = ["check", "--no-config", "-g", "g.toml", "--format", fmt, "news"]
    fresh = _run(capsys, *argv, "--no-cache")
    assert _entries(results) == 0  # --no-cache writes nothing
    first = _run(capsys, *argv)
    assert _entries(results) == 2
    second = _run(capsys, *argv)
    assert fresh == first == second
    assert fresh[0] == 1 and "Kiev" in fresh[1]


def test_a_hit_does_not_check_again(desk, results, capsys, monkeypatch):
    argv = ["check", "--no-config", "-g", "g.toml", "--format", "json", "news"]
    first = _run(capsys, *argv)

    def boom(*a, **k):
        raise AssertionError("checked again")

    from qa.project.checking import ItemChecker

    monkeypatch.setattr(ItemChecker, "check_item", boom)
    assert _run(capsys, *argv) == first
    rc = main(["audit", "--no-config", "-g", "g.toml", "--format", "json", "--quiet", "--jobs", "1", "news"])
    audit = json.loads(capsys.readouterr().out)
    assert rc == 1 and audit["files"] == json.loads(first[1])["files"]


def test_what_decides_the_findings_invalidates(desk, results, capsys):
    argv = ["check", "--no-config", "-g", "g.toml", "--format", "json", "news/a.txt"]
    _rc, out = _run(capsys, *argv)
    assert "Kiev" in out
    # another glossary (Kiev no longer a listed wrong form)
    (desk / "g.toml").write_text(MINI_GLOSSARY.replace('wrong.en = ["Kiev"]', ""), encoding="utf-8")
    _rc, out2 = _run(capsys, *argv)
    assert out2 == _run(capsys, *argv, "--no-cache")[1]
    assert json.loads(out2) != json.loads(out)
    # another rule selection, another severity, another text: each its own entry
    n = _entries(results)
    _run(capsys, *argv, "--select", "article")
    assert _entries(results) == n + 1
    (desk / "news" / "a.txt").write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    _rc, out3 = _run(capsys, *argv)
    assert '"line": 1' in out3 and out3 == _run(capsys, *argv, "--no-cache")[1]
    assert _entries(results) == n + 2


def test_a_review_record_is_honoured_and_bypasses_the_cache(desk, results, capsys):
    from qa.project.records import REJECTED, Decision, Record, save_record

    argv = ["check", "--no-config", "-g", "g.toml", "--format", "json", "news/a.txt"]
    _rc, out = _run(capsys, *argv)
    n = _entries(results)
    p = Project.from_options(glossary=["g.toml"], no_config=True)
    res = p.item_checker.check_path("news/a.txt")
    save_record("news/a.txt", Record("news/a.txt", decisions=[Decision.for_finding(res.text, res.findings[0], REJECTED)]))
    _rc, out2 = _run(capsys, *argv)
    assert len(json.loads(out2)["files"][0]["findings"]) == len(json.loads(out)["files"][0]["findings"]) - 1
    assert out2 == _run(capsys, *argv, "--no-cache")[1]
    assert _entries(results) == n


def test_an_unreadable_entry_is_a_miss(desk, results, capsys):
    argv = ["check", "--no-config", "-g", "g.toml", "--format", "json", "news"]
    first = _run(capsys, *argv)
    for f in results.rglob("*.json"):
        f.write_bytes(f.read_bytes()[:20])  # torn
    assert _run(capsys, *argv) == first
    assert all(json.loads(f.read_bytes()) for f in results.rglob("*.json"))  # rewritten whole


def test_the_cache_is_bounded_oldest_first(results):
    c = ResultCache(results, "x" * 64, max_bytes=10_000)
    for i in range(30):
        p = c._path(f"{i:02x}" + "0" * 62)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x" * 1000)
        os.utime(p, (1_000_000 + i, 1_000_000 + i))
    assert c.prune() > 0
    left = sorted(int(f.name[:2], 16) for f in results.rglob("*.json"))
    assert sum(1000 for _ in left) <= 10_000 and left == list(range(30 - len(left), 30))


def test_clean_drops_the_entries(desk, results, capsys):
    _run(capsys, "check", "--no-config", "-g", "g.toml", "news")
    assert _entries(results) == 2
    assert main(["cache", "info"]) == 0 and "2 entries" in capsys.readouterr().out
    assert main(["cache", "clean"]) == 0
    assert "removed 2 cached results" in capsys.readouterr().out and _entries(results) == 0


def test_parallel_workers_fill_the_cache_and_a_rerun_reads_it(desk, results):
    from qa.services.parallel import run_local

    for i in range(6):
        (desk / "news" / f"c{i}.txt").write_text(ARTICLE * (i + 1), encoding="utf-8")
    project = Project.from_options(glossary=["g.toml"], no_config=True)
    items = list(project.items(["news"]))
    plain = run_local(items, project.settings, jobs=1)
    cache = ResultCache.for_project(project)
    two = run_local(items, project.settings, jobs=2, project=project, cache=cache, min_parallel_bytes=0)
    assert _entries(results) == len(items)
    again = ResultCache.for_project(project)
    hits = run_local(items, project.settings, jobs=2, project=project, cache=again, min_parallel_bytes=0)
    assert again.hits == len(items) and again.misses == 0
    view = lambda rs: [r.to_json() for r in rs]  # noqa: E731
    assert view(plain) == view(two) == view(hits)


# ----------------------------------------------------------------------------- random edits
PIECES = ["Kiev", "Kyiv", "Dmitry Kuleba", "Dmytro Kuleba", "Blinken", "Antony Blinkin", "Luhansk", "Lugansk",
          "the the", "â€™", "Ã©", " ", "  ", "\n", "\n\n", ".", ", ", "Poetin", "Kiew", "Wladimir Putin",
          "Volodymyr Zelenskyy", "Shakhtar Donetsk", "Moldova", "said", "de", "die", "het", "und", "and",
          "Read more", "Gisteren", "Die Regierung", "The minister"]


@st.composite
def edits(draw):
    text = ARTICLE
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 12)))
        piece = draw(st.sampled_from(PIECES))
        if op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        else:
            text = text[:i] + piece + text[j:]
    return text


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    g = tmp_path_factory.mktemp("rc") / "g.toml"
    g.write_text(MINI_GLOSSARY, encoding="utf-8")
    return Project.from_options(glossary=[str(g)], no_config=True)


def _report(rs) -> list[str]:
    out = []
    for fmt in FORMATS:
        buf = io.StringIO()
        render(fmt, rs, buf)
        out.append(buf.getvalue())
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=edits(), after=edits())
def test_cached_findings_equal_fresh_ones_over_random_edits(project, tmp_path, before, after):
    cache = ResultCache(tmp_path / "rc", "settings-digest")
    f = tmp_path / "a.txt"
    for text in (before, after, before):
        f.write_text(text, encoding="utf-8")
        item = Item("file", str(f), str(f), None, stable_key(str(f)))
        checker = project.item_checker
        fresh = checker.check_item(item)
        first = check_item(checker, item, cache)  # a miss (or a hit for the same text)
        second = check_item(checker, item, cache)  # a hit
        assert _report([fresh]) == _report([first]) == _report([second])
        assert [x.to_json() for x in fresh.findings] == [x.to_json() for x in second.findings]
