"""Review records (qa.project.records): location, identity of findings, filter_rejected, `copydesk check`."""
from __future__ import annotations

import json
import sys

import pytest

from qa.model.findings import Finding, Severity
from qa.project.records import (ACCEPTED, REJECTED, SCHEMA, Decision, Record, filter_rejected, load_record,
                        record_path, save_record)

TEXT = "Minister Koeleba spoke. Later Koeleba left, and Poetin stayed in the capital for talks.\n"


def finding(text: str, word: str, nth: int = 0, rule="name/transliteration", term="dmytro-kuleba") -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Finding(rule, Severity.ERROR, start, start + len(word), "msg", text=word, term=term)


def test_record_path_is_in_the_articles_folder(tmp_path):
    art = tmp_path / "a.txt"
    p = record_path(art)
    assert p.parent == tmp_path / ".copydesk" / "reviews"
    assert p.name.startswith("a.txt.") and p.suffix == ".json"
    assert record_path(tmp_path / "sub" / "a.txt") != p


def test_decision_survives_shifted_offsets():
    f = finding(TEXT, "Koeleba", 1)
    d = Decision.for_finding(TEXT, f, REJECTED)
    shifted = "Minister Kuleba spoke. Later Koeleba left, and Poetin stayed in the capital for talks.\n"
    g = finding(shifted, "Koeleba", 0)
    assert g.start != f.start
    assert d.score(shifted, g) >= 0
    # another occurrence with other context does not match
    other = "Koeleba arrived. " + shifted
    assert d.score(other, finding(other, "Koeleba", 0)) < 0
    # a different rule or term never matches
    h = finding(shifted, "Koeleba", 0, term="other")
    assert d.score(shifted, h) < 0


def test_match_picks_the_right_occurrence():
    f0, f1 = finding(TEXT, "Koeleba", 0), finding(TEXT, "Koeleba", 1)
    rec = Record("x", decisions=[Decision.for_finding(TEXT, f1, REJECTED)])
    got = rec.match(TEXT, [f0, f1])
    assert list(got) == [1]


def test_save_load_roundtrip_and_schema(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(TEXT)
    rec = Record(str(art), "aa", "bb", None, [Decision.for_finding(TEXT, finding(TEXT, "Poetin"), ACCEPTED)])
    p = save_record(art, rec)
    data = json.loads(p.read_text())
    assert data["schema"] == SCHEMA and data["original_sha256"] == "aa"
    back = load_record(art)
    assert back is not None and back.decisions[0].text == "Poetin" and back.decisions[0].status == ACCEPTED


def test_bad_record_is_ignored(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(TEXT)
    p = record_path(art)
    p.parent.mkdir(parents=True)
    p.write_text("{not json")
    assert load_record(art) is None
    p.write_text(json.dumps({"schema": "something/9"}))
    assert load_record(art) is None
    fs = [finding(TEXT, "Koeleba")]
    assert filter_rejected(art, TEXT, fs) == fs


def test_filter_rejected_drops_only_rejected(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(TEXT)
    fs = [finding(TEXT, "Koeleba", 0), finding(TEXT, "Koeleba", 1), finding(TEXT, "Poetin", term="vladimir-putin")]
    rec = Record(str(art), decisions=[Decision.for_finding(TEXT, fs[1], REJECTED),
                                      Decision.for_finding(TEXT, fs[2], ACCEPTED)])
    save_record(art, rec)
    kept = filter_rejected(art, TEXT, fs)
    assert [f.start for f in kept] == [fs[0].start, fs[2].start]


GLOSSARY = """[glossary]
name = "records test"
format = 1

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
forms.nl = "Dmytro Koeleba"
"""


def test_copydesk_check_honours_records(tmp_path, capsys):
    from qa.cli.main import main
    from qa.services.review import ReviewSession
    from qa.project.project import Project
    import argparse

    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY)
    art = tmp_path / "a.txt"
    art.write_text("Minister Koeleba spoke on Monday.\n\nLater Koeleba left the building with aides.\n")
    checker = Project.from_options(glossary=[str(g)], lang="en", select=["name"], ignore=None, no_config=True)
    s = ReviewSession.open(art, checker)
    assert len(s.findings) == 2
    s.decide(1, REJECTED)
    s.write_record()

    def check(*extra):
        capsys.readouterr()
        main(["check", "--format", "json", "--select", "name", "--glossary", str(g), *extra, str(art)])
        return json.loads(capsys.readouterr().out)["files"][0]["findings"]

    got = check()
    assert len(got) == 1 and got[0]["start"] == s.findings[0].start
    assert len(check("--no-records")) == 2
