"""Exact write-back into bilingual files, and the bilingual checks on real-world
shapes: comments, namespaces, inline codes, CDATA, several languages, plural
forms, declared encodings (issue 28)."""
from __future__ import annotations

import codecs
import json

import pytest

from qa.cli.main import main
from qa.model.findings import Applicability, Edit, Fix
from qa.sources.bilingual_files import raw_edits, read_bilingual

PLACEHOLDER = "\ufffc"  # an inline code as the rules see it

HEAD12 = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
          '  <file original="a" source-language="nl" target-language="en" datatype="plaintext"><body>\n')
TAIL12 = '  </body></file>\n</xliff>\n'


def _run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def _json(capsys, path, *extra):
    rc, out, _ = _run(capsys, "check", str(path), "--format", "json", *extra)
    return rc, json.loads(out)["files"][0]["findings"]


def _fix(capsys, path, *extra):
    return _run(capsys, "fix", str(path), "--in-place", "--no-backup", *extra)


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# --- targets located through the parsed tree ----------------------------------------------
def test_commented_out_target_is_never_edited_and_the_fix_reaches_the_real_one(tmp_path, capsys):
    raw = (HEAD12 + '    <trans-unit id="u1">\n      <source>Minister Koeleba sprak met Blinken.</source>\n'
           '      <!-- MT output was: <target>Minister Koeleba spoke with Blinken.</target> -->\n'
           '      <target>Minister Koeleba spoke with Blinken.</target>\n    </trans-unit>\n' + TAIL12)
    p = _write(tmp_path, "c.xlf", raw)
    rc, fs = _json(capsys, p)
    assert rc == 1 and [(f["rule"], f["line"]) for f in fs] == [("name/transliteration", 7)]
    rc, _, err = _fix(capsys, p)
    assert "1 fix applied, 0 findings left" in err
    new = p.read_text(encoding="utf-8")
    assert new == raw.replace("<target>Minister Koeleba spoke with Blinken.</target>\n    </trans-unit>",
                              "<target>Minister Kuleba spoke with Blinken.</target>\n    </trans-unit>")
    assert "<!-- MT output was: <target>Minister Koeleba" in new
    assert _run(capsys, "check", str(p))[0] == 0  # the re-check is clean


def test_prefixed_namespace_xliff2_with_inline_codes_and_cdata(tmp_path, capsys):
    raw = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="nl" trgLang="en">\n'
           ' <x:file id="f">\n'
           '  <x:unit id="u1"><x:segment><x:source>Koeleba <x:pc id="1">zei</x:pc> het.</x:source>\n'
           '   <x:target><x:pc id="1">Koeleba</x:pc> <x:ph id="2"/> said <x:mrk id="m" translate="no">Poetin</x:mrk>'
           ' <![CDATA[Koeleba & co]]>.</x:target></x:segment></x:unit>\n'
           ' </x:file>\n</x:xliff>\n')
    p = _write(tmp_path, "n.xlf", raw)
    bf = read_bilingual(p)
    assert bf.format == "xliff2"
    u = bf.units[0]
    assert u.target == f"Koeleba {PLACEHOLDER} said {PLACEHOLDER} Koeleba & co."
    rc, fs = _json(capsys, p)
    assert [(f["text"], f["line"]) for f in fs if f["rule"] == "name/transliteration"] == [("Koeleba", 5)] * 2
    assert not any(f["text"] == "Poetin" for f in fs)  # translate="no": not ours to judge
    rc, _, err = _fix(capsys, p)
    assert "2 fixes applied, 0 findings left" in err
    assert p.read_text(encoding="utf-8") == raw.replace(
        '<x:pc id="1">Koeleba</x:pc> <x:ph', '<x:pc id="1">Kuleba</x:pc> <x:ph').replace(
        "<![CDATA[Koeleba & co]]>", "<![CDATA[Kuleba & co]]>")


def test_a_fix_into_cdata_is_not_entity_escaped_and_codes_are_locked(tmp_path):
    raw = (HEAD12 + '<trans-unit id="u1"><source>a</source><target><![CDATA[x y]]> <x id="1"/> z</target>'
           '</trans-unit>\n' + TAIL12)
    u = read_bilingual(_write(tmp_path, "d.xlf", raw)).units[0]
    assert u.target == f"x y {PLACEHOLDER} z"
    cdata = Fix((Edit(1, 2, " & "),), Applicability.SAFE)
    code = Fix((Edit(4, 5, "<x/>"),), Applicability.SAFE)
    edits, n = raw_edits(u, [cdata, code])
    assert n == 1 and [e.replacement for e in edits] == [" & "]
    edits, n = raw_edits(u, [Fix((Edit(6, 7, "<b>"),), Applicability.SAFE)])
    assert [e.replacement for e in edits] == ["&lt;b&gt;"]  # outside CDATA it is escaped


def test_protected_mrk_text_is_never_edited(tmp_path, capsys):
    raw = (HEAD12 + '<trans-unit id="u1"><source>Koeleba sprak.</source>'
           '<target><mrk mtype="protected">Koeleba</mrk> spoke.</target></trans-unit>\n' + TAIL12)
    p = _write(tmp_path, "p.xlf", raw)
    rc, out, err = _run(capsys, "fix", str(p), "--in-place", "--no-backup")
    assert p.read_text(encoding="utf-8") == raw


def test_xliff12_with_its_attributes_is_read_as_xliff12(tmp_path, capsys):
    raw = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" '
           'xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0" version="1.2">\n'
           '  <file original="a" source-language="nl" target-language="en" datatype="plaintext"><body>\n'
           '<trans-unit id="u1"><source>Koeleba sprak.</source><target>Koeleba spoke.</target></trans-unit>\n'
           + TAIL12)
    p = _write(tmp_path, "its.xlf", raw)
    assert read_bilingual(p).format == "xliff1"
    rc, _, err = _fix(capsys, p)
    assert "1 fix applied" in err and "<target>Kuleba spoke.</target>" in p.read_text(encoding="utf-8")


def test_tmx_props_and_notes_before_seg_and_a_multilingual_tmx_per_language(tmp_path, capsys):
    raw = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
           '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" '
           'srclang="en" datatype="plaintext"/>\n<body>\n'
           '<tu tuid="1">\n <tuv xml:lang="en"><prop type="x">p</prop><seg>Kuleba met Putin.</seg></tuv>\n'
           ' <tuv xml:lang="nl"><note>checked</note><prop type="x-origin">mt</prop>\n'
           '  <seg>Kuleba ontmoette Poetin.</seg></tuv>\n'
           ' <tuv xml:lang="de"><seg>Koeleba traf Putin.</seg></tuv>\n</tu>\n</body>\n</tmx>\n')
    p = _write(tmp_path, "m.tmx", raw)
    rc, fs = _json(capsys, p)
    got = sorted((f["data"]["unit"], f["text"], f["line"]) for f in fs if f["rule"].startswith("name/"))
    # Dutch writes Koeleba and Poetin, German Kuleba and Putin: each tuv with its own language's forms
    assert got == [("1@de", "Koeleba", 9), ("1@nl", "Kuleba", 8)]
    rc, _, err = _fix(capsys, p, "--unsafe")
    new = p.read_text(encoding="utf-8")
    assert new == raw.replace("<seg>Kuleba ontmoette", "<seg>Koeleba ontmoette").replace(
        "<seg>Koeleba traf", "<seg>Kuleba traf")


# --- PO plural forms, XLIFF 2 segments ------------------------------------------------------
PO = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
      '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
      '#, fuzzy\nmsgid "Koeleba sprak"\nmsgstr "Kuleba spoke"\n\n'
      'msgid "Koeleba sprak %d keer"\nmsgid_plural "Koeleba sprak %d keer"\n'
      'msgstr[0] "Kuleba spoke %d time"\nmsgstr[1] "Koeleba spoke %d times"\n\n'
      '#~ msgid "Poetin"\n#~ msgstr "Poetin"\n')


def test_po_every_plural_form_is_checked_at_its_line_and_fixed_in_place(tmp_path, capsys):
    p = _write(tmp_path, "pl.po", PO)
    rc, fs = _json(capsys, p, "--source-lang", "nl")
    assert [(f["rule"], f["line"], f["column"], f["data"]["unit"]) for f in fs] == [
        ("name/transliteration", 14, 12, "2[1]")]
    rc, _, err = _fix(capsys, p, "--source-lang", "nl")
    assert "1 fix applied, 0 findings left" in err
    assert p.read_text(encoding="utf-8") == PO.replace('msgstr[1] "Koeleba', 'msgstr[1] "Kuleba')


def test_xliff2_unit_with_several_segments_is_written_back(tmp_path, capsys):
    raw = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="nl" trgLang="en">\n'
           '<file id="f"><unit id="u1">\n'
           '<segment id="s1"><source>Koeleba sprak.</source><target>Kuleba spoke.</target></segment>\n'
           '<ignorable><source> </source></ignorable>\n'
           '<segment id="s2"><source>Poetin zweeg.</source><target>Poetin was silent.</target></segment>\n'
           '</unit></file>\n</xliff>\n')
    p = _write(tmp_path, "s.xlf", raw)
    rc, fs = _json(capsys, p)
    assert [(f["data"]["unit"], f["line"]) for f in fs] == [("u1/s2", 6)]
    rc, _, err = _fix(capsys, p)
    assert "1 fix applied, 0 findings left" in err
    assert p.read_text(encoding="utf-8") == raw.replace("<target>Poetin was", "<target>Putin was")


# --- encodings -----------------------------------------------------------------------------
def test_utf16_tmx_is_written_back_as_utf16(tmp_path, capsys):
    raw = ('<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.4"><header srclang="nl" segtype="sentence" '
           'o-tmf="x" adminlang="en" datatype="plaintext" creationtool="t" creationtoolversion="1"/><body>\n'
           '<tu><tuv xml:lang="nl"><seg>Koeleba sprak.</seg></tuv><tuv xml:lang="en"><seg>Koeleba spoke.</seg></tuv>'
           '</tu>\n</body></tmx>\n')
    p = tmp_path / "u.tmx"
    p.write_bytes(codecs.BOM_UTF16_LE + raw.encode("utf-16-le"))
    rc, _, err = _fix(capsys, p)
    assert "1 fix applied" in err
    data = p.read_bytes()
    assert data == codecs.BOM_UTF16_LE + raw.replace("<seg>Koeleba spoke", "<seg>Kuleba spoke").encode("utf-16-le")


@pytest.mark.parametrize("name,text,encoding,wrong,right", [
    ("l.xlf", HEAD12.replace("UTF-8", "ISO-8859-1") + '<trans-unit id="u1"><source>Koeleba zei: één.</source>'
     '<target>Koeleba said: één.</target></trans-unit>\n' + TAIL12, "iso-8859-1", "Koeleba said", "Kuleba said"),
    ("c.po", 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=windows-1251\\n"\n\n'
     'msgid "Putin met Kuleba."\nmsgstr "Путин встретил Koeleba."\n', "windows-1251", "Koeleba", "Kuleba"),
])
def test_declared_encodings_are_read_and_written_back_in_their_own_encoding(tmp_path, capsys, name, text,
                                                                           encoding, wrong, right):
    p = _write(tmp_path, name, text, encoding)
    rc, out, err = _run(capsys, "check", str(p), "--source-lang", "nl" if name.endswith("xlf") else "en")
    assert rc == 1 and "not valid UTF-8" not in err and wrong.split()[0] in out
    rc, _, err = _fix(capsys, p, "--source-lang", "nl" if name.endswith("xlf") else "en")
    assert "1 fix applied" in err
    assert p.read_bytes() == text.replace(wrong, right).encode(encoding)


# --- positions -----------------------------------------------------------------------------
def test_end_line_and_column_count_from_the_file(tmp_path, capsys):
    raw = (HEAD12 + '<trans-unit id="u1">\n<source>Koeleba sprak.</source>\n'
           '<target>Gisteren sprak\nKoeleba.</target></trans-unit>\n' + TAIL12)
    p = _write(tmp_path, "e.xlf", raw)
    rc, fs = _json(capsys, p)
    f = next(f for f in fs if f["rule"] == "name/transliteration")
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (7, 1, 7, 8)


# --- the rules on bilingual units ----------------------------------------------------------
def test_inline_placeholder_between_two_words_is_no_doubled_word(tmp_path, capsys):
    raw = (HEAD12.replace('target-language="en"', 'target-language="de"').replace('source-language="nl"',
                                                                                  'source-language="en"')
           + '<trans-unit id="u1"><source>Close the door <x id="1"/> now.</source>'
           '<target>Mach die Tür zu <x id="1"/> zu.</target></trans-unit>\n'
           '<trans-unit id="u2"><source>Close the door.</source><target>Mach die Tür zu zu.</target></trans-unit>\n'
           + TAIL12)
    p = _write(tmp_path, "z.xlf", raw)
    rc, fs = _json(capsys, p)
    assert [(f["rule"], f["data"]["unit"]) for f in fs] == [("article/doubled-word", "u2")]


@pytest.mark.parametrize("source,target,rule", [
    ("Usage:   copydesk check   FILE", "Gebruik:   copydesk check   BESTAND", "article/double-space"),
    ("Type &amp;lt;b&amp;gt; for bold", "Typ &amp;lt;b&amp;gt; voor vet", "encoding/html-entity"),
    ("Use  the  menu", "Benutze  das  Menü", "article/double-space"),
])
def test_a_pattern_the_unit_source_has_is_the_translators_intent(tmp_path, capsys, source, target, rule):
    def unit(s, t):
        return f'<trans-unit id="u1"><source>{s}</source><target>{t}</target></trans-unit>\n'

    p = _write(tmp_path, "i.xlf", HEAD12.replace('source-language="nl"', 'source-language="en"') + unit(source, target)
               + TAIL12)
    rc, fs = _json(capsys, p)
    assert rule not in [f["rule"] for f in fs]
    # the same target against a source without it: a finding
    clean = source.replace("  ", " ").replace("   ", " ").replace("&amp;lt;b&amp;gt;", "&lt;b&gt;")
    clean = " ".join(clean.split())
    p = _write(tmp_path, "j.xlf", HEAD12.replace('source-language="nl"', 'source-language="en"') + unit(clean, target)
               + TAIL12)
    rc, fs = _json(capsys, p)
    assert rule in [f["rule"] for f in fs]


@pytest.mark.parametrize("lang,source,target", [
    ("ru", "Ukraine and Russia met in Turkey.", "Украина и Россия встретились в Турции."),
    ("uk", "Zelensky met Putin in Kyiv.", "Зеленський зустрівся з Путіним у Києві."),
    ("ru", "Zelensky spoke with Lukashenko.", "Зеленский поговорил с Лукашенко."),
    ("es", "Ukraine and Belarus signed with Lithuania.", "Ucrania y Bielorrusia firmaron con Lituania."),
])
def test_a_name_written_in_the_target_languages_own_forms_is_not_missing(tmp_path, capsys, lang, source, target):
    raw = (HEAD12.replace('target-language="en"', f'target-language="{lang}"').replace(
        'source-language="nl"', 'source-language="en"')
           + f'<trans-unit id="u1"><source>{source}</source><target>{target}</target></trans-unit>\n' + TAIL12)
    p = _write(tmp_path, "r.xlf", raw)
    rc, fs = _json(capsys, p)
    assert "name/missing" not in [f["rule"] for f in fs]
    # a name really dropped is still missing
    p = _write(tmp_path, "r2.xlf", raw.replace(target, target.split()[-1]))
    rc, fs = _json(capsys, p)
    assert "name/missing" in [f["rule"] for f in fs]


@pytest.mark.parametrize("lang,source,target", [
    ("de", "He bought 1 house.", "Er kaufte sich mit einem Kredit ein Haus."),
    ("ru", "The score was 0 to 2.", "Счёт был с нуля до двух."),
    ("uk", "He has 2 sons.", "Він має двох синів."),
])
def test_number_words_answer_for_digits(tmp_path, capsys, lang, source, target):
    raw = (HEAD12.replace('target-language="en"', f'target-language="{lang}"').replace(
        'source-language="nl"', 'source-language="en"')
           + f'<trans-unit id="u1"><source>{source}</source><target>{target}</target></trans-unit>\n' + TAIL12)
    p = _write(tmp_path, "w.xlf", raw)
    rc, fs = _json(capsys, p)
    assert "language/number-mismatch" not in [f["rule"] for f in fs]
    p = _write(tmp_path, "w2.xlf", raw.replace(source, source.replace("1 ", "7 ").replace("0 ", "7 ").replace(
        "2 ", "7 ")))
    rc, fs = _json(capsys, p)
    assert "language/number-mismatch" in [f["rule"] for f in fs]


# --- audit --source-dir: every input format pairs ---------------------------------------------
def test_audit_source_dir_pairs_html_pages_and_json_lines_records(tmp_path, capsys):
    from pathlib import Path as P

    ex = P(__file__).resolve().parent.parent / "examples" / "bilingual"
    en, nl = (ex / "article.en.txt").read_text(encoding="utf-8"), (ex / "article.nl.txt").read_text(encoding="utf-8")
    page = lambda t: "<html><body>" + "".join(f"<p>{p}</p>" for p in t.split("\n\n")) + "</body></html>"
    (tmp_path / "t").mkdir()
    (tmp_path / "s").mkdir()
    (tmp_path / "t" / "b.html").write_text(page(en), encoding="utf-8")
    (tmp_path / "s" / "b.html").write_text(page(nl), encoding="utf-8")
    rec = lambda i, t: json.dumps({"id": i, "text": t}) + "\n"
    (tmp_path / "t" / "c.jsonl").write_text(rec("x1", en) + rec("x2", "Kyiv is calm.") + rec("x3", "Odd."),
                                            encoding="utf-8")
    (tmp_path / "s" / "c.jsonl").write_text(rec("x2", "Kyiv is rustig.") + rec("x1", nl), encoding="utf-8")
    rc, out, _ = _run(capsys, "audit", str(tmp_path / "t"), "--source-dir", str(tmp_path / "s"), "--id-field",
                      "id", "--source-lang", "nl", "--jobs", "1", "--format", "json", "--no-progress")
    files = {P(f["item"]).name: f for f in json.loads(out)["files"]}
    bil = {"name/missing", "name/unexpected", "language/number-mismatch"}
    assert {f["rule"] for f in files["b.html"]["findings"]} >= bil
    assert files["b.html"]["source"]["path"].endswith("b.html")
    assert {f["rule"] for f in files["c.jsonl#x1"]["findings"]} >= bil  # paired by id, not by line
    assert files["c.jsonl#x1"]["source"]["path"].endswith("c.jsonl#x1")
    assert not files["c.jsonl#x2"]["findings"] and "source" in files["c.jsonl#x2"]
    assert "no source record with id 'x3'" in files["c.jsonl#x3"]["error"]
    # without ids, records pair by line
    rc, out, _ = _run(capsys, "audit", str(tmp_path / "t" / "c.jsonl"), "--source-dir", str(tmp_path / "s"),
                      "--source-lang", "nl", "--jobs", "1", "--format", "json", "--no-progress")
    files = {P(f["item"]).name: f for f in json.loads(out)["files"]}
    assert files["c.jsonl:2"]["source"]["path"].endswith("c.jsonl:2")
    assert not files["c.jsonl:1"].get("error") and files["c.jsonl:1"]["source"]["path"].endswith("c.jsonl:1")


@pytest.mark.parametrize("name,raw", [
    ("p.xlf", '<?xml version="1.0"?>\n<q:xliff xmlns:q="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
              '<q:file original="a" source-language="nl" target-language="en" datatype="plaintext"><q:body>\n'
              '<q:trans-unit id="u1"><q:source>Koeleba sprak.</q:source>\n'
              '<q:alt-trans><q:target>Koeleba spoke (TM).</q:target></q:alt-trans>\n'
              '<q:target>Koeleba spoke.</q:target></q:trans-unit>\n</q:body></q:file></q:xliff>\n'),
    ("o.tmx", '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n<tmx version="1.1">\n'
              '<header srclang="NL" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" '
              'creationtool="t" creationtoolversion="1"/>\n<body>\n<tu>\n<tuv lang="NL"><seg>Koeleba sprak.</seg></tuv>\n'
              '<tuv lang="EN"><prop type="x">y</prop>\n<seg>Koeleba spoke.</seg></tuv>\n</tu>\n</body>\n</tmx>\n'),
])
def test_prefixed_xliff12_and_tmx11_lang_attributes_are_located(tmp_path, capsys, name, raw):
    p = _write(tmp_path, name, raw)
    rc, fs = _json(capsys, p)
    assert [(f["rule"], f["line"]) for f in fs] == [("name/transliteration", raw.count("\n", 0, raw.rindex(
        "Koeleba spoke.")) + 1)]
    rc, _, err = _fix(capsys, p)
    assert "1 fix applied, 0 findings left" in err
    want = raw[:raw.rindex("Koeleba spoke.")] + "Kuleba spoke." + raw[raw.rindex("Koeleba spoke.") + 14:]
    assert p.read_text(encoding="utf-8") == want


def test_a_furniture_line_that_translates_the_source_line_is_no_boilerplate(tmp_path, capsys):
    po = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Lees meer"\nmsgstr "Read more"\n\nmsgid "Advertentie"\nmsgstr "Advertisement"\n\n'
          'msgid "Het kabinet is gevallen."\nmsgstr "The cabinet has fallen.\\nAdvertisement"\n')
    p = _write(tmp_path, "ui.po", po)
    rc, fs = _json(capsys, p, "--source-lang", "nl")
    # the UI strings translate their source; the line the MT added to the article is furniture
    assert [(f["rule"], f["data"]["unit"]) for f in fs] == [("article/boilerplate", "3")]


def test_a_unit_not_for_translation_is_not_checked(tmp_path, capsys):
    raw = (HEAD12 + '<trans-unit id="code" translate="no"><source>Koeleba spoke.</source>'
           '<target>Koeleba spoke.</target></trans-unit>\n'
           '<trans-unit id="u2"><source>Koeleba sprak.</source><target>Koeleba spoke.</target></trans-unit>\n'
           + TAIL12)
    p = _write(tmp_path, "t.xlf", raw)
    rc, fs = _json(capsys, p)
    assert [f["data"]["unit"] for f in fs] == ["u2"]
