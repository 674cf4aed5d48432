"""The report layer on its own: every format rendered from hand-built results."""
from __future__ import annotations

import csv
import io
import json

from qa.model.findings import Applicability, Finding, Fix, Severity
from qa.model.results import ItemResult
from qa.report.render import render, tally

TEXT = "Minister Koeleba spoke.\n"


def result() -> ItemResult:
    f = Finding("name/transliteration", Severity.ERROR, 9, 16, "‘Koeleba’ is the Dutch spelling",
                text="Koeleba", fix=Fix.replace(9, 16, "Kuleba", Applicability.SAFE), term="dmytro-kuleba",
                line=1, column=10, end_line=1, end_column=17, fix_before="Koeleba", fix_after="Kuleba",
                fingerprint="abc")
    u = Finding("article/doubled-word", Severity.WARNING, 0, 3, "doubled", text="x x",
                data={"unit": "p2", "offset": 0}, line=4, column=2)
    return ItemResult(path="a.txt", language="en", findings=[f, u], text=TEXT)


def test_text_lines_fix_unit_and_tally():
    out = io.StringIO()
    render("text", [result()], out)
    assert out.getvalue().splitlines() == [
        "a.txt:1:10: name/transliteration [error] ‘Koeleba’ is the Dutch spelling",
        "  fix: 'Koeleba' → 'Kuleba'",
        "a.txt:4:2: article/doubled-word [warning] doubled [unit p2]",
        "Found 2 findings (1 fixable with `copydesk fix`).",
    ]


def test_json_is_the_documented_schema():
    out = io.StringIO()
    render("json", [result()], out)
    doc = json.loads(out.getvalue())
    assert doc["schema"] == "copydesk.check/1"
    [f] = doc["files"]
    assert (f["path"], f["language"], f["words"], f["error"]) == ("a.txt", "en", 3, None)
    first = f["findings"][0]
    assert first["fix"] == {"replacement": "Kuleba", "applicability": "safe",
                            "edits": [{"start": 9, "end": 16, "replacement": "Kuleba"}]}
    assert (first["line"], first["column"], first["end_column"], first["fingerprint"]) == (1, 10, 17, "abc")


def test_csv_has_one_row_per_finding():
    out = io.StringIO()
    render("csv", [result()], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:4] == ["item", "path", "line", "column"] and len(rows) == 3
    assert rows[1][6:10] == ["name/transliteration", "error", "dmytro-kuleba", "Koeleba"]


def test_tally_says_why_nothing_was_checked():
    assert tally([]).startswith("Nothing to check")
    assert tally([ItemResult("a", error="gone")]) == \
        "Nothing was checked. 1 item could not be checked (see the errors above)."
    assert tally([ItemResult("a")]) == "All checks passed (1 item checked)."
