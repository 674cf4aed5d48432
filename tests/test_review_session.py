"""The UI-independent review session (qa.services.review): decisions, undo, HTER, saving, learning."""
from __future__ import annotations

import argparse
import os
import stat
import sys

import pytest

from qa.model.findings import Finding, Fix, Severity
from qa.project.records import ACCEPTED, EDITED, REJECTED, load_record
from qa.services.review import Conflict, ExternalChange, Hter, ReviewSession, learn_form

from support import ARTICLE, GLOSSARY  # noqa: E402  (also used by the TUI tests)


def make_checker(glossary, select=("name",)):
    from qa.project.project import Project

    return Project.from_options(glossary=[str(glossary)], lang="en", select=list(select) if select else None,
                                no_config=True)


@pytest.fixture
def desk(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    return tmp_path, g, art


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    g = tmp_path_factory.mktemp("g") / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    return make_checker(g)


def idx(s: ReviewSession, text: str, n: int = 0) -> int:
    return [i for i, f in enumerate(s.findings) if f.text == text][n]


def test_decisions_undo_and_result(desk, checker):
    _, _, art = desk
    s = ReviewSession.open(art, checker)
    texts = [f.text for f in s.findings]
    assert texts == ["Koeleba", "Poetin", "Koeleba", "Glinken", "Putins", "Lugansk"]
    s.decide(0, ACCEPTED)
    s.decide(1, REJECTED)
    s.decide(idx(s, "Lugansk"), EDITED, "Luhansk region")
    out = s.result_text()
    assert "Minister Kuleba said" in out and "Poetin" in out and "Luhansk region and Donetsk" in out
    assert "According to Koeleba" in out
    assert s.undo() == [idx(s, "Lugansk")]
    assert "Lugansk and" in s.result_text()
    assert s.decided == 2 and s.pending == 4


def test_accept_all_alike_is_one_undo_step(desk, checker):
    _, _, art = desk
    s = ReviewSession.open(art, checker)
    assert s.accept_all_like(0) == [0, 2]
    assert s.result_text().count("Kuleba") == 2
    assert s.undo() == [0, 2]
    assert s.decided == 0


def test_alternative(desk, checker):
    _, _, art = desk
    s = ReviewSession.open(art, checker)
    i = idx(s, "Glinken")
    assert s.findings[i].alternatives == ("Klinken",)
    s.alternative(i, 1)
    assert "State Klinken met" in s.result_text()
    with pytest.raises(IndexError):
        s.alternative(i, 2)


def test_conflicting_edits_refused():
    text = "abc def ghi"
    f1 = Finding("x/a", Severity.ERROR, 0, 7, "m", "abc def", Fix.replace(0, 7, "X"))
    f2 = Finding("x/b", Severity.ERROR, 4, 11, "m", "def ghi", Fix.replace(4, 11, "Y"))
    s = ReviewSession(__import__("pathlib").Path("x.txt"), text, False, "0", [f1, f2])
    s.decide(0, ACCEPTED)
    with pytest.raises(Conflict):
        s.decide(1, ACCEPTED)
    assert s.result_text() == "X ghi"


def test_multi_edit_fix_span_and_edit():
    text = "the the cat"
    fix = Fix((__import__("qa.model.findings", fromlist=["Edit"]).Edit(3, 7, ""),))
    f = Finding("article/doubled-word", Severity.WARNING, 0, 7, "twice", "the the", fix)
    s = ReviewSession(__import__("pathlib").Path("x.txt"), text, False, "0", [f])
    assert s.span(0) == (0, 7) and s.proposed(0) == "the"
    s.decide(0, EDITED, "a")
    assert s.result_text() == "a cat"


def test_hter_matches_sacrebleu(desk, checker):
    from sacrebleu.metrics import TER

    _, _, art = desk
    s = ReviewSession.open(art, checker)
    assert s.hter() == 0.0
    s.accept_all_like(0)
    s.decide(idx(s, "Putins"), ACCEPTED)
    s.decide(idx(s, "Lugansk"), ACCEPTED)
    ter = TER(case_sensitive=True)
    # corpus TER over the lines == our incremental score
    hyp, ref = s.text.split("\n"), s.result_text().split("\n")
    expect = ter.corpus_score(hyp, [ref]).score
    assert s.hter() == pytest.approx(expect)
    # and close to the whole-text sentence TER
    assert s.hter() == pytest.approx(ter.sentence_score(s.text, [s.result_text()]).score, rel=0.05)


def test_hter_incremental_with_line_deletion():
    text = "one two three\nfour five\nsix seven\n"
    h = Hter(text)
    fixes = [Fix.replace(14, 24, ""), Fix.replace(0, 3, "One")]
    from sacrebleu.metrics import TER
    from qa.engine.fixes import apply_fixes

    new = apply_fixes(text, fixes)
    got = h.score(fixes)
    whole = TER(case_sensitive=True).sentence_score(text, [new]).score
    assert got == pytest.approx(whole)


def test_save_preserves_bytes_keeps_original_and_records(tmp_path, checker):
    art = tmp_path / "crlf.txt"
    raw = ("\ufeff" + ARTICLE.replace("\n", "\r\n")).encode("utf-8")
    art.write_bytes(raw)
    s = ReviewSession.open(art, checker)
    assert s.bom
    s.accept_all_like(0)
    rej = idx(s, "Glinken")
    s.decide(rej, REJECTED)
    res = s.save()
    assert res.changed and res.original == tmp_path / "crlf.txt.orig"
    assert (tmp_path / "crlf.txt.orig").read_bytes() == raw
    new = art.read_bytes()
    assert new == raw.replace("Koeleba".encode(), "Kuleba".encode())
    rec = load_record(art)
    assert rec.saved_sha256 == rec.sha256 and rec.original_sha256 != rec.sha256
    # reopening: Koeleba is gone, the rejected Glinken is decided, the others pending
    s2 = ReviewSession.open(art, checker)
    assert [f.text for f in s2.findings] == ["Poetin", "Glinken", "Putins", "Lugansk"]
    assert s2.choices[1] is not None and s2.choices[1].status == REJECTED and s2.decided == 1
    # a second save keeps the first original
    s2.decide(0, ACCEPTED)
    assert s2.save().original is None
    assert (tmp_path / "crlf.txt.orig").read_bytes() == raw


def test_save_through_a_symlink_rewrites_the_target_and_keeps_the_link(tmp_path, checker):
    (tmp_path / "desk").mkdir()
    target = tmp_path / "desk" / "article.txt"
    target.write_text(ARTICLE, encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    s = ReviewSession.open(link, checker)
    s.decide(idx(s, "Koeleba"), ACCEPTED)
    res = s.save()
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == ARTICLE.replace("Koeleba said", "Kuleba said")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert res.original == tmp_path / "desk" / "article.txt.orig"
    assert res.original.read_text(encoding="utf-8") == ARTICLE


def test_save_refuses_after_external_change(desk, checker):
    _, _, art = desk
    s = ReviewSession.open(art, checker)
    s.decide(0, ACCEPTED)
    art.write_text(ARTICLE + "An editor added this line.\n", encoding="utf-8")
    with pytest.raises(ExternalChange):
        s.save()
    assert art.read_text(encoding="utf-8").endswith("An editor added this line.\n")
    assert not (art.parent / "article.txt.orig").exists()


def test_crash_during_save_leaves_old_text(desk, checker, monkeypatch):
    _, _, art = desk
    s = ReviewSession.open(art, checker)
    s.decide(0, ACCEPTED)

    def boom(src, dst):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        s.save()
    monkeypatch.undo()
    assert art.read_text(encoding="utf-8") == ARTICLE
    assert not [p for p in art.parent.iterdir() if p.name.endswith(".tmp")]


def test_resume_unsaved_decisions(desk, checker):
    _, _, art = desk
    s = ReviewSession.open(art, checker)
    s.decide(0, ACCEPTED)
    s.decide(3, EDITED, "Blinken")
    s.write_record()
    s2 = ReviewSession.open(art, checker)
    assert s2.resumed == 2
    assert s2.choices[0].status == ACCEPTED and s2.choices[3].replacement == "Blinken"
    assert s2.result_text() == s.result_text()


def test_learn_form_keeps_comments_and_reloads(desk):
    _, g, art = desk
    msg = learn_form(g, "Koeleba", "en", "dmytro-kuleba")
    src = g.read_text(encoding="utf-8")
    assert "# glossary used by the review tests" in src and "# the Dutch press spelling" in src
    assert 'forms.en = ["Dmytro Kuleba", "Koeleba"]' in src
    assert "dmytro-kuleba" in msg
    learn_form(g, "Glinken", "en", None, kind="person", note="test")
    src = g.read_text(encoding="utf-8")
    assert 'id = "glinken"' in src and src.count("[[term]]") == 6
    s = ReviewSession.open(art, make_checker(g))
    assert "Koeleba" not in [f.text for f in s.findings]
    assert "Glinken" not in [f.text for f in s.findings]


def test_learn_form_creates_a_new_glossary(tmp_path):
    p = tmp_path / "learned.toml"
    learn_form(p, "Lugansk", "en", "luhansk")
    from qa.text.glossary import load_glossary_file

    g = load_glossary_file(p)
    assert [t.forms["en"] for t in g.terms] == [("Lugansk",)]


def test_qa_does_not_import_textual():
    import subprocess

    code = "import qa.services.review, qa.project.records, sys; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_saved_review_keeps_its_tally_for_reopening(tmp_path):
    """After a save the accepted findings are gone from the text; the record keeps the tally."""
    g = tmp_path / "g.toml"
    g.write_text('[glossary]\nformat = 1\n[[term]]\nid = "dmytro-kuleba"\nkind = "person"\n'
                 'forms.en = "Dmytro Kuleba"\nnative.uk = "Дмитро Кулеба"\n', encoding="utf-8")
    checker = make_checker(g)
    art = tmp_path / "a.txt"
    art.write_text("Minister Koeleba spoke. Later Koeleba left.\n", encoding="utf-8")
    ss = ReviewSession.open(art, checker)
    assert len(ss.findings) == 2 and ss.last_save is None
    for i in range(len(ss.findings)):
        ss.decide(i, "accepted")
    ss.save()
    again = ReviewSession.open(art, checker)
    assert again.findings == []
    assert again.last_save["decided"] == 2 and again.last_save["findings"] == 2
    assert again.last_save["fixes_applied"] == 2 and again.last_save["accepted"] == 2
    art.write_text("Minister Koeleba spoke again.\n", encoding="utf-8")  # edited elsewhere since
    assert ReviewSession.open(art, checker).last_save is None


def test_a_utf16_article_is_reviewed_and_saved_as_utf16(tmp_path, checker):
    art = tmp_path / "u16.txt"
    raw = "\ufeffForeign Minister Koeleba said so.\r\n".encode("utf-16-le")
    art.write_bytes(raw)
    s = ReviewSession.open(art, checker)
    assert s.encoding == "utf-16-le" and s.bom and [f.text for f in s.findings] == ["Koeleba"]
    s.decide(0, ACCEPTED)
    res = s.save()
    assert art.read_bytes() == "\ufeffForeign Minister Kuleba said so.\r\n".encode("utf-16-le")
    assert res.original.read_bytes() == raw
    again = ReviewSession.open(art, checker)  # the record matches the saved UTF-16 bytes
    assert again.findings == [] and again.last_save["fixes_applied"] == 1


def test_review_with_a_source_gives_each_finding_its_source_segment():
    from pathlib import Path

    from qa.project.project import Project

    ex = Path(__file__).resolve().parents[1] / "examples" / "bilingual"
    project = Project.from_options(lang="nl", no_config=True)
    s = ReviewSession.open(ex / "article.nl.txt", project, use_record=False, source=str(ex / "article.en.txt"))
    assert s.source is not None and s.source.alignment == "paragraph"
    rules = [f.rule for f in s.findings]
    assert "language/number-mismatch" in rules  # the bilingual rules ran
    i = next(k for k, f in enumerate(s.findings) if f.text == "13.000")
    seg = s.source_segment(i)
    assert seg.lang == "en" and "fired 3,000 missiles" in seg.text
    j = next(k for k, f in enumerate(s.findings) if f.text == "1,5")
    assert "Glinken" in s.source_segment(j).text
    plain = ReviewSession.open(ex / "article.nl.txt", project, use_record=False)
    assert plain.source is None and plain.source_segment(0) is None
