"""copydesk audit --reviews: HTER from review records made through the review session API,
checked against sacrebleu's TER computed here on the same strings."""
from __future__ import annotations

import json

import pytest
from sacrebleu.metrics import TER

from qa.cli.main import main
from qa.project.records import load_record, record_path, save_record
from qa.services.review import ACCEPTED, EDITED, ReviewSession

GLOSSARY = """\
[glossary]
name = "hter test"
format = 1

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
native.uk = "Дмитро Кулеба"

[[term]]
id = "vladimir-putin"
kind = "person"
forms.en = "Vladimir Putin"
native.ru = "Владимир Путин"

[[term]]
id = "luhansk"
kind = "place"
forms.en = "Luhansk"
native.uk = "Луганськ"
native.ru = "Луганск"
"""

A = ("Kyiv rejects Moscow demands\n\n"
     "Ukrainian Foreign Minister Koeleba said on Tuesday that Poetin has no right to make demands. "
     "According to Koeleba, the talks must include Kyiv.\n\n"
     "Fighting continued in Lugansk and Donetsk.\n")
B = ("---\nengine: deepl\ndesk: foreign\n---\n"
     "Poetin spoke in Moscow on Friday.\n\nHe said that the war in Lugansk would go on.\n")
C = ("---\nengine: google\n---\n"
     "Koeleba met ministers in Brussels.\n\nThe talks were about Lugansk and Kyiv.\n")


def _checker(g):
    from qa.project.project import Project

    return Project.from_options(glossary=[str(g)], lang="en", select=["name"], no_config=True)


def _review(path, checker, accept=None, edit=None, meta=None):
    """Open, decide and save through the session API (as the review UI does)."""
    s = ReviewSession.open(path, checker, meta=meta)
    for i, f in enumerate(s.findings):
        if edit and f.text in edit:
            s.decide(i, EDITED, edit[f.text])
        elif accept is None or f.text in accept:
            if f.fix is not None:
                s.decide(i, ACCEPTED)
    s.save()
    return s


def _sacrebleu(machine: str, reviewed: str, body: int = 0):
    """sacrebleu's own TER on the two texts as files (one segment per line)."""
    h = machine.split("\n")[body:-1]
    r = reviewed.split("\n")[body:-1]
    return TER(case_sensitive=True).corpus_score(h, [r]), h, r


@pytest.fixture
def desk(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    d = tmp_path / "desk"
    (d / "sub").mkdir(parents=True)
    for name, text in (("a.txt", A), ("sub/b.md", B), ("sub/c.md", C)):
        (d / name).write_text(text, encoding="utf-8")
    return d, _checker(g)


def test_per_article_overall_and_by_metadata_equal_sacrebleu(desk, capsys):
    d, checker = desk
    _review(d / "a.txt", checker, meta={"engine": "deepl"})
    # one fix edited by hand (case differs: counted, HTER is case-sensitive)
    _review(d / "sub" / "b.md", checker, edit={"Poetin": "PUTIN"})
    _review(d / "sub" / "c.md", checker, accept={"Koeleba"})  # Lugansk left as it is
    assert main(["audit", "--reviews", str(d), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["schema"] == "copydesk.hter/1"
    arts = {a["path"]: a for a in rep["articles"]}
    assert set(arts) == {"a.txt", "sub/b.md", "sub/c.md"}

    hyps, refs = [], []
    for name, machine, body in (("a.txt", A, 0), ("sub/b.md", B, 4), ("sub/c.md", C, 3)):
        reviewed = (d / name).read_text(encoding="utf-8")
        assert reviewed != machine  # the review changed each of them
        want, h, r = _sacrebleu(machine, reviewed, body)
        hyps += h
        refs += r
        assert arts[name]["hter"] == pytest.approx(want.score, abs=1e-4), name
        assert arts[name]["edits"] == pytest.approx(want.num_edits)
        assert arts[name]["ref_words"] == pytest.approx(want.ref_length)
        assert want.score > 0
        # the review screen's running HTER (kept in the record's history) is the same figure
        assert load_record(d / name).history[-1]["hter"] == pytest.approx(arts[name]["hter"], abs=0.01)
    overall = TER(case_sensitive=True).corpus_score(hyps, [refs])
    assert rep["overall"]["hter"] == pytest.approx(overall.score, abs=1e-4)
    assert rep["overall"]["articles"] == 3
    # case-sensitive: PUTIN for Poetin is one edit, as Putin would be; lower-cased TER would differ nowhere
    # else, but "PUTIN" vs the Vladimir Putin proposal is the reviewer's own text
    assert "PUTIN" in (d / "sub" / "b.md").read_text(encoding="utf-8")

    # grouped by the metadata the records carry: engine (front matter, or meta= for a.txt), desk
    by = {g["value"]: g for g in rep["by"]["engine"]}
    assert set(by) == {"deepl", "google"}
    assert by["deepl"]["articles"] == 2 and by["google"]["articles"] == 1
    dh, dr = [], []
    for name, machine, body in (("a.txt", A, 0), ("sub/b.md", B, 4)):
        _, h, r = _sacrebleu(machine, (d / name).read_text(encoding="utf-8"), body)
        dh += h
        dr += r
    assert by["deepl"]["hter"] == pytest.approx(TER(case_sensitive=True).corpus_score(dh, [dr]).score, abs=1e-4)
    desks = {g["value"]: g["articles"] for g in rep["by"]["desk"]}
    assert desks == {"foreign": 1, None: 2}
    assert rep["signature"].startswith("nrefs:1|case:mixed|")


def test_text_output_and_exit_codes(desk, capsys, tmp_path):
    d, checker = desk
    _review(d / "a.txt", checker)
    assert main(["audit", "--reviews", str(d)]) == 0
    out = capsys.readouterr().out
    want, _, _ = _sacrebleu(A, (d / "a.txt").read_text(encoding="utf-8"))
    assert f"{want.score:7.2f}" in out and "a.txt" in out and "overall" in out
    # not reviewed yet: no record at all
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["audit", "--reviews", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("copydesk: error:") and "no review records" in err and err.count("\n") == 1
    assert main(["audit", "--reviews", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["audit", "--reviews", str(d), "--format", "sarif"]) == 2
    assert main(["audit"]) == 2  # neither PATH nor --reviews
    capsys.readouterr()


def test_unsaved_review_and_old_records(desk, capsys):
    d, checker = desk
    s = ReviewSession.open(d / "a.txt", checker)
    s.decide(0, ACCEPTED)
    s.write_record()  # decisions kept, article not saved: not a finished review
    assert main(["audit", "--reviews", str(d)]) == 2
    assert "no review save yet" in capsys.readouterr().err

    s = _review(d / "a.txt", checker)
    rec = load_record(d / "a.txt")
    assert rec.machine_text == A
    # a record written before machine_text existed: the machine text comes from PATH.orig
    rec.machine_text = None
    save_record(d / "a.txt", rec)
    assert "machine_text" not in record_path(d / "a.txt").read_text(encoding="utf-8")
    assert main(["audit", "--reviews", str(d), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    want, _, _ = _sacrebleu(A, (d / "a.txt").read_text(encoding="utf-8"))
    assert rep["articles"][0]["hter"] == pytest.approx(want.score, abs=1e-4)
    # ... and without PATH.orig it is skipped with the reason
    (d / "a.txt.orig").unlink()
    assert main(["audit", "--reviews", str(d)]) == 2
    assert "machine text is not in the record" in capsys.readouterr().err


def test_second_round_keeps_the_first_machine_text(desk, capsys):
    d, checker = desk
    _review(d / "a.txt", checker, accept={"Koeleba"})
    first = (d / "a.txt").read_text(encoding="utf-8")
    assert "Poetin" in first
    _review(d / "a.txt", checker)  # a second reviewer fixes the rest
    rec = load_record(d / "a.txt")
    assert rec.machine_text == A and len(rec.history) == 2
    assert main(["audit", "--reviews", str(d), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    want, _, _ = _sacrebleu(A, (d / "a.txt").read_text(encoding="utf-8"))
    assert rep["articles"][0]["hter"] == pytest.approx(want.score, abs=1e-4)
    # the file edited by hand after the review is flagged, and scored as it is now
    (d / "a.txt").write_text((d / "a.txt").read_text(encoding="utf-8").replace("Tuesday", "Monday"),
                             encoding="utf-8")
    assert main(["audit", "--reviews", str(d), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["articles"][0]["edited_after_review"] is True
    want2, _, _ = _sacrebleu(A, (d / "a.txt").read_text(encoding="utf-8"))
    assert rep["articles"][0]["hter"] == pytest.approx(want2.score, abs=1e-4) and want2.score > want.score


def test_removed_lines_are_aligned():
    from qa.services.hter import score_article, segments

    machine = "Title\n\nRelated articles\n\nKoeleba spoke.\n\nThe end.\n"
    reviewed = "Title\n\nKuleba spoke.\n\nThe end.\n"
    hs, rs = segments(machine, reviewed)
    assert len(hs) == len(rs)
    edits, words, _, changed = score_article(machine, reviewed)
    want = TER(case_sensitive=True).corpus_score(hs, [rs])
    assert (edits, words) == (want.num_edits, want.ref_length)
    assert words == len(reviewed.split()) and edits == 3  # two words deleted, one substituted


def test_a_moved_folder_counts_each_article_once(tmp_path, capsys):
    import shutil

    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    checker = _checker(g)
    old = tmp_path / "old"
    old.mkdir()
    (old / "a.txt").write_text(A, encoding="utf-8")
    _review(old / "a.txt", checker, accept={"Koeleba"})
    new = tmp_path / "new"
    shutil.move(str(old), str(new))  # the record keeps its name (the hash of the old path)
    assert main(["audit", "--reviews", str(new), "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert [a["path"] for a in first["articles"]] == ["a.txt"]
    _review(new / "a.txt", checker)  # reviewed again under the new path: a second record file
    assert len(list((new / ".copydesk" / "reviews").iterdir())) == 2
    assert main(["audit", "--reviews", str(new), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert [a["path"] for a in rep["articles"]] == ["a.txt"]
    # scored from the first review's machine text (the second record only saw the half-reviewed one)
    want, _, _ = _sacrebleu(A, (new / "a.txt").read_text(encoding="utf-8"))
    assert rep["articles"][0]["hter"] == pytest.approx(want.score, abs=1e-4)
    assert rep["articles"][0]["edits"] == 4 and first["articles"][0]["edits"] == 2


def test_parse_meta():
    from qa.services.review import parse_meta

    assert parse_meta(["engine=deepl", " desk = foreign ", "note=a=b"]) == {"engine": "deepl", "desk": "foreign",
                                                                          "note": "a=b"}
    assert parse_meta(None) == {}
    for bad in ("engine", "=deepl"):
        with pytest.raises(ValueError, match="KEY=VALUE"):
            parse_meta([bad])


def test_front_matter_fields():
    from qa.project.records import body_offset, front_matter

    text = "---\nengine: deepl\ntitle: \"Kyiv: talks\"\ntags:\n  - a\nnested: {a: 1}\n---\nBody\n"
    assert front_matter(text) == {"engine": "deepl", "title": "Kyiv: talks"}
    assert text[body_offset(text):] == "Body\n"
    assert front_matter("---\nengine: deepl\nno closing line\n") == {}
    assert front_matter("Title\n---\nengine: x\n---\n") == {} and body_offset("Title\n") == 0
