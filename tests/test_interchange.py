"""Glossary import/export (TBX, CSV): round trip gives the same findings on the development corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.cli.main import main
from qa.engine.checker import Checker

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval-dev"


def _findings(glossary_path):
    from qa.text.cache import compile_glossary, read_sources

    g, index = compile_glossary(read_sources([str(glossary_path)]), "en", use_cache=False)
    ch = Checker(index=index, lang="en", select=["name"], glossary=g)
    out = []
    for p in sorted((EVAL / "corrupt").glob("*.txt"))[:12]:
        fs, _ = ch.check_text(p.read_text(encoding="utf-8"), str(p))
        out += [(p.name, f.rule, f.start, f.end, f.term, f.replacement) for f in fs]
    return out


@pytest.mark.parametrize("fmt", ["tbx", "tbx3", "csv"])
def test_round_trip_same_findings(tmp_path, fmt):
    if not (EVAL / "glossary.toml").is_file():
        pytest.skip("../shared/eval-dev is not there")
    ext = {"tbx3": "tbx"}.get(fmt, fmt)
    out = tmp_path / f"g.{ext}"
    assert main(["glossary", "export", str(EVAL / "glossary.toml"), "--format", fmt, "-o", str(out)]) == 0
    toml = tmp_path / "g.toml"
    assert main(["glossary", "import", str(out), "-o", str(toml)]) == 0
    want = _findings(EVAL / "glossary.toml")
    assert want
    assert _findings(toml) == want


def test_bad_tbx_exit_2_no_file(tmp_path, capsys):
    bad = tmp_path / "b.tbx"
    bad.write_text("<martif>\n<text><body>\n<termEntry>\n</body></text></martif>\n")
    out = tmp_path / "o.toml"
    assert main(["glossary", "import", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:" in err and "Traceback" not in err
    assert not out.exists()
