"""Bilingual checks: a source article, plain or in XLIFF 1.2/2.0, TMX, PO."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from qa.engine.alignment import check_pair, find_numbers, format_number, read_number
from qa.sources.bilingual_files import read_bilingual
from qa.cli.main import main
from qa.engine.document import Document
from qa.engine.checker import Checker
from qa.engine.fixes import apply_fixes
from qa.text.glossary import load_glossaries

from bilingual_formats import BUILDERS

EX = Path(__file__).resolve().parent.parent / "examples" / "bilingual"
SRC = (EX / "article.nl.txt").read_text(encoding="utf-8")
TGT = (EX / "article.en.txt").read_text(encoding="utf-8")
BILINGUAL = {"name/missing", "name/unexpected", "language/number-mismatch"}


@pytest.fixture(scope="module")
def checker():
    return Checker(glossary=load_glossaries(), lang="en")


def _pairs(src=SRC, tgt=TGT):
    return [(a.text, b.text) for a, b in zip(Document(text=src).paragraphs, Document(text=tgt).paragraphs)]


def _run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_pair_gives_the_three_bilingual_findings_plus_the_monolingual_ones(checker, capsys):
    findings, lang, info = check_pair(checker, SRC, TGT)
    assert (info.lang, info.alignment, lang) == ("nl", "paragraph", "en")
    bil = [(f.rule, f.line, f.text) for f in findings if f.rule in BILINGUAL]
    para2 = Document(text=TGT).paragraphs[1].text
    assert bil == [("name/missing", 3, para2),  # Koeleba dropped: the whole paragraph is the span
                   ("language/number-mismatch", 3, "3,000"),
                   ("name/unexpected", 5, "Volodymyr Zelensky")]
    missing = next(f for f in findings if f.rule == "name/missing")
    assert "Dmytro Koeleba" in missing.message and "dmytro-kuleba" in missing.message
    unexpected = next(f for f in findings if f.rule == "name/unexpected")
    assert unexpected.fix.edits[0].replacement == "Olena Zelenska" and str(unexpected.severity) == "warning"
    number = next(f for f in findings if f.rule == "language/number-mismatch")
    assert number.fix.edits[0].replacement == "13,000"
    mono, _ = checker.check_text(TGT)
    assert [(f.rule, f.start) for f in findings if f.rule not in BILINGUAL] == [(f.rule, f.start) for f in mono]
    assert not any(f.rule in BILINGUAL for f in mono)
    # the same through the command line, which says how it aligned
    rc, out, _ = _run(capsys, "check", str(EX / "article.en.txt"), "--source", str(EX / "article.nl.txt"))
    assert rc == 1
    assert "aligned by paragraph (4 segments)" in out
    assert sum(r in out for r in BILINGUAL) == 3 and "Found 6 findings" in out


def test_article_alignment_when_paragraph_counts_differ(checker):
    merged = TGT.replace("February.\n\nVolodymyr", "February. Volodymyr")
    findings, _, info = check_pair(checker, SRC, merged, "nl")
    assert info.alignment == "article"
    # over the whole article the headline's Kuleba answers for the dropped one: coarser, not wrong
    assert sorted(f.rule for f in findings if f.rule in BILINGUAL) == ["language/number-mismatch", "name/unexpected"]


def test_source_mention_makes_a_near_miss_credible(checker):
    # "Petkov" is a real (rare) surname one edit from Peskov: alone it is not believed to be
    # a typo; a source that mentions Peskov is the evidence that it is one
    tgt = "The minister Petkov met the press on Tuesday."
    src = "De minister Peskov sprak dinsdag met de pers."
    alone, _ = checker.check_text(tgt)
    with_src, _, _ = check_pair(checker, src, tgt, "nl")
    assert alone == []
    assert [(f.rule, f.text, f.fix.edits[0].replacement) for f in with_src] == [("name/near-miss", "Petkov", "Peskov")]


def test_a_place_the_source_names_by_its_adjective_is_not_unexpected(checker):
    src = "De Oekraïense regering zei nee."
    assert [f.rule for f in check_pair(checker, src, "The government of Ukraine said no.", "nl")[0]] == []
    # but a place the source has no trace of is
    got = check_pair(checker, src, "The government of Belarus said no.", "nl")[0]
    assert [(f.rule, f.text) for f in got] == [("name/unexpected", "Belarus")]


def test_mangled_name_is_offered_as_the_span(checker):
    findings, _, _ = check_pair(checker, "Minister Koeleba zei nee.", "Minister Kolebra said no.", "nl")
    f = next(f for f in findings if f.rule == "name/missing")
    assert f.text == "Kolebra" and f.fix.edits[0].replacement == "Kuleba"


def _unit_findings(path, capsys):
    rc, out, _ = _run(capsys, "check", str(path), "--format", "json", "--select", "ALL")
    assert rc == 1
    data = json.loads(out)["files"][0]
    assert data["source"]["alignment"] == "unit"
    return sorted((f["data"]["unit"], f["rule"], f["start"], f["end"], f["text"]) for f in data["findings"])


def test_every_format_gives_the_same_findings_per_unit(tmp_path, checker, capsys):
    pairs = _pairs()
    # expected: each paragraph pair checked as one unit
    expected = []
    for i, (s, t) in enumerate(pairs, 1):
        fs, _, _ = check_pair(checker, s, t, "nl")
        expected += [(f"p{i}", f.rule, f.start, f.end, f.text) for f in fs]
    assert {r for _, r, *_ in expected} >= BILINGUAL
    for ext, build in BUILDERS.items():
        p = tmp_path / f"article.{ext}"
        p.write_text(build(pairs), encoding="utf-8")
        assert _unit_findings(p, capsys) == sorted(expected), ext


@pytest.mark.parametrize("ext", sorted(BUILDERS))
def test_fix_in_place_round_trip_changes_only_the_fixed_targets(tmp_path, checker, capsys, ext):
    pairs = _pairs()
    p = tmp_path / f"article.{ext}"
    original = BUILDERS[ext](pairs)
    p.write_bytes(original.encode("utf-8"))
    rc, _, err = _run(capsys, "fix", str(p), "--in-place", "--unsafe")
    assert "fixes applied" in err
    assert (tmp_path / f"article.{ext}.orig").read_text(encoding="utf-8") == original
    fixed_pairs = []
    for s, t in pairs:
        fs, _, _ = check_pair(checker, s, t, "nl")
        fixed_pairs.append((s, apply_fixes(t, [f.fix for f in fs if f.fix])))
    assert fixed_pairs != pairs
    new = p.read_text(encoding="utf-8")
    if ext != "po":
        # every byte outside the targets is the original's
        assert new == BUILDERS[ext](fixed_pairs)
    else:
        old_lines, new_lines = original.splitlines(), new.splitlines()
        assert len(old_lines) == len(new_lines)
        changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
        assert changed and all(a.startswith('"') and b.startswith('"') for a, b in changed)
    bf = read_bilingual(p)
    assert [(u.source, u.target) for u in bf.units] == fixed_pairs


def test_round_trip_keeps_markup_and_entities(tmp_path, capsys):
    raw = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version=\'1.2\' xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
           '<file original="a" source-language="nl" target-language="en" datatype="plaintext"><body>\n'
           '<trans-unit id="u1"><source>Koeleba &amp; <g id="1">Poetin</g></source>'
           '<target>Koeleba &amp; <g id="1">Putin</g> &#8212; Glinken</target></trans-unit>\n'
           '</body></file></xliff>\n')
    p = tmp_path / "m.xlf"
    p.write_bytes(raw.encode("utf-8"))
    rc, _, _ = _run(capsys, "fix", str(p), "--in-place", "--no-backup")
    assert p.read_text(encoding="utf-8") == raw.replace("<target>Koeleba", "<target>Kuleba").replace(
        "; Glinken", "; Blinken")


def test_no_source_no_bilingual_findings(checker, capsys):
    rc, out, _ = _run(capsys, "check", str(EX / "article.en.txt"))
    assert not any(r in out for r in BILINGUAL) and "aligned" not in out


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff version='1.2'><file>", encoding="utf-8")
    rc, out, err = _run(capsys, "check", str(bad))
    assert rc == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    rc, out, err = _run(capsys, "check", str(EX / "article.en.txt"), "--source", str(tmp_path / "nope.txt"))
    assert rc == 2 and "no such file" in err and len(err.strip().splitlines()) == 1
    rc, out, err = _run(capsys, "check", str(EX / "article.en.txt"), str(EX / "article.nl.txt"),
                        "--source", str(EX / "article.nl.txt"))
    assert rc == 2 and "one PATH" in err


@pytest.mark.parametrize("tok, lang, value", [
    ("13.000", "nl", "13000"), ("1,5", "nl", "1.5"), ("13,000", "en", "13000"), ("1.5", "en", "1.5"),
    ("1.500.000", "de", "1500000"), ("1.5", "nl", None), ("13.00", "nl", None)])
def test_read_number(tok, lang, value):
    got = read_number(tok, lang)
    assert (None if got is None else got) == (None if value is None else Decimal(value))


def test_numbers_scales_dates_and_words():
    src = find_numbers("1,5 miljoen op 1.12.2021 om 13.00 uur", "nl")
    assert [sorted(n.values) for n in src] == [[Decimal("1500000")], [1], [12], [2021]]
    tgt = find_numbers("1.5 million on 1 December 2021, three", "en", lenient_langs=("nl",))
    vals = set().union(*(n.values for n in tgt))
    assert {Decimal("1500000"), 1, 12, 2021, 3} <= vals


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=2))
def test_number_written_each_way_matches_and_a_changed_one_does_not(checker, n, places):
    value = Decimal(n).scaleb(-places)
    src = f"Het gaat om {format_number(value, 'nl')} raketten."
    same = f"It is about {format_number(value, 'en')} missiles."
    other = f"It is about {format_number(value + 7, 'en')} missiles."
    rules = lambda fs: [f.rule for f in fs]
    assert "language/number-mismatch" not in rules(check_pair(checker, src, same, "nl")[0])
    assert "language/number-mismatch" in rules(check_pair(checker, src, other, "nl")[0])


def test_audit_pairs_files_with_their_sources_by_relative_path(tmp_path, capsys):
    (tmp_path / "tgt" / "a").mkdir(parents=True)
    (tmp_path / "src" / "a").mkdir(parents=True)
    shutil.copy(EX / "article.en.txt", tmp_path / "tgt" / "a" / "x.txt")
    shutil.copy(EX / "article.nl.txt", tmp_path / "src" / "a" / "x.txt")
    (tmp_path / "tgt" / "lonely.txt").write_text("Kyiv is calm.\n", encoding="utf-8")
    rc, out, err = _run(capsys, "audit", str(tmp_path / "tgt"), "--source-dir", str(tmp_path / "src"),
                        "--jobs", "1", "--format", "json", "--no-progress")
    data = json.loads(out)
    by_item = {Path(r["path"]).name: r for r in data["files"]}
    assert {f["rule"] for f in by_item["x.txt"]["findings"]} >= BILINGUAL
    assert "no source" in by_item["lonely.txt"]["error"]
    assert rc == 2
