"""copydesk glossary suggest: names a corpus uses that the glossary lacks."""
from __future__ import annotations

import json

from qa.cli.main import main


ARTICLE = (
    "General Valery Zaluzhny met commander Oleksandr Pivnenko in Kyiv. Pivnenko said the front held.\n\n"
    "Later Pivnenko visited Zhytomyr, and the village of Novopetrivka was shelled. Novopetrivka lies near "
    "Zhytomyr. The Pentagon said nothing.\n"
)


def test_suggest_ranks_unknown_transliterated_names(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Later", "Then"), encoding="utf-8")
    rc = main(["glossary", "suggest", str(tmp_path), "--format", "json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    names = [s["name"] for s in out["suggestions"]]
    assert "Oleksandr Pivnenko" in names  # the surname alone is counted under the full name
    assert "Novopetrivka" in names
    piv = next(s for s in out["suggestions"] if s["name"] == "Oleksandr Pivnenko")
    assert piv["count"] == 6 and piv["files"] == 2 and piv["kind"] == "person"
    # glossary names, English words and names that do not look transliterated are not suggested
    assert not {"Kyiv", "Zhytomyr", "Pentagon", "General"} & set(names)


def test_suggest_bad_path_is_a_usage_error(tmp_path, capsys):
    rc = main(["glossary", "suggest", str(tmp_path / "missing")])
    assert rc == 2
    assert "no such file" in capsys.readouterr().err
