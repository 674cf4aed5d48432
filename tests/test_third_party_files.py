"""Interchange files written by other tools (tests/data/third-party, see its
PROVENANCE.md): each is checked, fixed and written back, and what is written
differs from the original only in the fixed characters and still parses."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from lxml import etree

from qa.cli.main import main
from qa.model.findings import Applicability, Edit, Fix
from qa.sources.bilingual_files import CDATA, TEXT, raw_edits, read_bilingual, splice

DATA = Path(__file__).resolve().parent / "data" / "third-party"
FILES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".xlf", ".xliff", ".tmx", ".po"))


def test_the_collection_is_at_least_twenty_files_of_every_kind_with_provenance():
    kinds = {Path(f).suffix for f in FILES}
    assert len(FILES) >= 20 and kinds >= {".xlf", ".xliff", ".tmx", ".po"}
    assert any(DATA.glob("*.tbx"))
    listed = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    for p in DATA.iterdir():
        if p.name != "PROVENANCE.md":
            assert f"| {p.name} |" in listed, p.name


def _parses(path: Path, fmt: str):
    """The file read by translate-toolkit (and by lxml for XML): its units' targets."""
    data = path.read_bytes()
    if fmt == "po":
        from translate.storage.po import pofile as cls
    else:
        etree.parse(io.BytesIO(data), etree.XMLParser(resolve_entities=False, no_network=True))
        if fmt == "xliff2":
            from translate.storage.xliff2 import Xliff2File as cls
        elif fmt == "xliff1":
            from translate.storage.xliff import xlifffile as cls
        else:
            from translate.storage.tmx import tmxfile as cls
    store = cls.parsestring(data)
    return [str(t) for u in store.units for t in (getattr(u.target, "strings", None) or [u.target or ""])]


def _src_lang(bf) -> str:
    return bf.source_lang or "en"


@pytest.mark.parametrize("name", FILES)
def test_check_runs_and_fix_writes_nothing_it_did_not_fix(tmp_path, capsys, name):
    p = tmp_path / name
    shutil.copy(DATA / name, p)
    original = p.read_bytes()
    bf = read_bilingual(p)
    rc = main(["check", str(p), "--source-lang", _src_lang(bf)])
    out, err = capsys.readouterr()
    assert rc in (0, 1) and "error" not in err, err
    rc = main(["fix", str(p), "--in-place", "--no-backup", "--source-lang", _src_lang(bf)])
    out, err = capsys.readouterr()
    assert rc in (0, 1) and "error" not in err, err
    if " 0 fixes applied" in err:
        assert p.read_bytes() == original
    _parses(p, bf.format)


def _first_text_run(u) -> tuple[int, int] | None:
    """The first run of letters of the target written as plain text (or CDATA)."""
    i = 0
    n = len(u.target)
    while i < n:
        if u.target[i].isalpha() and u.modes[i] in (TEXT, CDATA):
            j = i
            while j < n and u.target[j].isalpha() and u.modes[j] == u.modes[i]:
                j += 1
            return i, j
        i += 1
    return None


@pytest.mark.parametrize("name", FILES)
def test_a_fix_in_each_unit_changes_only_its_characters_and_the_file_still_parses(tmp_path, name):
    src = DATA / name
    bf = read_bilingual(src)
    original = src.read_bytes()
    checked = 0
    for k, u in enumerate(bf.units):
        run = _first_text_run(u) if u.writable else None
        if run is None:
            continue
        a, b = run
        word = "Kuleba & <Co>"  # characters XML and PO must escape
        edits, n = raw_edits(u, [Fix((Edit(a, b, word),), Applicability.SAFE)])
        assert n == 1, (name, u.id)
        new_raw = splice(bf.raw, edits)
        out = tmp_path / name
        out.write_bytes(bf.encode(new_raw))
        data = out.read_bytes()
        # byte comparison: the same bytes before and after the edited target
        lo, hi = bf.encode(bf.raw[:u.starts[a]]), bf.encode(bf.raw[u.ends[b - 1]:])
        assert data.startswith(lo) and data.endswith(hi[3 if bf.bom else 0:] if bf.encoding == "utf-8" else hi)
        assert len(lo) + len(hi) <= len(original) + 3 and original.startswith(lo[:len(lo)])
        # re-read: this unit's target is the edited one, every other unit is as it was
        again = read_bilingual(out)
        assert [x.target for x in again.units] == [
            (x.target[:a] + word + x.target[b:]) if j == k else x.target for j, x in enumerate(bf.units)]
        # and the toolkit (and lxml) read the file, with the new words in it
        targets = _parses(out, bf.format)
        assert any(word in t for t in targets) or (bf.format == "tmx" and u.lang), (name, u.id)
        checked += 1
    if any(u.writable and u.target.strip() for u in bf.units):
        assert checked


def test_a_real_finding_in_each_file_is_fixed_in_place_byte_for_byte(tmp_path, capsys):
    """Mojibake planted in the first writable target of every file with one:
    ``fix`` gives back exactly the file with the repaired word."""
    done = 0
    for name in FILES:
        bf = read_bilingual(DATA / name)
        u = next((u for u in bf.units if u.writable and _first_text_run(u)), None)
        if u is None:
            continue
        a, b = _first_text_run(u)
        broken, good = " Ã©tÃ© cafÃ©", " été café"
        at = u.ends[b - 1]
        p = tmp_path / name
        p.write_bytes(bf.encode(bf.raw[:at] + broken + bf.raw[at:]))
        want = bf.encode(bf.raw[:at] + good + bf.raw[at:])
        rc = main(["fix", str(p), "--in-place", "--no-backup", "--source-lang", _src_lang(bf),
                   "--select", "encoding/mojibake"])
        out, err = capsys.readouterr()
        assert p.read_bytes() == want, (name, err)
        assert "0 findings left" in err
        _parses(p, bf.format)
        # the re-check agrees with what fix said was left
        assert main(["check", str(p), "--source-lang", _src_lang(bf), "--select", "encoding/mojibake"]) == 0
        capsys.readouterr()
        done += 1
    assert done >= 15
