"""Glossary import/export (TBX, CSV): round trip gives the same findings on the development corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import need_shared

from qa.cli.main import main
from qa.engine.checker import Checker

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval-dev"


@pytest.mark.parametrize("fmt", ["tbx", "tbx3", "csv", "tsv"])
def test_round_trip_same_findings(tmp_path, fmt):
    if not (EVAL / "glossary.toml").is_file():
        need_shared(EVAL / "glossary.toml", "../shared/eval-dev")
    ext = {"tbx3": "tbx"}.get(fmt, fmt)
    out = tmp_path / f"g.{ext}"
    assert main(["glossary", "export", str(EVAL / "glossary.toml"), "--format", fmt, "-o", str(out)]) == 0
    toml = tmp_path / "g.toml"
    assert main(["glossary", "import", str(out), "-o", str(toml)]) == 0
    assert _terms(toml) == _terms(EVAL / "glossary.toml")
    want = _all_findings(EVAL / "glossary.toml")
    assert want
    assert _all_findings(toml) == want


@pytest.mark.parametrize("fmt", ["tbx", "tbx3", "csv", "tsv"])
def test_round_trip_of_the_shipped_glossaries_keeps_every_term(tmp_path, fmt):
    """Several forms per language, wrong forms in several languages, natives, notes: all come back."""
    from qa.text.glossary import load_glossaries

    out = tmp_path / ("g.tbx" if fmt == "tbx3" else f"g.{fmt}")
    assert main(["glossary", "export", "--format", fmt, "-o", str(out)]) == 0
    toml = tmp_path / "g.toml"
    assert main(["glossary", "import", str(out), "-o", str(toml)]) == 0
    def key(t):
        return (t.id, t.kind, t.forms, t.native, t.wrong, t.note)
    shipped = [key(t) for t in load_glossaries(None).terms]
    assert len(shipped) > 300 and any(len(k[2].get("en", ())) > 1 for k in shipped) and any(k[5] for k in shipped)
    assert [key(t) for t in load_glossaries([str(toml)]).terms] == shipped


def test_bad_tbx_exit_2_no_file(tmp_path, capsys):
    bad = tmp_path / "b.tbx"
    bad.write_text("<martif>\n<text><body>\n<termEntry>\n</body></text></martif>\n")
    out = tmp_path / "o.toml"
    assert main(["glossary", "import", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:" in err and "Traceback" not in err
    assert not out.exists()


# ----------------------------------------------------------------------------- hand-written files
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interchange"
# tbx-basic.tbx: TBX-Basic 2008 (martif, termEntry/langSet/tig, termNote administrativeStatus, DCA);
# tbx-v3.tbx: TBX v3 Basic, DCT style (conceptEntry/langSec/termSec, basic:administrativeStatus);
# sheets.csv: a spreadsheet glossary (language-code header, id/kind/status/description columns);
# memoq.csv: memoQ's CSV export layout (Entry_* columns, <Language>_Def, <Language>, Term_Info,
# Term_Example; ';'-delimited). All four are the eval-dev glossary's 44 terms, written by hand.
HAND = {"tbx-basic.tbx": True, "tbx-v3.tbx": True, "sheets.csv": True, "memoq.csv": False}


def _reference(tmp_path, with_wrong: bool) -> Path:
    """The format-1 glossary the file expresses: eval-dev's, without its wrong forms for memoQ
    (memoQ keeps "forbidden" in Term_Info, which copydesk does not decode)."""
    text = (EVAL / "glossary.toml").read_text(encoding="utf-8")
    if not with_wrong:
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("wrong.")) + "\n"
    ref = tmp_path / "reference.toml"
    ref.write_text(text, encoding="utf-8")
    return ref


def _all_findings(glossary_path):
    from qa.text.cache import compile_glossary, read_sources

    g, index = compile_glossary(read_sources([str(glossary_path)]), "en", use_cache=False)
    ch = Checker(index=index, lang="en", select=["name"], glossary=g)
    out = []
    for p in sorted((EVAL / "corrupt").glob("*.txt")) + sorted((EVAL / "clean").glob("*.txt")):
        fs, _ = ch.check_text(p.read_text(encoding="utf-8"), str(p))
        out += [(p.parent.name, p.name, f.rule, f.start, f.end, f.term, f.text, f.replacement) for f in fs]
    return out


def _terms(path):
    from qa.text.glossary import load_glossaries

    return [(t.id, t.kind, t.forms, t.native, t.wrong) for t in load_glossaries([str(path)]).terms]


@pytest.mark.parametrize("name", sorted(HAND))
def test_hand_written_file_checks_like_the_format_1_glossary(tmp_path, name):
    if not (EVAL / "glossary.toml").is_file():
        need_shared(EVAL / "glossary.toml", "../shared/eval-dev")
    out = tmp_path / "imported.toml"
    assert main(["glossary", "import", str(FIXTURES / name), "-o", str(out)]) == 0
    ref = _reference(tmp_path, HAND[name])
    assert _terms(out) == _terms(ref)
    want = _all_findings(ref)
    assert len(want) > 100 and len({f[5] for f in want}) > 30  # most of the 44 terms are at work
    assert _all_findings(out) == want
    if not HAND[name]:  # without the wrong forms the findings do differ: the comparison can tell
        (tmp_path / "full").mkdir()
        assert _all_findings(_reference(tmp_path / "full", True)) != want


@pytest.mark.parametrize("name", sorted(HAND))
def test_notes_and_kinds_carry_over(tmp_path, name):
    from qa.text.glossary import load_glossaries

    out = tmp_path / "imported.toml"
    assert main(["glossary", "import", str(FIXTURES / name), "-o", str(out)]) == 0
    terms = {t.id: t for t in load_glossaries([str(out)]).terms}
    assert "Mayor of Moscow" in terms["sergei-sobyanin"].note
    assert (terms["kyiv"].kind, terms["kremlin"].kind, terms["shakhtar-donetsk"].kind) == ("place", "org", "org")
    if name.endswith(".tbx"):  # a note on a deprecated term (tig / termSec level)
        assert "the Dutch press spelling" in terms["valerii-zaluzhnyi"].note


# ----------------------------------------------------------------------------- TBX-Basic structure
def _schema(name):
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(FIXTURES / name)))


@pytest.mark.parametrize("fmt,schema", [("tbx", "tbx-basic-subset.rng"), ("tbx3", "tbx-v3-basic-subset.rng")])
@pytest.mark.parametrize("source", ["shipped", "eval-dev", "hand"])
def test_export_is_valid_tbx_basic(tmp_path, fmt, schema, source):
    from lxml import etree

    paths = {"shipped": [], "eval-dev": [str(EVAL / "glossary.toml")], "hand": []}[source]
    if source == "eval-dev" and not (EVAL / "glossary.toml").is_file():
        need_shared(EVAL / "glossary.toml", "../shared/eval-dev")
    if source == "hand":  # a glossary with several forms, notes and a term id starting with a digit
        g = tmp_path / "h.toml"
        g.write_text('[glossary]\nformat = 1\n\n[[term]]\nid = "2nd-army"\nkind = "org"\n'
                     'forms.en = ["2nd Army", "Second Army"]\nforms.de = "2. Armee"\nwrong.en = ["2th Army"]\n'
                     'note = "two\\nlines & <markup>"\n', encoding="utf-8")
        paths = [str(g)]
    out = tmp_path / "g.tbx"
    assert main(["glossary", "export", *paths, "--format", fmt, "-o", str(out)]) == 0
    rng = _schema(schema)
    doc = etree.parse(str(out))
    assert rng.validate(doc), rng.error_log
    # the schema can fail: a langSet/langSec with a tig/termSec but no term, or a status TBX-Basic lacks
    broken = etree.parse(str(out))
    term = next(e for e in broken.iter() if isinstance(e.tag, str) and e.tag.endswith("}term") or e.tag == "term")
    term.getparent().remove(term)
    assert not rng.validate(broken)
    wrong = etree.parse(str(out))
    st = next(e for e in wrong.iter() if isinstance(e.tag, str) and e.get("type") == "administrativeStatus")
    st.text = "forbiddenTerm"
    assert not rng.validate(wrong)
    # and it round-trips
    back = tmp_path / "back.toml"
    assert main(["glossary", "import", str(out), "-o", str(back)]) == 0
    if source == "hand":
        (t,) = _terms(back)
        assert t[0] == "2nd-army" and t[2] == {"en": ("2nd Army", "Second Army"), "de": ("2. Armee",)}


def test_hand_written_tbx_basic_is_valid_against_the_subset():
    rng = _schema("tbx-basic-subset.rng")
    from lxml import etree

    assert rng.validate(etree.parse(str(FIXTURES / "tbx-basic.tbx"))), rng.error_log


# ----------------------------------------------------------------------------- bad input
BAD = {
    # name: (file name, content, line in the message, words in the message)
    "csv-empty": ("g.csv", "", 1, "header row"),
    "csv-no-language-column": ("g.csv", "id,kind,note\nkyiv,place,x\n", 1, "no language column"),
    "csv-unknown-language": ("g.csv", "id,en,xx\nkyiv,Kyiv,Kyjiw\n", 1, "'xx' is not"),
    "csv-unknown-language-name": ("g.csv", "Entry_ID;English;Klingonese\n1;Kyiv;x\n", 1, "'Klingonese' is not"),
    "csv-ragged-row": ("g.csv", "id,en,uk\nkyiv,Kyiv,Київ\nodesa,Odesa,Одеса,Odessa\n", 3, "4 fields"),
    "csv-no-terms": ("g.csv", "id,en,uk\n\n", 2, "no entries"),
    "csv-bad-status": ("g.csv", "id,status,en\nkyiv,maybe,Kyiv\n", 2, "unknown term status"),
    "csv-deprecated-only": ("g.csv", "id,status,en\nkyiv,deprecated,Kiev\n", 2, "no accepted"),
    "tsv-ragged-row": ("g.tsv", "en\tuk\nKyiv\tКиїв\nOdesa\tОдеса\tx\n", 3, "3 fields"),
    "csv-not-utf8": ("g.csv", b"en,de\nKyiv,K\xf6ln\n", 2, "not valid UTF-8"),
    "tbx-malformed": ("g.tbx", '<?xml version="1.0"?>\n<martif type="TBX-Basic">\n<text><body>\n'
                               '<termEntry id="a"><langSet xml:lang="en"><tig><term>Kyiv</term></tig>\n'
                               '</termEntry></body></text></martif>\n', 5, "XML syntax"),
    "tbx-no-terms": ("g.tbx", '<martif type="TBX-Basic">\n<text>\n<body/>\n</text>\n</martif>\n', 1,
                     "no termEntry"),
    "tbx-empty-term": ("g.tbx", '<martif>\n<text><body>\n<termEntry id="a">\n<langSet xml:lang="en">\n'
                                '<tig><term/></tig>\n</langSet></termEntry></body></text></martif>\n', 5,
                       "without a <term>"),
    "tbx-unknown-language": ("g.tbx", '<martif>\n<text><body>\n<termEntry id="a">\n<langSet xml:lang="qq">\n'
                                      '<tig><term>Kyiv</term></tig></langSet></termEntry></body></text></martif>\n',
                             4, "'qq' is not"),
    "tbx-wrong-root": ("g.tbx", '<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>\n', 2, "not <martif>"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_file_line_exit_2_nothing_written(tmp_path, capsys, case):
    name, content, line, words = BAD[case]
    src = tmp_path / name
    if isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.toml"
    assert main(["glossary", "import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{src}:{line}: " in err and words in err, err
    assert not out.exists()
    # an existing output file is left as it was
    out.write_bytes(b"# kept\n")
    assert main(["glossary", "import", str(src), "-o", str(out)]) == 2
    assert out.read_bytes() == b"# kept\n"
    assert not [p for p in tmp_path.iterdir() if p.name not in (name, "out.toml")]  # no temporary left
    capsys.readouterr()
