"""copydesk score: sacrebleu's corpus scores on the same input, and name accuracy."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import need_shared

from qa.cli.main import main

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
REAL_MT = SHARED / "real-dev" / ".cache"

GLOSSARY = """\
[glossary]
format = 1

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
native.uk = "Дмитро Кулеба"

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
wrong.en = ["Kiev"]
"""


def _sacrebleu_cli(ref: Path, hyp: Path) -> list[float]:
    out = subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter",
                          "-b", "-w", "4"], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in json.loads(out)]


def _write(d: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return d


def test_scores_equal_sacrebleu_cli_and_name_accuracy(tmp_path, capsys):
    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    hyp = _write(tmp_path / "hyp", {
        "a.txt": "Kuleba arrived in Kiev on Monday.\n\nThe talks went on.\n",
        "sub/b.txt": "Dmytro Kuleba said that Kyiv will not give in.\n",
    })
    ref = _write(tmp_path / "ref", {
        "a.txt": "Kuleba came to Kyiv on Monday.\n\nThe talks continued.\n",
        "sub/b.txt": "Dmytro Kuleba said Kyiv would not give in.\n",
    })
    assert main(["score", str(hyp), "--ref", str(ref), "-g", str(g), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    # sacrebleu's own command line on the same segments (the files concatenated in the paired order)
    (tmp_path / "h.txt").write_text("".join((hyp / n).read_text() for n in ("a.txt", "sub/b.txt")))
    (tmp_path / "r.txt").write_text("".join((ref / n).read_text() for n in ("a.txt", "sub/b.txt")))
    bleu, chrf, ter = _sacrebleu_cli(tmp_path / "r.txt", tmp_path / "h.txt")
    assert rep["bleu"]["score"] == pytest.approx(bleu, abs=1e-4)
    assert rep["chrf"]["score"] == pytest.approx(chrf, abs=1e-4)
    assert rep["ter"]["score"] == pytest.approx(ter, abs=1e-4)
    assert rep["bleu"]["signature"].startswith("nrefs:1|")
    assert rep["segments"] == 4
    n = rep["names"]
    # reference: Kuleba, Kyiv (a.txt); Dmytro Kuleba, Kyiv (b.txt); the hypothesis has Kiev once
    assert (n["in_ref"], n["correct"]) == (4, 3)
    assert n["accuracy"] == 75.0
    terms = {t["id"]: t for t in n["terms"]}
    assert terms["kyiv"]["correct"] == 1 and terms["kyiv"]["in_ref"] == 2
    assert terms["kyiv"]["wrong"] == {"Kiev": 1}
    assert terms["dmytro-kuleba"]["accuracy"] == 100.0


def test_two_references(tmp_path, capsys):
    from sacrebleu.metrics import BLEU

    h, r1, r2 = (tmp_path / x for x in ("h.txt", "r1.txt", "r2.txt"))
    h.write_text("the cat sat on a mat\nit was cold\n")
    r1.write_text("the cat sat on the mat\nit was very cold\n")
    r2.write_text("a cat was sitting on a mat\nit was cold\n")
    assert main(["score", str(h), "--ref", str(r1), "--ref", str(r2), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    want = BLEU().corpus_score(["the cat sat on a mat", "it was cold"],
                               [["the cat sat on the mat", "it was very cold"], ["a cat was sitting on a mat", "it was cold"]])
    assert rep["bleu"]["score"] == pytest.approx(want.score, abs=1e-4)
    assert rep["bleu"]["signature"].startswith("nrefs:2|")


@pytest.mark.parametrize("case", ["lines", "missing", "utf8", "nofile"])
def test_bad_input_is_one_line_exit_2(tmp_path, capsys, case):
    h, r = tmp_path / "h.txt", tmp_path / "r.txt"
    h.write_text("one\ntwo\n")
    r.write_text("one\n" if case == "lines" else "one\ntwo\n")
    if case == "utf8":
        r.write_bytes(b"\xff\xfe\x00x\n\n")
    if case == "nofile":
        r = tmp_path / "nope.txt"
    if case == "missing":
        (tmp_path / "hd").mkdir()
        (tmp_path / "rd").mkdir()
        (tmp_path / "hd" / "x.txt").write_text("a\n")
        h, r = tmp_path / "hd", tmp_path / "rd"
    assert main(["score", str(h), "--ref", str(r)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("copydesk: error:") and "\n" not in err and "Traceback" not in err


def _real_mt(tmp_path, system: str, n: int) -> tuple[Path, Path, list[str]]:
    """``n`` articles of one WMT22 ru-en system and the reference, from ../shared/real-dev: the
    unpacked ``.cache`` when there, else read straight from ``corpus.tar.xz`` (standard library)."""
    import tarfile

    roots = sorted(REAL_MT.glob("corpus-*/mt/wmt22-ru-en")) if REAL_MT.is_dir() else []
    hyp, ref = tmp_path / "hyp", tmp_path / "ref"
    if roots:
        names = sorted(p.name for p in (roots[0] / system).glob("*.txt"))[:n]
        _write(hyp, {x: (roots[0] / system / x).read_text(encoding="utf-8") for x in names})
        _write(ref, {x: (roots[0] / "ref" / x).read_text(encoding="utf-8") for x in names})
        return hyp, ref, names
    tar = SHARED / "real-dev" / "corpus.tar.xz"
    need_shared(tar, "the real-dev corpus")
    with tarfile.open(tar) as t:
        members = {m.name: m for m in t.getmembers() if m.isfile() and m.name.startswith("mt/wmt22-ru-en/")}
        names = sorted(k.rsplit("/", 1)[1] for k in members if k.startswith(f"mt/wmt22-ru-en/{system}/"))[:n]
        for d, sub in ((hyp, system), (ref, "ref")):
            _write(d, {x: t.extractfile(members[f"mt/wmt22-ru-en/{sub}/{x}"]).read().decode("utf-8") for x in names})
    return hyp, ref, names


def test_real_mt_output_equals_sacrebleu(tmp_path, capsys):
    hyp, ref, names = _real_mt(tmp_path, "Online-Y", 40)
    assert len(names) == 40
    assert main(["score", str(hyp), "--ref", str(ref), "-g", str(SHARED / "real-dev" / "names.toml"),
                 "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    (tmp_path / "h.txt").write_text("".join((hyp / n).read_text(encoding="utf-8") for n in names), encoding="utf-8")
    (tmp_path / "r.txt").write_text("".join((ref / n).read_text(encoding="utf-8") for n in names), encoding="utf-8")
    bleu, chrf, ter = _sacrebleu_cli(tmp_path / "r.txt", tmp_path / "h.txt")
    assert (rep["bleu"]["score"], rep["chrf"]["score"], rep["ter"]["score"]) == pytest.approx((bleu, chrf, ter), abs=1e-4)
    assert 10 < rep["bleu"]["score"] < 60  # a real system: neither a copy of the reference nor noise
    n = rep["names"]
    assert n["in_ref"] > 0 and 0 <= n["accuracy"] <= 100
    assert n["correct"] == sum(t["correct"] for t in n["terms"]) and n["in_ref"] == sum(t["in_ref"] for t in n["terms"])
