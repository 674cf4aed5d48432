"""Issue 28, security and smaller defects: reports that cannot attack their
reader (CSV formula injection), outputs that are never replaced when they are
devices or FIFOs, inputs that cannot hang a walk (FIFOs), the user's I/O errors
on standard output (closed pipe, full disk), the XML defences of every XML
format (no external entity fetched, entity amplification, depth and text-node
limits) with the position of their errors, TBX entities, `--select ""`.

Device tests never touch the machine's own /dev/null or /dev/full as root (a
regression there would replace them): root gets private device nodes instead."""
from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from qa.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "Koeleba said that talks will continue next week.\n"

FORMULA_ARTICLE = """The foreign minister met his colleagues in Brussels on Tuesday to discuss the situation.

=HYPERLINK("http://example.com/x","click") De minister zei dinsdag dat de oorlog nog lang niet voorbij is en dat de regering meer steun nodig heeft van haar bondgenoten in Europa.

+SUM(1;2) Der Minister sagte am Dienstag, dass der Krieg noch lange nicht vorbei sei und die Regierung mehr Unterstützung von ihren Verbündeten in Europa brauche.

Der Minister sagte am Dienstag, dass die Gespräche in der kommenden Woche in Brüssel mit allen Partnern fortgesetzt werden sollen.

The talks will continue next week.
"""


def run(*args, cwd=None, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    kw.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=cwd or ROOT, env=env, **kw)


# ----------------------------------------------------------------------------- standard output
def test_closed_pipe_on_stdout_exits_quietly(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE * 50, encoding="utf-8")
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the first byte (`| head -0`)
    try:
        p = run("check", str(art), stdout=w, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(w)
    assert p.returncode == 141, p.stderr  # 128 + SIGPIPE, as a shell reports other tools
    assert p.stderr == ""


def test_full_disk_on_stdout_is_one_line_exit_2(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    with open("/dev/full", "w") as full:
        p = run("check", str(art), stdout=full, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 2
    assert p.stderr == "copydesk: error: cannot write: No space left on device\n"


# ----------------------------------------------------------------------------- --select ""
@pytest.mark.parametrize("sel", ["", ",", " , "])
def test_empty_select_is_a_usage_error(tmp_path, capsys, sel):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    assert main(["check", "--select", sel, str(art)]) == 2
    assert "--select names no rule" in capsys.readouterr().err


def test_ignoring_everything_is_still_allowed(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    assert main(["check", "--ignore", "ALL", str(art)]) == 0
    assert "enables no rule" in capsys.readouterr().out


# ----------------------------------------------------------------------------- CSV injection
def test_csv_cell_neutralises_formula_starts():
    from qa.report.render import csv_cell

    for bad in ("=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(bad) == "'" + bad
    for ok in ("Kyiv", "name/near-miss", " =1", "a=b", "", "'quoted"):
        assert csv_cell(ok) == ok
    assert csv_cell(3) == 3 and csv_cell(None) == ""


def test_check_csv_neutralises_untrusted_text(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("@evil.txt").write_text(FORMULA_ARTICLE, encoding="utf-8")
    assert main(["check", "--format", "csv", "@evil.txt"]) == 1
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    texts = [r["text"] for r in rows]
    assert any(t.startswith("'=HYPERLINK(") for t in texts)
    assert any(t.startswith("'+SUM(1;2)") for t in texts)
    assert any(t.startswith("Der Minister") for t in texts)  # an ordinary cell keeps its text
    assert all(r["item"] == "'@evil.txt" and r["path"] == "'@evil.txt" for r in rows)
    assert {r["rule"] for r in rows} == {"language/untranslated"}
    # each neutralised cell stays quoted; numbers stay bare
    line = next(l for l in out.splitlines() if "HYPERLINK" in l)
    assert line.startswith('"\'@evil.txt","\'@evil.txt",3,1,')
    assert ',"\'=HYPERLINK(""http://example.com/x"",""click"") De minister' in line


def test_audit_csv_neutralises_jsonl_item_ids(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("-corpus.jsonl").write_text(
        '{"id": "=cmd|\' /C calc\'!A0", "text": "Koeleba said that talks will continue."}\n', encoding="utf-8")
    rc = main(["audit", "--format", "csv", "--id-field", "id", "-o", "report.csv", "--", "-corpus.jsonl"])
    assert rc == 1
    raw = Path("report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["item"] for r in rows] == ["'-corpus.jsonl#=cmd|' /C calc'!A0"]
    assert rows[0]["text"] == "Koeleba" and rows[0]["replacement"] == "Kuleba"


# ----------------------------------------------------------------------------- --output to devices
def _devices(tmp_path) -> tuple[str, str]:
    """A null and a full device to write to: the system's as a normal user (who
    cannot replace them), private nodes as root."""
    if os.geteuid() != 0:
        return "/dev/null", "/dev/full"
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    return str(null), str(full)


def test_output_to_a_device_is_written_through(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    null, full = _devices(tmp_path)
    assert main(["audit", "-q", str(art), "-o", null]) == 1
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert main(["audit", "-q", str(art), "--format", "csv", "-o", full]) == 2
    assert stat.S_ISCHR(os.stat(full).st_mode)
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"copydesk: error: {full}: cannot write: No space left on device"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_output_to_a_fifo_is_written_through(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["audit", "-q", str(art), "--format", "json", "-o", str(fifo)]) == 1
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and b'"Kuleba"' in got[0]


def test_output_through_a_symlink_replaces_its_target(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.txt"
    link.symlink_to(target.name)
    assert main(["audit", "-q", str(art), "-o", str(link)]) == 1
    assert link.is_symlink() and "Kuleba" in target.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- FIFOs as inputs
def test_a_fifo_in_a_folder_is_skipped_with_a_note(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    for cmd in ("check", "audit"):
        p = run(cmd, str(tmp_path), capture_output=True, text=True, timeout=60)
        assert p.returncode == 1, p.stderr
        notes = [l for l in p.stderr.splitlines() if "b.txt" in l]
        assert notes == [f"copydesk: note: skipped {tmp_path / 'b.txt'}: a FIFO, not a regular file"]
        assert "a.txt:1:1: name/transliteration" in p.stdout  # the regular file beside it is checked


def test_walk_keeps_regular_files_and_symlinks_to_them(tmp_path, capsys):
    from qa.sources.items import ALL_SUFFIXES, _walk

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("sub/a.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")  # kept: reading it reports "no such file"
    (tmp_path / "dirlink.txt").symlink_to("sub")  # a folder: neither entered nor a file
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "sub" / "pipe.md")
    os.mkfifo(tmp_path / "sub" / "pipe.bin")  # not an article suffix: no note
    got = [p.relative_to(tmp_path).as_posix() for p in _walk(tmp_path, ALL_SUFFIXES)]
    assert got == ["gone.txt", "link.txt", "sub/a.txt"]
    assert capsys.readouterr().err.splitlines() == [
        f"copydesk: note: skipped {tmp_path / 'sub' / 'pipe.md'}: a FIFO, not a regular file"]


def test_a_fifo_named_on_the_command_line_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "live.txt"
    os.mkfifo(fifo)
    p = run("check", str(fifo), capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert f"{fifo}: error: a FIFO, not a regular file: not read" in p.stderr


# ----------------------------------------------------------------------------- XML defences
SECRET = "TOP-SECRET-7f3a"
LAUGHS = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>")

XLIFF1 = """<?xml version="1.0" encoding="UTF-8"?>
{dtd}
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a" source-language="en" target-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>Kuleba said</source><target>Koeleba said {body} today</target></trans-unit>
</body></file></xliff>
"""
XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
{dtd}
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="en"><file id="f">
<unit id="1"><segment><source>Kuleba said</source><target>Koeleba said {body} today</target></segment></unit>
</file></xliff>
"""
TMX = """<?xml version="1.0" encoding="UTF-8"?>
{dtd}
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="en"><seg>Kuleba said</seg></tuv><tuv xml:lang="nl"><seg>Koeleba said {body} today</seg></tuv></tu>
</body></tmx>
"""
TBX = """<?xml version="1.0" encoding="UTF-8"?>
{dtd}
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="k"><langSet xml:lang="en"><tig><term>Dmytro {body} Kuleba</term></tig></langSet></termEntry>
</body></text></martif>
"""
FORMATS = {"xliff1.xlf": XLIFF1, "xliff2.xlf": XLIFF2, "memory.tmx": TMX}
# the line of the document that holds {body}
BODY_LINE = {"xliff1.xlf": 5, "xliff2.xlf": 4, "memory.tmx": 4, "terms.tbx": 4}


def _doc(template: str, dtd: str, body: str) -> str:
    return template.format(dtd=dtd, body=body)


def _col(text: str, needle: str) -> tuple[int, int]:
    off = text.index(needle, text.find("]>") + 1)
    line = text.count("\n", 0, off) + 1
    return line, off - (text.rfind("\n", 0, off) + 1) + 1


def _read(name: str, text: str, tmp_path: Path) -> str:
    """The one-line error reading ``text`` as ``name`` gives (check for the
    bilingual formats, glossary import for TBX)."""
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    if name.endswith(".tbx"):
        from qa.services.interchange import import_glossary
        from qa.text.glossary import GlossaryError

        with pytest.raises(GlossaryError) as ei:
            import_glossary(f)
        return str(ei.value)
    from qa.sources.bilingual_files import BilingualError, read_bilingual

    with pytest.raises(BilingualError) as ei:
        read_bilingual(f)
    return str(ei.value)


ALL_XML = {**FORMATS, "terms.tbx": TBX}


@pytest.mark.parametrize("name", sorted(ALL_XML))
def test_entity_amplification_is_refused_at_its_place(tmp_path, name):
    text = _doc(ALL_XML[name], LAUGHS, "&j;")
    msg = _read(name, text, tmp_path)
    assert "amplification" in msg
    line, col = _col(text, "&j;")
    assert line == BODY_LINE[name]
    if name.endswith(".tbx"):
        assert msg.startswith(f"{tmp_path / name}:{line}: XML syntax:") and msg.endswith(f"(column {col})")
    else:
        assert msg.endswith(f"(line {line}, column {col})")
    assert "\n" not in msg


@pytest.mark.parametrize("name", sorted(ALL_XML))
def test_depth_and_text_node_limits_hold(tmp_path, name):
    deep = "".join("<hi>" if name.endswith(".tbx") else "<g id='x'>" for _ in range(400)) + "deep" + \
        ("</hi>" if name.endswith(".tbx") else "</g>") * 400
    assert "depth" in _read(name, _doc(ALL_XML[name], "", deep), tmp_path).lower()
    huge = "word " * 2_050_000  # > libxml2's 10 MB text node limit (lxml's huge_tree is off)
    assert "too long" in _read(name, _doc(ALL_XML[name], "", huge), tmp_path).lower()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_external_entities_are_never_fetched(tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    dtd = (f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">'
           f'<!ENTITY % p SYSTEM "file://{tmp_path / "evil.dtd"}"> %p;]>')
    (tmp_path / "evil.dtd").write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    f = tmp_path / name
    f.write_text(_doc(FORMATS[name], dtd, "&xxe;"), encoding="utf-8")
    p = run("check", "--format", "json", str(f), capture_output=True, text=True, timeout=60)
    assert SECRET not in p.stdout and SECRET not in p.stderr
    # not read, and not silently dropped from the text either: refused, naming the entity and its place
    assert p.returncode == 2, p.stderr
    line, col = _col(f.read_text(encoding="utf-8"), "&xxe;")
    assert (f"unresolved entity reference &xxe; (line {line}, column {col}): an external entity is never read"
            in p.stderr)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_internal_entities_still_read(tmp_path, name):
    from qa.sources.bilingual_files import read_bilingual

    f = tmp_path / name
    f.write_text(_doc(FORMATS[name], '<!DOCTYPE x [<!ENTITY when "on Monday">]>', "&when;"), encoding="utf-8")
    assert [u.target for u in read_bilingual(f).units] == ["Koeleba said on Monday today"]


def test_tbx_unresolved_entity_is_refused_naming_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    text = _doc(TBX, f'<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;")
    msg = _read("terms.tbx", text, tmp_path)
    assert msg == (f"{tmp_path / 'terms.tbx'}:4: unresolved entity reference &xxe; "
                   "(entities are not expanded; write the text itself)")
    # an internal entity is not expanded either
    text = _doc(TBX, '<!DOCTYPE martif [<!ENTITY co "Company">]>', "&co;")
    assert "unresolved entity reference &co;" in _read("terms.tbx", text, tmp_path)
    # through the command line: one line, exit 2
    p = run("glossary", "import", str(tmp_path / "terms.tbx"), capture_output=True, text=True)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "&co;" in p.stderr


def test_tbx_with_only_predefined_and_character_references_imports(tmp_path):
    f = tmp_path / "terms.tbx"
    f.write_text(_doc(TBX, "", "&amp; &#x41;"), encoding="utf-8")
    from qa.services.interchange import import_glossary

    assert 'forms.en = "Dmytro & A Kuleba"' in import_glossary(f)


def test_interchange_docs_name_every_tbx_status():
    """The TBX statuses import reads (Weblate's `forbidden` among them) are documented."""
    from qa.services.interchange import _STATUS

    doc = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
    tbx = doc[doc.index("## TBX"):doc.index("## CSV")]
    missing = [s for s in _STATUS if s and f"`{s}`" not in tbx.lower()]
    assert not missing, missing


def test_glossary_export_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "terms.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    p = run("glossary", "export", "--format", "tbx", "-o", str(fifo), capture_output=True, text=True, timeout=60)
    reader.join(10)
    assert p.returncode == 0, p.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and got and b"<martif" in got[0]
