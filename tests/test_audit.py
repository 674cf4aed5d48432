"""`copydesk audit`: inputs, formats, exit codes, baselines, parallel runs."""
from __future__ import annotations

import csv
import io
import json

import pytest

from qa.project.checking import fingerprint
from qa.project.project import Project
from qa.sources.items import expand as expand_inputs, html_to_text
from qa.cli.main import main
from qa.services.parallel import make_chunks, run_local

GLOSSARY = """
[glossary]
name = "audit test"
format = 1

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
native.uk = "Київ"
wrong.en = ["Kiev"]

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
native.uk = "Дмитро Кулеба"
wrong.en = ["Dmitry Kuleba"]

[[term]]
id = "kharkiv"
kind = "place"
forms.en = "Kharkiv"
native.uk = "Харків"
native.ru = "Харьков"
"""

ARTICLE_A = ("The minister spoke in Kiev on Monday.\n\n"
             "Dmytro Kuleba said that the talks in Kharkov would go on next week.\n")
ARTICLE_B = "# Notes\n\nThe mayor of Kiev met the press on Tuesday morning.\n"
ARTICLE_CLEAN = "Dmytro Kuleba arrived in Kyiv and later travelled to Kharkiv by train.\n"
HTML = ("<html><head><title>Page</title><style>p { color: red }</style><script>var Kiev = 1;</script></head>"
        "<body><p>Reporters in <b>Kiev</b> said that Kharkov was calm.</p><p>More &amp; more.</p></body></html>")


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "g.toml").write_text(GLOSSARY, encoding="utf-8")
    arts = tmp_path / "articles"
    (arts / "sub").mkdir(parents=True)
    (arts / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (arts / "sub" / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    (arts / "c.html").write_text(HTML, encoding="utf-8")
    (arts / "d.txt").write_text(ARTICLE_CLEAN, encoding="utf-8")
    (arts / "ignored.docx").write_bytes(b"PK\x03\x04")
    return tmp_path


def audit(capsys, *argv):
    rc = main(["audit", "--no-config", "-g", "g.toml", "--select", "name", "--no-progress", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def audit_json(capsys, *argv):
    rc, out, err = audit(capsys, "--format", "json", *argv)
    return rc, json.loads(out), err


def test_folders_are_recursive_and_html_is_extracted(desk, capsys):
    rc, data, _ = audit_json(capsys, "articles")
    assert rc == 1
    assert data["schema"] == "copydesk.check/1"
    paths = [f["path"] for f in data["files"]]
    assert paths == ["articles/a.txt", "articles/c.html", "articles/d.txt", "articles/sub/b.md"]
    by = {f["path"]: f for f in data["files"]}
    assert [(x["rule"], x["text"]) for x in by["articles/a.txt"]["findings"]] == [
        ("name/wrong-form", "Kiev"), ("name/transliteration", "Kharkov")]
    html = by["articles/c.html"]["findings"]
    assert [x["text"] for x in html] == ["Kiev", "Kharkov"]  # not the `Kiev` inside <script>
    assert by["articles/d.txt"]["findings"] == []
    s = data["summary"]
    assert s["items"] == 4 and s["items_failed"] == 0 and s["findings"] == 5
    assert s["by_severity"] == {"error": 5, "warning": 0, "info": 0}
    assert {r["rule"]: r["count"] for r in s["by_rule"]} == {"name/wrong-form": 3, "name/transliteration": 2}
    assert s["terms"][0] == {"term": "kyiv", "count": 3, "wrong_forms": [{"text": "Kiev", "count": 3}]}
    assert s["terms"][1]["term"] == "kharkiv"
    assert s["worst_items"][0]["item"] == "articles/a.txt"
    assert s["words"] > 30 and s["elapsed_s"] >= 0


def test_html_to_text_keeps_paragraphs_and_drops_code():
    text = html_to_text(HTML)
    assert text == "Page\n\nReporters in Kiev said that Kharkov was calm.\n\nMore & more.\n"


def test_bad_inputs_are_reported_and_the_audit_goes_on(desk, capsys):
    (desk / "articles" / "latin1.txt").write_bytes("Caf\xe9 in Kiev".encode("latin-1"))
    rc, data, err = audit_json(capsys, "articles", "missing.txt")
    assert rc == 2  # some inputs failed, whatever the findings
    errors = {f["path"]: f["error"] for f in data["files"] if f["error"]}
    assert errors == {"articles/latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 3, line 1)",
                      "missing.txt": "no such file"}
    assert data["summary"]["items_failed"] == 2 and data["summary"]["findings"] == 5
    assert "missing.txt: error: no such file" in err
    rc, _, _ = audit(capsys, "articles/a.txt", "--fail-on", "never")
    assert rc == 0


def test_jsonl_corpus_with_id_field(desk, capsys):
    lines = [json.dumps({"id": "n1", "body": ARTICLE_A}), "", "{not json",
             json.dumps({"id": "n2", "body": ARTICLE_CLEAN}), json.dumps({"id": "n3"}), json.dumps({"body": "x"})]
    (desk / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, data, _ = audit_json(capsys, "corpus.jsonl", "--jsonl-field", "body", "--id-field", "id")
    items = [(f["item"], f["error"], len(f["findings"])) for f in data["files"]]
    assert items == [("corpus.jsonl#n1", None, 2),
                     ("corpus.jsonl:3", "line 3: not JSON (Expecting property name enclosed in double quotes)", 0),
                     ("corpus.jsonl#n2", None, 0),
                     ("corpus.jsonl#n3", "line 5: no string 'body' field", 0),
                     ("corpus.jsonl:6", "line 6: no 'id' field", 0)]
    assert rc == 2
    assert data["files"][0]["findings"][0]["line"] == 1


def test_fail_on_decides_the_exit_code(desk, capsys):
    cfg = desk / "copydesk.toml"
    cfg.write_text('[severity]\n"name/wrong-form" = "warning"\n"name/transliteration" = "info"\n', encoding="utf-8")
    argv = ["audit", "-g", "g.toml", "--select", "name", "--no-progress", "-q", "--format", "json", "articles/sub/b.md"]
    assert main(argv) == 0  # default --fail-on error; the wrong form is only a warning here
    data = json.loads(capsys.readouterr().out)
    assert [f["severity"] for f in data["files"][0]["findings"]] == ["warning"]
    assert main(argv + ["--fail-on", "warning"]) == 1
    capsys.readouterr()
    assert main(argv + ["--fail-on", "never"]) == 0
    capsys.readouterr()
    assert main(argv + ["--no-config"]) == 1  # back to error severity


def test_every_format_parses(desk, capsys):
    rc, data, _ = audit_json(capsys, "articles")
    n = data["summary"]["findings"]
    # jsonl: one line per item, then the summary
    _, out, _ = audit(capsys, "articles", "--format", "jsonl")
    recs = [json.loads(line) for line in out.splitlines()]
    assert [r["type"] for r in recs] == ["item"] * 4 + ["summary"]
    assert recs[-1]["summary"]["findings"] == n
    assert [r["findings"] for r in recs[:-1]] == [f["findings"] for f in data["files"]]
    # csv: one finding per row
    _, out, _ = audit(capsys, "articles", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == n
    assert rows[0]["item"] == "articles/a.txt" and rows[0]["rule"] == "name/wrong-form"
    assert rows[0]["replacement"] == "Kyiv" and rows[0]["line"] == "1" and rows[0]["column"] == "23"
    # text
    _, out, _ = audit(capsys, "articles", "--format", "text")
    assert "articles/a.txt:1:23: name/wrong-form [error]" in out
    assert "Terms most often wrong:" in out and "Kiev ×3" in out
    _, out, _ = audit(capsys, "articles", "--summary-only")
    assert "articles/a.txt:1:23" not in out and out.startswith("Audited 4 items")


def test_output_file_and_csv_bom(desk, capsys):
    rc, out, err = audit(capsys, "articles", "--format", "csv", "--output", "report.csv")
    assert rc == 1 and out == ""
    raw = (desk / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfitem,path,line")
    assert "Findings: 5" in err  # the human summary goes to stderr when the report goes to a file


LEVELS = {"error", "warning", "note", "none"}


def test_sarif_has_the_required_fields(desk, capsys):
    (desk / "copydesk.toml").write_text('[severity]\n"name/transliteration" = "info"\n', encoding="utf-8")
    rc = main(["audit", "-g", "g.toml", "--select", "name", "--no-progress", "--format", "sarif", "articles"])
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-schema-2.1.0.json")
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "copydesk"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert "name/wrong-form" in rule_ids
    for r in driver["rules"]:
        assert r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] in LEVELS
    results = run["results"]
    assert len(results) == 5
    for res in results:
        assert res["ruleId"] in rule_ids and rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["message"]["text"]
        assert res["level"] in LEVELS
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"]
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
    first = results[0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "articles/a.txt"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert first["locations"][0]["physicalLocation"]["region"]["startColumn"] == 23
    assert first["locations"][0]["physicalLocation"]["region"]["endColumn"] == 27
    assert {r["level"] for r in results} == {"error", "note"}  # info -> note
    assert rc == 1


def test_sarif_validates_against_a_schema_subset(desk, capsys):
    jsonschema = pytest.importorskip("jsonschema")
    schema = {
        "type": "object", "required": ["version", "$schema", "runs"],
        "properties": {
            "version": {"const": "2.1.0"},
            "runs": {"type": "array", "items": {
                "type": "object", "required": ["tool", "results"],
                "properties": {
                    "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                        "type": "object", "required": ["name", "rules"],
                        "properties": {"rules": {"type": "array", "items": {"type": "object", "required": ["id"]}}}}}},
                    "results": {"type": "array", "items": {
                        "type": "object", "required": ["ruleId", "message", "locations", "level"],
                        "properties": {
                            "level": {"enum": sorted(LEVELS)},
                            "message": {"type": "object", "required": ["text"]},
                            "locations": {"type": "array", "minItems": 1, "items": {
                                "type": "object", "required": ["physicalLocation"],
                                "properties": {"physicalLocation": {
                                    "type": "object", "required": ["artifactLocation", "region"],
                                    "properties": {
                                        "artifactLocation": {"type": "object", "required": ["uri"]},
                                        "region": {"type": "object", "required": ["startLine", "startColumn"],
                                                   "properties": {"startLine": {"type": "integer", "minimum": 1},
                                                                  "startColumn": {"type": "integer", "minimum": 1}}},
                                    }}}}}}}}}}}},
    }
    audit(capsys, "articles", "--format", "sarif", "-o", "out.sarif")
    jsonschema.validate(json.loads((desk / "out.sarif").read_text(encoding="utf-8")), schema)


def test_baseline_round_trip(desk, capsys):
    rc, _, err = audit(capsys, "articles", "--write-baseline", "baseline.json")
    assert rc == 1 and "baseline of 5 findings written" in err
    base = json.loads((desk / "baseline.json").read_text(encoding="utf-8"))
    assert base["schema"] == "copydesk.baseline/1" and base["count"] == 5
    rc, data, _ = audit_json(capsys, "articles", "--baseline", "baseline.json")
    assert rc == 0 and data["summary"]["findings"] == 0 and data["summary"]["baseline_suppressed"] == 5
    # an edit above the old findings (lines move) that adds one new error, and one more Kiev elsewhere
    a = desk / "articles" / "a.txt"
    a.write_text("Breaking news from the capital.\n\nDmitry Kuleba is the wrong spelling here.\n\n" + ARTICLE_A
                 + "\nA last line.\n", encoding="utf-8")
    b = desk / "articles" / "sub" / "b.md"
    b.write_text(ARTICLE_B + "\nLater, the guests left Kiev for Lviv by night train.\n", encoding="utf-8")
    rc, data, _ = audit_json(capsys, "articles", "--baseline", "baseline.json")
    new = [(x["path"], y["line"], y["text"]) for x in data["files"] for y in x["findings"]]
    assert new == [("articles/a.txt", 3, "Dmitry"), ("articles/sub/b.md", 5, "Kiev")]
    assert rc == 1 and data["summary"]["baseline_suppressed"] == 5


def test_fingerprint_ignores_position_but_not_context():
    text = "The minister spoke in Kiev on Monday."
    fp = fingerprint("a.txt", "name/wrong-form", "kyiv", "Kiev", text, 22, 26)
    moved = "Intro.\n\n" + text
    assert fingerprint("a.txt", "name/wrong-form", "kyiv", "Kiev", moved, 30, 34) == fp
    other = "The minister spoke in Kiev on Friday."
    assert fingerprint("a.txt", "name/wrong-form", "kyiv", "Kiev", other, 22, 26) != fp
    assert fingerprint("b.txt", "name/wrong-form", "kyiv", "Kiev", text, 22, 26) != fp


def test_bad_baseline_is_a_usage_error(desk, capsys):
    (desk / "bad.json").write_text("[]", encoding="utf-8")
    rc, _, err = audit(capsys, "articles", "--baseline", "bad.json")
    assert rc == 2 and "not a copydesk.baseline/1 baseline" in err
    rc, _, err = audit(capsys, "articles", "--baseline", "nope.json")
    assert rc == 2 and "no such baseline file" in err


def _many_specs(desk, n=40):
    folder = desk / "many"
    folder.mkdir()
    texts = [ARTICLE_A, ARTICLE_B, ARTICLE_CLEAN]
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(texts[i % 3] * (1 + i % 4), encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe")
    return list(expand_inputs([str(folder)]))


def test_parallel_equals_sequential_in_order(desk):
    specs = _many_specs(desk)
    settings = Project.from_options(glossary=["g.toml"], select=["name"], no_config=True).settings
    one = run_local(specs, settings, jobs=1)
    two = run_local(specs, settings, jobs=2, min_parallel_bytes=0)
    assert one == two
    assert [r.item for r in two] == [s[1] for s in specs]
    assert sum(len(r.findings) for r in one) > 40
    assert len(make_chunks(specs, 2)) > 2  # really split across workers


def test_spawned_workers_rebuild_the_same_checker(desk):
    specs = _many_specs(desk, n=6)
    settings = Project.from_options(glossary=["g.toml"], select=["name"], no_config=True).settings
    spawned = run_local(specs, settings, jobs=2, start_method="spawn", min_parallel_bytes=0)
    assert spawned == run_local(specs, settings, jobs=1)


def test_exclude_patterns(desk, capsys):
    rc, data, _ = audit_json(capsys, "articles", "--exclude", "sub", "--exclude", "*.html")
    assert [f["path"] for f in data["files"]] == ["articles/a.txt", "articles/d.txt"]
    rc, data, _ = audit_json(capsys, "articles", "--exclude", "articles/sub/**")
    assert "articles/sub/b.md" not in [f["path"] for f in data["files"]]


def test_audit_agrees_with_check_on_the_dev_corpus(eval_dev, capsys):
    corrupt = sorted((eval_dev / "corrupt").glob("*.txt"))[:6]
    g = str(eval_dev / "glossary.toml")
    assert main(["check", "--format", "json", "--no-records", "-g", g, *map(str, corrupt)]) == 1
    checked = json.loads(capsys.readouterr().out)
    main(["audit", "--no-config", "--format", "json", "--no-progress", "-g", g, "--jobs", "2", *map(str, corrupt)])
    audited = json.loads(capsys.readouterr().out)

    def strip(fs):
        return [{k: v for k, v in f.items() if k not in ("fingerprint", "end_line", "end_column")} for f in fs]

    assert [strip(f["findings"]) for f in audited["files"]] == [strip(f["findings"]) for f in checked["files"]]
    assert audited["summary"]["findings"] == sum(len(f["findings"]) for f in checked["files"]) > 0
