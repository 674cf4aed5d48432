"""Every command's output in two checkouts, compared byte for byte: a
refactoring must not change what a user sees.

    python benchmarks/compare_outputs.py BEFORE_DIR AFTER_DIR [--real-dev DIR] [--keep]

Each command runs as ``python -m qa`` with the tree first on ``PYTHONPATH``,
in a fresh copy of its inputs (so ``fix --in-place`` writes a copy), and its
standard output, standard error, exit code and every file it wrote are
compared. Timings in audit summaries are masked. The inputs: the examples
(plain, ``--source`` and bilingual files), ``../shared/eval-dev`` and, with
``--real-dev DIR`` (the unpacked ``corpus.tar.xz``), a few of its folders.
Prints one line per command and a last line ``same N / differ M``; exit 1
when something differs. (It asserts nothing about speed.)
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
SHARED = HERE.parent / "shared"
_TIMING = [
    (re.compile(rb'"(elapsed_s|items_per_s|words_per_s)": [0-9.e+-]+'), rb'"\1": T'),
    (re.compile(rb" in [0-9.]+ s( \xe2\x80\x94 [0-9,.]+ items/s, [0-9,.]+ words/s)?"), rb" in T s"),
]


def commands(real_dev: Path | None) -> list[tuple[str, list[str]]]:
    """(name, argv) with ``{in}`` standing for the copied inputs folder."""
    ev = "{in}/eval-dev"
    g = ["--no-config", "--glossary", f"{ev}/glossary.toml", "--lang", "en"]
    ex = "{in}/examples"
    eg = ["--no-config", "--glossary", f"{ex}/glossary-example.toml"]
    cmds: list[tuple[str, list[str]]] = []
    for fmt in ("text", "json", "jsonl", "csv", "sarif"):
        cmds.append((f"eval-dev check {fmt}", ["check", *g, "-f", fmt, f"{ev}/corrupt", f"{ev}/clean"]))
    cmds += [
        ("eval-dev fix", ["fix", *g, f"{ev}/corrupt"]),
        ("eval-dev fix --diff --unsafe", ["fix", *g, "--diff", "--unsafe", f"{ev}/corrupt"]),
        ("eval-dev fix --in-place", ["fix", *g, "--in-place", f"{ev}/corrupt"]),
        ("eval-dev audit text", ["audit", *g, f"{ev}/corrupt", f"{ev}/clean"]),
        ("eval-dev audit json", ["audit", *g, "-f", "json", f"{ev}/corrupt", f"{ev}/clean"]),
        ("examples check", ["check", "--no-config", f"{ex}/sample-article.txt"]),
        ("examples check -g", ["check", *eg, f"{ex}/sample-article.txt"]),
        ("examples fix", ["fix", "--no-config", f"{ex}/sample-article.txt"]),
        ("examples fix --diff", ["fix", "--no-config", "--diff", "--unsafe", f"{ex}/sample-article.txt"]),
        ("examples fix -i", ["fix", "--no-config", "-i", f"{ex}/sample-article.txt"]),
    ]
    bi = f"{ex}/bilingual"
    files = ["article.xlf", "article-2.0.xliff", "article.tmx", "article.po"]
    for fmt in ("text", "json"):
        cmds.append((f"bilingual check {fmt}", ["check", "--no-config", "-f", fmt, *(f"{bi}/{f}" for f in files)]))
        cmds.append((f"--source check {fmt}", ["check", "--no-config", "-f", fmt, "--lang", "nl",
                                               "--source", f"{bi}/article.en.txt", f"{bi}/article.nl.txt"]))
    cmds += [
        ("bilingual check csv (refused)", ["check", "--no-config", "-f", "csv", f"{bi}/article.po"]),
        ("bilingual fix", ["fix", "--no-config", *(f"{bi}/{f}" for f in files)]),
        ("bilingual fix --diff --unsafe", ["fix", "--no-config", "--diff", "--unsafe", *(f"{bi}/{f}" for f in files)]),
        ("bilingual fix -i", ["fix", "--no-config", "-i", *(f"{bi}/{f}" for f in files)]),
        ("--source fix --diff", ["fix", "--no-config", "--diff", "--lang", "nl", "--source",
                                 f"{bi}/article.en.txt", f"{bi}/article.nl.txt"]),
        ("--source fix -i", ["fix", "--no-config", "-i", "--lang", "nl", "--source",
                             f"{bi}/article.en.txt", f"{bi}/article.nl.txt"]),
        ("--source two targets (refused)", ["check", "--no-config", "--source", f"{bi}/article.en.txt",
                                            f"{bi}/article.nl.txt", f"{bi}/article.en.txt"]),
        ("rules", ["rules"]),
        ("rules name/near-miss", ["rules", "name/near-miss"]),
        ("missing file", ["check", "--no-config", "{in}/nope.txt"]),
    ]
    if real_dev is not None:
        for sub in ("human/en/ntrex", "human/nl/ntrex", "human/de/ntrex", "mt/wmt22-ru-en/Online-B"):
            lang = sub.split("/")[1] if sub.startswith("human") else "en"
            cmds.append((f"real-dev check {sub}", ["check", "--no-config", "--lang", lang, "-f", "json",
                                                   f"{{in}}/real-dev/{sub}"]))
        cmds.append(("real-dev fix --diff mt Online-B", ["fix", "--no-config", "--diff", "--unsafe",
                                                          "{in}/real-dev/mt/wmt22-ru-en/Online-B"]))
    return cmds


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(tree: str, argv: list[str], inputs: Path, real_dev: Path | None, work: Path) -> dict:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(inputs / "eval-dev", work / "eval-dev")
    shutil.copytree(inputs / "examples", work / "examples")
    if real_dev is not None:
        (work / "real-dev").symlink_to(real_dev)  # read only
    before = snapshot(work)
    env = dict(os.environ, PYTHONPATH=tree, COLUMNS="100", NO_COLOR="1")
    args = [a.replace("{in}", str(work)) for a in argv]
    p = subprocess.run([sys.executable, "-m", "qa", *args], cwd=work, env=env, capture_output=True)
    after = snapshot(work)
    written = {k: v for k, v in after.items() if before.get(k) != v}
    out, err = p.stdout, p.stderr
    for rx, rep in _TIMING:
        out, err = rx.sub(rep, out), rx.sub(rep, err)
    return {"rc": p.returncode, "stdout": out.replace(str(work).encode(), b"{in}"),
            "stderr": err.replace(str(work).encode(), b"{in}"), "written": written}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--real-dev", type=Path, help="the unpacked real-dev corpus.tar.xz")
    ap.add_argument("--only", help="run only the commands whose name contains this")
    args = ap.parse_args()
    inputs = Path(tempfile.mkdtemp(prefix="compare-inputs-"))
    shutil.copytree(SHARED / "eval-dev", inputs / "eval-dev")
    shutil.copytree(HERE / "examples", inputs / "examples")
    same = differ = 0
    try:
        for name, argv in commands(args.real_dev):
            if args.only and args.only not in name:
                continue
            a = run(str(Path(args.before).resolve()), argv, inputs, args.real_dev, inputs / "run-before")
            b = run(str(Path(args.after).resolve()), argv, inputs, args.real_dev, inputs / "run-after")
            diffs = [k for k in ("rc", "stdout", "stderr", "written") if a[k] != b[k]]
            if diffs:
                differ += 1
                print(f"DIFFER  {name}: {', '.join(diffs)}")
                for k in ("stdout", "stderr"):
                    if k in diffs:
                        lines = difflib.unified_diff(a[k].decode("utf-8", "replace").splitlines(),
                                                     b[k].decode("utf-8", "replace").splitlines(),
                                                     "before", "after", lineterm="", n=1)
                        print("\n".join(list(lines)[:40]))
                if "rc" in diffs:
                    print(f"  exit code {a['rc']} -> {b['rc']}")
            else:
                same += 1
                print(f"same    {name} (exit {a['rc']}, {len(a['stdout'])} bytes out, "
                      f"{len(a['written'])} files written)")
    finally:
        shutil.rmtree(inputs, ignore_errors=True)
    print(f"same {same} / differ {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
