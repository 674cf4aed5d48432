"""Glossary import from real-world TBX and CSV: what is valid comes in, what is
not is reported per entry, metadata the glossary model can hold is kept, and a
CSV without a kind column gets its kinds inferred (issue 28)."""
from __future__ import annotations

import tomllib
from pathlib import Path

from qa.cli.main import main

THIRD = Path(__file__).resolve().parent / "data" / "third-party"

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
<martifHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="colour">
  <descrip type="subjectField">Printing</descrip>
  <descrip type="definition">The property of light that the eye perceives as hue.</descrip>
  <langSet xml:lang="en-GB">
    <tig><term>colour</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
      <termNote type="partOfSpeech">noun</termNote></tig>
  </langSet>
  <langSet xml:lang="en-US">
    <note>American spelling</note>
    <tig><term>color</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
  </langSet>
  <langSet xml:lang="de"><descrip type="definition">Farbeindruck</descrip><tig><term>Farbe</term></tig></langSet>
</termEntry>
<termEntry id="bad-status">
  <langSet xml:lang="en"><tig><term>data bus</term>
    <termNote type="administrativeStatus">obsolete</termNote></tig></langSet>
</termEntry>
<termEntry id="kyiv">
  <descrip type="subjectField">place</descrip>
  <langSet xml:lang="en"><tig><term>Kyiv</term></tig><tig><term/></tig></langSet>
  <langSet xml:lang="nl"><tig><term>Kyiv</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def _import(capsys, tmp_path, name, content, *extra):
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.toml"
    rc = main(["glossary", "import", str(src), "-o", str(out), *extra])
    err = capsys.readouterr().err
    data = tomllib.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return rc, err, data, src


def test_tbx_imports_what_is_valid_and_reports_what_was_skipped_per_entry(tmp_path, capsys):
    rc, err, data, src = _import(capsys, tmp_path, "g.tbx", TBX)
    assert rc == 0
    terms = {t["id"]: t for t in data["term"]}
    assert sorted(terms) == ["colour", "kyiv"]
    assert f"{src}:19: skipped entry bad-status: term 'data bus': unknown term status 'obsolete'" in err
    assert f"{src}:24: entry kyiv: left out <tig> without a <term>" in err
    assert "imported 2 entries, skipped 1" in err
    assert terms["kyiv"]["kind"] == "place" and terms["kyiv"]["forms"] == {"en": "Kyiv", "nl": "Kyiv"}


def test_tbx_keeps_definitions_notes_subject_fields_part_of_speech_and_regional_variants(tmp_path, capsys):
    rc, err, data, _ = _import(capsys, tmp_path, "g.tbx", TBX)
    colour = next(t for t in data["term"] if t["id"] == "colour")
    assert colour["forms"]["en"] == ["colour", "color"] and colour["forms"]["de"] == "Farbe"
    note = colour["note"].splitlines()
    assert "The property of light that the eye perceives as hue." in note
    assert "subject field: Printing" in note
    assert "en: American spelling" in note and "de: Farbeindruck" in note
    assert "part of speech: en-GB colour: noun" in note
    assert "regional variants: en-GB colour; en-US color" in note


def test_a_tbx_with_no_usable_entry_is_still_an_error(tmp_path, capsys):
    one = ('<martif type="TBX-Basic">\n<text><body>\n<termEntry id="bad-status">\n'
           '<langSet xml:lang="en"><tig><term>data bus</term>\n'
           '<termNote type="administrativeStatus">obsolete</termNote></tig></langSet>\n'
           '</termEntry>\n</body></text></martif>\n')
    rc, err, data, src = _import(capsys, tmp_path, "g.tbx", one)
    assert rc == 2 and data is None and "unknown term status 'obsolete'" in err and err.count("\n") == 1


def test_weblate_tbx_with_an_obsolete_status_imports_the_rest(tmp_path, capsys):
    rc, err, data, _ = _import(capsys, tmp_path, "w.tbx",
                               (THIRD / "weblate-fr-extended-metadata.tbx").read_text(encoding="utf-8"))
    assert rc == 0 and [t["id"] for t in data["term"]] == ["e002"]
    assert "Do not translate error codes." in data["term"][0]["note"]
    assert "skipped entry e001" in err


CSV = ("en,nl,de\nVolodymyr Zelensky,Volodymyr Zelensky,Wolodymyr Selenskyj\n"
       "Olena Zelenska,Olena Zelenska,Olena Selenska\nBlack Sea,Zwarte Zee,Schwarzes Meer\n"
       "Kyiv,Kyiv,Kyjiw\nCrimean Bridge,Krimbrug,Krim-Brücke\n")


def test_csv_without_a_kind_column_infers_persons_and_says_so(tmp_path, capsys):
    rc, err, data, src = _import(capsys, tmp_path, "g.csv", CSV)
    kinds = {t["id"]: t["kind"] for t in data["term"]}
    # given names the glossaries know (Volodymyr, Olena); Black Sea and Crimean Bridge are not persons
    assert kinds == {"volodymyr-zelensky": "person", "olena-zelenska": "person", "black-sea": "term",
                     "kyiv": "term", "crimean-bridge": "term"}
    assert "kind inferred as person for 2 entries" in err and "volodymyr-zelensky, olena-zelenska" in err


def test_csv_kind_option_sets_every_kind_and_a_kind_column_wins(tmp_path, capsys):
    rc, err, data, _ = _import(capsys, tmp_path, "g.csv", CSV, "--kind", "place")
    assert {t["kind"] for t in data["term"]} == {"place"} and "inferred" not in err
    rc, err, data, _ = _import(capsys, tmp_path, "k.csv", "kind,en,nl\nterm,Volodymyr Zelensky,Volodymyr Zelensky\n")
    assert data["term"][0]["kind"] == "term" and "inferred" not in err


def test_an_inferred_person_is_matched_by_surname_like_a_toml_person(tmp_path, capsys):
    rc, err, data, _ = _import(capsys, tmp_path, "g.csv", "en,nl\nVolodymyr Zelensky,Volodymyr Zelensky\n"
                                                        "Olena Zelenska,Olena Zelenska\n")
    art = tmp_path / "a.txt"
    art.write_text("Zelensky spoke on Tuesday. Later Zelenska visited a hospital in Kyiv.\n", encoding="utf-8")
    rc = main(["check", str(art), "--glossary", str(tmp_path / "out.toml"), "--format", "json", "--select", "ALL"])
    out = capsys.readouterr().out
    assert rc in (0, 1) and '"rule": "name/unexpected"' not in out
    from qa.text.glossary import load_glossaries
    from qa.engine.checker import Checker

    ch = Checker(glossary=load_glossaries([str(tmp_path / "out.toml")]), lang="en")
    from qa.engine.document import Document
    from qa.engine.name_matcher import match_names

    doc = Document(text="Zelensky spoke on Tuesday.", lang="en", index=ch.index_for("en"))
    assert [m.shape.term.id for m in match_names(doc)] == ["volodymyr-zelensky"]
