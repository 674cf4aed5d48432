"""One front door: the same configuration gives the same findings through
check, fix --diff, review and audit; and the CLI defects the seams caused."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli.main import build_parser, main

GLOSSARY = """\
[glossary]
name = "front door test"
format = 1

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
wrong.en = ["Kiev"]

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
forms.nl = "Dmytro Koeleba"
native.uk = "Дмитро Кулеба"
"""

# a name error (Kiev), a mojibake (â€œ…â€), a doubled word and a Dutch-style spelling (Koeleba)
ARTICLE = ("Officials in Kiev said on Monday that the the talks would resume.\n\n"
           "Foreign minister Koeleba called the plan â€œdangerousâ€ in a statement.\n")


@pytest.fixture
def desk(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    (tmp_path / "g.toml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check_json(capsys, *argv) -> tuple[int, dict]:
    rc = main(["check", "--format", "json", *argv])
    return rc, json.loads(capsys.readouterr().out)


def _spans(findings) -> list[tuple[str, int, int, str]]:
    return sorted((f["rule"], f["start"], f["end"], f["severity"]) for f in findings)


def _review_findings(argv: list[str]):
    """The findings the review UI shows, with the project ``copydesk review`` builds."""
    import asyncio

    from qa.cli.common import project_from_args
    from qa.cli.main import review_options
    from tui.app import make_app

    args = build_parser().parse_args(["review", *argv])
    app = make_app(project_from_args(args), review_options(args))

    async def run():
        async with app.run_test() as pilot:
            for _ in range(400):
                await pilot.pause(0.02)
                if app.review.session is not None and not app.workers._workers:
                    break
            await app.workers.wait_for_complete()
            s = app.review.session
            return [f.to_json() for f in s.findings] if s is not None else []

    return asyncio.run(run())


def test_same_config_same_findings_through_every_command(desk, capsys):
    (desk / "copydesk.toml").write_text(
        'glossary = ["g.toml"]\nselect = ["encoding", "name/wrong-form"]\n'
        '[severity]\n"name/wrong-form" = "warning"\n', encoding="utf-8")
    rc, data = _check_json(capsys, "news/a.txt")
    checked = _spans(data["files"][0]["findings"])
    assert rc == 1
    assert {r for r, *_ in checked} == {"encoding/mojibake", "name/wrong-form"}  # select honoured
    assert ("name/wrong-form", 13, 17, "warning") in checked  # severity override honoured

    main(["audit", "--format", "json", "--no-progress", "--jobs", "1", "news"])
    audited = json.loads(capsys.readouterr().out)
    assert _spans(audited["files"][0]["findings"]) == checked

    assert _spans(_review_findings(["news/a.txt"])) == checked

    main(["fix", "--unsafe", "--diff", "news/a.txt"])
    diff = capsys.readouterr().out
    assert "+Officials in Kyiv said on Monday that the the talks" in diff  # doubled word not selected
    assert "Koeleba" in diff and "“dangerous”" in diff  # transliteration not selected; mojibake fixed

    # flags win over the file
    rc, data = _check_json(capsys, "--select", "article", "news/a.txt")
    assert {f["rule"] for f in data["files"][0]["findings"]} == {"article/doubled-word"}
    rc, data = _check_json(capsys, "--no-config", "-g", "g.toml", "news/a.txt")
    assert "name/transliteration" in {f["rule"] for f in data["files"][0]["findings"]}


def test_pyproject_tool_table_is_honoured_by_check(desk, capsys):
    (desk / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.copydesk]\nglossary = ["g.toml"]\n'
                                         'ignore = ["name", "article"]\n', encoding="utf-8")
    rc, data = _check_json(capsys, "news/a.txt")
    assert {f["rule"] for f in data["files"][0]["findings"]} == {"encoding/mojibake"}


def test_review_records_are_honoured_by_audit_too(desk, capsys):
    from qa.project.project import Project
    from qa.project.records import REJECTED
    from qa.services.review import ReviewSession

    project = Project.from_options(glossary=["g.toml"], select=["name"], no_config=True)
    s = ReviewSession.open(desk / "news" / "a.txt", project)
    i = next(i for i, f in enumerate(s.findings) if f.text == "Koeleba")
    s.decide(i, REJECTED)
    s.write_record()
    argv = ["--no-config", "-g", "g.toml", "--select", "name"]
    main(["audit", *argv, "--format", "json", "--no-progress", "news"])
    texts = [f["text"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]
    assert texts == ["Kiev"]
    main(["audit", *argv, "--no-records", "--format", "json", "--no-progress", "news"])
    texts = [f["text"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]
    assert texts == ["Kiev", "Koeleba"]


# ----------------------------------------------------------------------------- defects
def _deny_writes_in(monkeypatch, folder: Path) -> None:
    """An unwritable folder. Root ignores permission bits, so there the write is refused
    where copydesk makes its temporary file (and its backup copy)."""
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() != 0:
        return
    import shutil
    import tempfile

    real_mkstemp, real_copy2 = tempfile.mkstemp, shutil.copy2

    def mkstemp(*a, dir=None, **kw):
        if dir is not None and Path(dir).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", str(folder))
        return real_mkstemp(*a, dir=dir, **kw)

    def copy2(src, dst, *a, **kw):
        if Path(dst).resolve().parent == folder.resolve():
            raise PermissionError(13, "Permission denied", str(dst))
        return real_copy2(src, dst, *a, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(shutil, "copy2", copy2)


def test_fix_in_place_in_unwritable_folder_is_one_line_and_the_others_are_fixed(desk, capsys, monkeypatch):
    locked = desk / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (desk / "z.txt").write_text(ARTICLE, encoding="utf-8")
    _deny_writes_in(monkeypatch, locked)
    try:
        rc = main(["fix", "--no-config", "-g", "g.toml", "--in-place", "news/a.txt", "locked/b.txt", "z.txt"])
        err = capsys.readouterr().err
    finally:
        os.chmod(locked, 0o755)
    assert rc == 2
    lines = [ln for ln in err.splitlines() if "locked/b.txt" in ln]
    assert len(lines) == 1 and "error: cannot write" in lines[0] and "Traceback" not in err
    assert (locked / "b.txt").read_text(encoding="utf-8") == ARTICLE  # untouched
    for done in (desk / "news" / "a.txt", desk / "z.txt"):  # the files before and after it were fixed
        assert "Kyiv" in done.read_text(encoding="utf-8")


def test_broken_pyproject_is_an_error_with_its_line(desk, capsys):
    (desk / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.copydesk\nselect = ["name"]\n',
                                         encoding="utf-8")
    rc = main(["check", "news/a.txt"])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1
    assert "pyproject.toml:4:" in err and "TOML" in err


def test_fix_in_place_on_a_symlink_fixes_the_target_and_keeps_the_link(desk, capsys):
    target = desk / "news" / "a.txt"
    target.chmod(0o640)
    link = desk / "link.txt"
    link.symlink_to(target)
    rc = main(["fix", "--no-config", "-g", "g.toml", "--in-place", "link.txt"])
    assert rc in (0, 1)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Kyiv" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (desk / "news" / "a.txt.orig").read_text(encoding="utf-8") == ARTICLE  # the original beside its file


@pytest.mark.parametrize("case", ["undecodable", "empty-selection", "empty-folder", "missing"])
def test_all_checks_passed_only_when_something_was_checked(desk, capsys, case):
    if case == "undecodable":
        (desk / "bad.txt").write_bytes(b"caf\xe9\n")
        argv, want_rc = ["bad.txt"], 2
    elif case == "empty-selection":
        argv, want_rc = ["--ignore", "ALL", "news/a.txt"], 0  # (`--select ""` is a usage error)
    elif case == "empty-folder":
        (desk / "empty").mkdir()
        argv, want_rc = ["empty"], 0
    else:
        argv, want_rc = ["nope.txt"], 2
    rc = main(["check", "--no-config", "-g", "g.toml", *argv])
    out = capsys.readouterr()
    assert rc == want_rc
    assert "All checks passed" not in out.out
    said = out.out.strip().splitlines()[-1]
    expected = {"undecodable": "could not be checked", "empty-selection": "enables no rule",
                "empty-folder": "Nothing to check", "missing": "could not be checked"}[case]
    assert expected in said, said


def test_all_checks_passed_says_how_much_was_checked(desk, capsys):
    (desk / "clean.txt").write_text("The minister spoke in Kyiv on Monday.\n", encoding="utf-8")
    assert main(["check", "--no-config", "-g", "g.toml", "clean.txt"]) == 0
    assert capsys.readouterr().out.strip() == "All checks passed (1 item checked)."


def test_text_output_of_a_deletion_fix_says_what_it_deletes(desk, capsys):
    (desk / "b.txt").write_text("Kyiv talks go on.\n\nRead more: the full story\n\nThe end.\n", encoding="utf-8")
    main(["check", "--no-config", "-g", "g.toml", "--select", "article/boilerplate", "b.txt"])
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "fix:" in ln)
    assert "delete 'Read more: the full story\\n" in line and "1 whole line" in line, line
    main(["check", "--no-config", "-g", "g.toml", "--select", "article/boilerplate", "--format", "json", "b.txt"])
    f = json.loads(capsys.readouterr().out)["files"][0]["findings"][0]
    edit = f["fix"]["edits"][0]
    doc = (Path(__file__).resolve().parents[1] / "docs" / "json-format.md").read_text(encoding="utf-8")
    assert "`null` when the fix's `edits` reach beyond" in doc  # documented
    # the deletion takes the whole line with its line break, beyond the flagged span: no replacement
    assert f["fix"]["replacement"] is None
    assert edit["start"] <= f["start"] and edit["end"] > f["end"] and edit["replacement"] == ""


def test_utf16_with_bom_is_decoded_and_written_back_as_utf16(desk, capsys):
    p = desk / "u16.txt"
    p.write_bytes("\ufeffOfficials in Kiev said so.\r\n".encode("utf-16-le"))
    rc, data = _check_json(capsys, "--no-config", "-g", "g.toml", "u16.txt")
    assert rc == 1 and [f["text"] for f in data["files"][0]["findings"]] == ["Kiev"]
    main(["fix", "--no-config", "-g", "g.toml", "--in-place", "--no-backup", "u16.txt"])
    capsys.readouterr()
    raw = p.read_bytes()
    assert raw.startswith(b"\xff\xfe") and raw.decode("utf-16") == "Officials in Kyiv said so.\r\n"


def test_utf16_without_bom_is_named(desk, capsys):
    (desk / "u16.txt").write_bytes("Officials in Kiev said so.\n".encode("utf-16-le"))
    rc = main(["check", "--no-config", "-g", "g.toml", "u16.txt"])
    err = capsys.readouterr().err
    assert rc == 2 and "UTF-16" in err and len(err.strip().splitlines()) == 1


def _subcommands():
    ap = build_parser()
    sub = next(a for a in ap._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        inner = [a for a in p._actions if a.__class__.__name__ == "_SubParsersAction"]
        if inner:
            for n2, p2 in inner[0].choices.items():
                yield f"{name} {n2}", p2
        else:
            yield name, p


@pytest.mark.parametrize("name, parser", list(_subcommands()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_help_lists_exit_codes(name, parser):
    text = parser.format_help()
    assert "exit codes:" in text and "0 " in text and "2 " in text, name


def test_readme_lists_every_command_and_option():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, parser in _subcommands():
        assert f"copydesk {name}" in readme, f"README does not mention `copydesk {name}`"
        for a in parser._actions:
            for opt in a.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README does not mention {opt} of `copydesk {name}`"


def test_internal_error_exits_3_with_one_line(desk, monkeypatch):
    code = ("import qa.project.project as p, sys\n"
            "def boom(*a, **k): raise RuntimeError('boom')\n"
            "import qa.project.checking as c\n"
            "c.ItemChecker.check_item = boom\n"
            "from qa.cli.main import main\n"
            "sys.exit(main(['check', '--no-cache', '--no-config', '-g', 'g.toml', 'news/a.txt']))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=desk,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert r.returncode == 3
    assert r.stderr.strip().splitlines() == ["copydesk: internal error: RuntimeError: boom (please report this)"]


def test_rules_rule_prints_ruff_style_documentation(tmp_path, monkeypatch, capsys):
    from qa.engine.registry import RULES
    from qa.rules import load_builtin_rules

    load_builtin_rules()
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "name/near-miss"]) == 0
    out = capsys.readouterr().out
    for heading in ("What it does", "Why it matters", "Example", "Fix safety"):
        assert f"\n{heading}\n" in out
    rule = RULES["name/near-miss"]
    for ex in rule.examples:  # every example the test-suite runs, with what the checker did with it
        assert repr(ex.text) in out
    # the page says what the rule declares: near-miss fixes are safe, or unsafe when names tie
    said = out.split("Fix safety", 1)[1]
    assert "The fix is safe" not in said and "Sometimes safe, sometimes unsafe" in said
    assert main(["rules", "article/double-space", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["fix_safety"].startswith("The fix is safe")
    assert all(e["found"] == e["flagged"] for e in doc["examples"])
    assert main(["rules", "language/untranslated"]) == 0
    assert "No fix" in capsys.readouterr().out.split("Fix safety", 1)[1]
    assert main(["rules", "name/nope"]) == 2


def test_a_selected_rule_runs_only_its_own_pass(monkeypatch):
    """`--select article/double-space` must not run the boilerplate or duplicate passes
    (the engine tells each check which rules are on: Document.enabled)."""
    import qa.rules.article as article
    from qa.project.project import Project

    ran = []
    for name in ("_boilerplate", "duplicate_blocks", "_doubled_words"):
        real = getattr(article, name)
        monkeypatch.setattr(article, name, lambda doc, _n=name, _r=real: ran.append(_n) or _r(doc))
    p = Project.from_options(select=["article/double-space"], no_config=True)
    findings, _ = p.item_checker.check_content("Read more\n\nOne  space too many, the the end.\n")
    assert [f.rule for f in findings] == ["article/double-space"]
    assert ran == []
    Project.from_options(select=["article"], no_config=True).item_checker.check_content("Read more\n\nThe the end.\n")
    assert sorted(set(ran)) == ["_boilerplate", "_doubled_words", "duplicate_blocks"]


def test_check_reads_what_audit_reads(desk, capsys):
    """One source layer: check sees the HTML pages and JSON Lines records audit sees;
    fix refuses them in one line (they cannot be rewritten in place)."""
    (desk / "news" / "p.html").write_text("<html><body><p>Talks in Kiev.</p><script>Kiev</script></body></html>",
                                          encoding="utf-8")
    (desk / "news" / "feed.jsonl").write_text('{"text": "Kiev again."}\n{"text": "Kyiv."}\n', encoding="utf-8")
    (desk / "news" / ".copydesk").mkdir()
    (desk / "news" / ".copydesk" / "x.txt").write_text("Kiev", encoding="utf-8")  # hidden: never read
    rc, data = _check_json(capsys, "--no-config", "-g", "g.toml", "--select", "name/wrong-form", "news")
    got = {f["item"]: [x["text"] for x in f["findings"]] for f in data["files"]}
    assert got == {"news/a.txt": ["Kiev"], "news/feed.jsonl:1": ["Kiev"], "news/feed.jsonl:2": [],
                   "news/p.html": ["Kiev"]}
    main(["audit", "--no-config", "-g", "g.toml", "--select", "name/wrong-form", "--format", "json",
          "--no-progress", "news"])
    audited = {f["item"]: [x["text"] for x in f["findings"]] for f in json.loads(capsys.readouterr().out)["files"]}
    assert audited == got
    rc = main(["fix", "--no-config", "-g", "g.toml", "--in-place", "news/p.html"])
    err = capsys.readouterr().err
    assert rc == 2 and "not fixed" in err and len(err.strip().splitlines()) == 1
