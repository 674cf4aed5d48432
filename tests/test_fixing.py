"""The fix service (qa.services.fixing) on its own, and every check result
rendered through the report layer, bilingual files included."""
from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest

from qa.project.project import Project
from qa.report.render import render
from qa.services.bilingual import check_paths
from qa.services.fixing import fix_paths, write_fixed

ROOT = Path(__file__).resolve().parents[1]
BILINGUAL = ROOT / "examples" / "bilingual"


@pytest.fixture(scope="module")
def project():
    return Project.from_options(no_config=True)


def test_a_plain_article_is_fixed_in_memory_then_written(tmp_path, project):
    art = tmp_path / "a.txt"
    raw = "\ufeffThe the minister spoke in Kiev.\r\n".encode("utf-8")
    art.write_bytes(raw)
    run = fix_paths(project, [str(art)])
    assert len(run) == 1
    [fixed] = list(run)
    assert fixed.error is None and fixed.old == raw.decode("utf-8")[1:]
    assert fixed.new == "The minister spoke in Kyiv.\r\n"
    assert fixed.data == "\ufeffThe minister spoke in Kyiv.\r\n".encode("utf-8")  # BOM and CRLF kept
    assert (fixed.applied, fixed.left) == (2, 0)
    assert art.read_bytes() == raw  # nothing written yet
    written = write_fixed(fixed)
    assert art.read_bytes() == fixed.data and written.original == tmp_path / "a.txt.orig"


def test_an_unchanged_file_is_not_written(tmp_path, project):
    art = tmp_path / "clean.txt"
    art.write_text("The minister spoke in Kyiv.\n", encoding="utf-8")
    [fixed] = list(fix_paths(project, [str(art)]))
    assert not fixed.changed and write_fixed(fixed) is None
    assert not (tmp_path / "clean.txt.orig").exists()


def test_an_unreadable_file_is_an_error_result(tmp_path, project):
    [fixed] = list(fix_paths(project, [str(tmp_path / "missing.txt")]))
    assert fixed.error and not fixed.changed and write_fixed(fixed) is None


def test_a_bilingual_file_is_fixed_only_inside_its_targets(tmp_path, project):
    po = tmp_path / "article.po"
    shutil.copy(BILINGUAL / "article.po", po)
    raw = po.read_text(encoding="utf-8")
    [fixed] = list(fix_paths(project, [str(po)], unsafe=True))
    assert fixed.applied >= 1
    changed = [(a, b) for a, b in zip(raw.splitlines(), fixed.new.splitlines()) if a != b]
    assert changed and all(not a.startswith(("msgid", "msgctxt", "#")) for a, _ in changed)
    assert "Kharkiv" in fixed.new and "Kharkov" not in fixed.new
    link = tmp_path / "link.po"
    link.symlink_to(po)
    write_fixed(dataclasses.replace(fixed, path=str(link)))
    assert link.is_symlink() and po.read_text(encoding="utf-8") == fixed.new
    assert (tmp_path / "article.po.orig").read_text(encoding="utf-8") == raw


def test_bilingual_json_has_the_words_of_its_targets(project):
    pairs = check_paths(project, [str(BILINGUAL / "article.po")])
    out = io.StringIO()
    render("json", [p.as_item_result() for p in pairs], out)
    [f] = json.loads(out.getvalue())["files"]
    # counted by hand: "Kuleba warns of new attacks" 5; the second target 20 ("3,000" is two
    # words, as in every other report); the third 16; the fourth 16 ("1,5" is two)
    assert f["words"] == 5 + 20 + 16 + 16
    assert f["source"]["alignment"] == "unit"
    assert all("unit" in x["data"] for x in f["findings"])


def test_bilingual_text_names_the_unit(project):
    pairs = check_paths(project, [str(BILINGUAL / "article.po")])
    out = io.StringIO()
    render("text", [p.as_item_result() for p in pairs], out, sources=True)
    lines = out.getvalue().splitlines()
    assert any(line.endswith("[unit p3]") and "Kharkov" in line for line in lines)
    assert lines[-1].startswith("Found ")
    assert not any(": source " in line for line in lines)  # a bilingual file's units carry their sources


def test_a_plain_pair_names_its_source(tmp_path, project):
    pairs = check_paths(project.with_lang("nl"), [str(BILINGUAL / "article.nl.txt")],
                        source=str(BILINGUAL / "article.en.txt"))
    out = io.StringIO()
    render("text", [p.as_item_result() for p in pairs], out, sources=True)
    first = out.getvalue().splitlines()[0]
    assert first.startswith(f"{BILINGUAL / 'article.nl.txt'}: source {BILINGUAL / 'article.en.txt'} (en), aligned by")
