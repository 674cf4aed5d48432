"""Before/after of two checkouts, side by side: every repetition runs each row
in both trees (whole processes, ``python -m qa`` from the tree's directory), and
codespell once, so that the machine's load moves both columns together.

    python benchmarks/compare_trees.py BEFORE_DIR AFTER_DIR [--reps 3]

Uses the data of ``benchmarks/make_data.py`` (in AFTER_DIR/benchmarks/data) and
prints one Markdown table (median seconds, median ratio to codespell, peak RSS),
then the 50 MB / 5 MB article rows and a first run in an empty cache, once each.
It asserts nothing (docs/benchmarks.md quotes its output).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cwd: str, args: list[str], env: dict) -> tuple[float, float]:
    t = time.perf_counter()
    p = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t, ru.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    trees = {"before": str(Path(args.before).resolve()), "after": str(Path(args.after).resolve())}
    data = Path(trees["after"]) / "benchmarks" / "data"
    if not (data / "glossary-big.toml").exists():
        sys.exit("compare_trees: no benchmark data: run benchmarks/make_data.py first")
    py = sys.executable
    codespell = shutil.which("codespell")
    if not codespell:
        sys.exit("compare_trees: codespell is not installed (pip install -e '.[bench]')")
    big, corpus = str(data / "glossary-big.toml"), str(data / "corpus") + "/"
    rows = [
        ("check --select name, shipped", ["check", "--select", "name", corpus]),
        ("check --select name, 34k", ["check", "--select", "name", "--glossary", big, corpus]),
        ("check, all rules, shipped", ["check", corpus]),
        ("check, all rules, 34k", ["check", "--glossary", big, corpus]),
        ("audit --jobs 2, shipped", ["audit", "--jobs", "2", corpus]),
        ("audit --jobs 2, 34k", ["audit", "--jobs", "2", "--glossary", big, corpus]),
    ]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: bytecode files allowed
    # a tree with the result cache checks afresh in every repetition (--no-cache)
    nocache = {tree: ["--no-cache"] if "--no-cache" in subprocess.run(
        [py, "-m", "qa", "check", "--help"], cwd=cwd, capture_output=True, text=True).stdout else []
        for tree, cwd in trees.items()}
    res: dict = {}
    cs_times = []
    for _ in range(args.reps):
        cs, _m = run(trees["after"], [codespell, "-D", str(data / "codespell.txt"), corpus], env)
        cs_times.append(cs)
        for name, a in rows:
            for tree, cwd in trees.items():
                s, m = run(cwd, [py, "-m", "qa"] + a[:1] + nocache[tree] + a[1:], env)
                res.setdefault((name, tree), []).append((s, s / cs, m))
    print(f"codespell median {statistics.median(cs_times):.2f} s, {args.reps} repetition(s)\n")
    print("| command | before s | after s | before × codespell | after × codespell | before peak MB | after peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, _a in rows:
        b, a = res[(name, "before")], res[(name, "after")]
        med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
        print(f"| {name} | {med(b, 0):.2f} | {med(a, 0):.2f} | {med(b, 1):.2f} | {med(a, 1):.2f} | "
              f"{max(x[2] for x in b):.0f} | {max(x[2] for x in a):.0f} |")
    text = (data / "corpus-all.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        arts = {}
        for size in (5, 50):
            n = int(size * 1e6)
            body = (text * (n // len(text) + 1))[:n]
            arts[size] = Path(work) / f"article-{size}.txt"
            arts[size].write_text(body[: body.rfind("\n") + 1], encoding="utf-8")
        print()
        for tree, cwd in trees.items():
            s50, m50 = run(cwd, [py, "-m", "qa", "check"] + nocache[tree] + [str(arts[50])], env)
            s5, m5 = run(cwd, [py, "-m", "qa", "check"] + nocache[tree] + [str(arts[5])], env)
            cache = Path(work) / f"cache-{tree}"
            s1, m1 = run(cwd, [py, "-m", "qa", "check", str(data / "corpus" / "000.txt")],
                         dict(env, COPYDESK_CACHE_DIR=str(cache)))
            print(f"{tree}: 50 MB {s50:.1f} s, {m50:.0f} MB; 5 MB {s5:.1f} s, {m5:.0f} MB "
                  f"(50 MB / 5 MB time {s50 / s5:.2f}); first run in an empty cache {s1:.1f} s, {m1:.0f} MB")


if __name__ == "__main__":
    main()
