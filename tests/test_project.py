"""The project layer on its own: immutable settings, the project built once, the
"check one item" service (qa.project.checking), exit codes."""
from __future__ import annotations

import dataclasses

import pytest

from qa.model.findings import Finding, Severity
from qa.model.results import ItemResult, exit_code_for
from qa.project.project import Project
from qa.project.settings import Settings
from qa.sources.items import Item

TEXT = "Foreign Minister Koeleba met officials in Kiev. The the talks went on.\n"


@pytest.fixture(scope="module")
def project():
    return Project.from_options(no_config=True)


def test_settings_are_immutable_and_replaced_not_changed():
    s = Settings(lang="en")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.lang = "nl"  # type: ignore[misc]
    t = s.replace(lang="nl")
    assert (s.lang, t.lang) == ("en", "nl")
    assert Settings.from_json(t.to_json()) == t and t.digest() != s.digest()


def test_with_lang_and_reloaded_make_new_projects(project, tmp_path):
    nl = project.with_lang("nl")
    assert nl is not project and (project.lang, nl.lang) == ("en", "nl")
    assert project.with_lang("en") is project
    g = tmp_path / "g.toml"
    g.write_text('[glossary]\nformat = 1\n[[term]]\nid = "x"\nkind = "person"\nforms.en = "Xavier Quill"\n',
                 encoding="utf-8")
    again = project.reloaded([str(g)])
    assert again is not project and again.settings.glossaries[0][0] == str(g)
    assert project.settings.glossaries == []  # the shipped glossaries, as before


def test_findings_are_finished_once_and_immutable(project):
    fs, lang = project.item_checker.check_content(TEXT, "a.txt", key="a.txt")
    assert lang == "en" and {f.text for f in fs} >= {"Koeleba", "Kiev", "The the"}
    f = next(x for x in fs if x.text == "Koeleba")
    assert (f.line, f.column, f.end_column) == (1, 18, 25)  # positions filled by the engine
    assert f.fingerprint and f.fix_before == "Koeleba" and f.fix_after == "Kuleba"
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.severity = Severity.INFO  # type: ignore[misc]


def test_fingerprints_name_the_item_and_survive_edits_elsewhere(project):
    ic = project.item_checker
    a = {f.text: f.fingerprint for f in ic.check_content(TEXT, key="a.txt")[0]}
    b = {f.text: f.fingerprint for f in ic.check_content(TEXT, key="b.txt")[0]}
    # an edit after the finding's three words of context: the same finding
    edited = {f.text: f.fingerprint for f in ic.check_content(TEXT + "\nMore was said later.\n", key="a.txt")[0]}
    # the same sentence two lines down, behind other words: still the same finding (no offsets, no lines)
    moved = {f.text: f.fingerprint for f in ic.check_content("Intro line.\n\nA report: " + TEXT, key="a.txt")[0]}
    assert a["Koeleba"] != b["Koeleba"]  # another item
    assert a["Koeleba"] == edited["Koeleba"]
    assert moved["Kiev"] == a["Kiev"] and moved["Koeleba"] != a["Koeleba"]  # its context changed
    assert ic.check_content(TEXT)[0][0].fingerprint is None  # no key, no fingerprint


def test_configured_severity_is_applied(tmp_path):
    (tmp_path / "copydesk.toml").write_text('[severity]\n"name/transliteration" = "info"\n', encoding="utf-8")
    p = Project.from_options(cwd=tmp_path)
    fs, _ = p.item_checker.check_content(TEXT)
    assert {str(f.severity) for f in fs if f.rule == "name/transliteration"} == {"info"}


def test_check_item_reports_a_bad_input_instead_of_raising(project, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Kiev \xff\n")
    res = project.item_checker.check_item(Item("file", str(bad), str(bad), None, "bad.txt"))
    assert res.error and "UTF-8" in res.error and res.findings == []


def test_exit_code_for():
    warn = Finding("article/doubled-word", Severity.WARNING, 0, 1, "m")
    info = Finding("article/double-space", Severity.INFO, 0, 1, "m")
    ok, w, i = ItemResult("a"), ItemResult("b", findings=[warn]), ItemResult("c", findings=[info])
    assert exit_code_for([ok]) == 0
    assert exit_code_for([w]) == 0 and exit_code_for([w], "warning") == 1
    assert exit_code_for([i], "warning") == 0 and exit_code_for([i], "info") == 1
    assert exit_code_for([w], "never") == 0
    assert exit_code_for([w, ItemResult("d", error="gone")], "never") == 2
