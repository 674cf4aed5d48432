"""Findings before and after, compared: two checkouts give the same findings on
eval-dev, real-dev (human and machine-translated) and the benchmark corpus, and,
in the AFTER tree, a run answered from the result cache gives the same report as
a fresh one.

    python benchmarks/compare_findings.py BEFORE_DIR AFTER_DIR [--quick]

For every corpus and both glossaries (the shipped one; eval-dev's own for eval-dev;
the 34k one for the benchmark corpus when benchmarks/make_data.py has run) it runs
``check --format json`` (findings of every file, compared as JSON: the layout of the
document may differ) and ``check --format text`` (compared byte for byte) in both
trees, from one working directory outside both, so that paths and fingerprints are
the same. The AFTER tree runs three times: ``--no-cache``, then into an empty result
cache, then again (answered from the cache). Prints one line per case and exits 1
when any differ.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def corpora(after: Path, quick: bool) -> list[tuple[str, list[str], list[str]]]:
    """(name, paths, extra args) of every corpus found."""
    out = []
    ev = SHARED / "eval-dev"
    if (ev / "clean").is_dir():
        paths = [str(ev / "clean"), str(ev / "corrupt")]
        out.append(("eval-dev, its glossary", paths, ["--glossary", str(ev / "glossary.toml")]))
        out.append(("eval-dev, shipped glossary", paths, []))
    real = sorted((SHARED / "real-dev" / ".cache").glob("corpus-*"))
    if real:
        human, mt = real[-1] / "human", real[-1] / "mt"
        out.append(("real-dev human en", [str(human / "en")], []))
        if not quick:
            out.append(("real-dev human de", [str(human / "de")], ["--lang", "de"]))
            out.append(("real-dev human nl", [str(human / "nl")], ["--lang", "nl"]))
            out.append(("real-dev mt (into en)", [str(mt)], []))
    data = after / "benchmarks" / "data"
    if (data / "corpus").is_dir():
        files = sorted(str(f) for f in (data / "corpus").glob("*.txt"))
        files = files[:40] if quick else files
        out.append(("benchmark corpus, shipped glossary", files, []))
        out.append(("benchmark corpus, 34k glossary", files, ["--glossary", str(data / "glossary-big.toml")]))
    return out


def check(tree: Path, args: list[str], env: dict, cwd: str) -> tuple[int, bytes]:
    r = subprocess.run([sys.executable, "-m", "qa", "check", *args], cwd=cwd, env=dict(env, PYTHONPATH=str(tree)),
                       capture_output=True)
    if r.returncode not in (0, 1, 2):  # 2: some input could not be read (compared like the rest)
        raise SystemExit(f"compare_findings: {tree}: check {' '.join(args[:4])}…: exit {r.returncode}: "
                         f"{r.stderr.decode()[-300:]}")
    return r.returncode, r.stdout


def has_no_cache(tree: Path, env: dict, cwd: str) -> bool:
    r = subprocess.run([sys.executable, "-m", "qa", "check", "--help"], cwd=cwd,
                       env=dict(env, PYTHONPATH=str(tree)), capture_output=True, text=True)
    return "--no-cache" in r.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--quick", action="store_true", help="fewer corpora (eval-dev, real-dev English, 40 files)")
    args = ap.parse_args()
    before, after = Path(args.before).resolve(), Path(args.after).resolve()
    env = dict(os.environ)
    env.pop("COPYDESK_NO_CACHE", None)
    bad = 0
    with tempfile.TemporaryDirectory(prefix="copydesk-compare-findings-") as cwd:
        env["COPYDESK_RESULT_CACHE_DIR"] = str(Path(cwd) / "results")
        nc = {t: ["--no-cache"] if has_no_cache(t, env, cwd) else [] for t in (before, after)}
        for name, paths, extra in corpora(after, args.quick):
            for fmt in ("json", "text"):
                a = ["--no-config", "--format", fmt, *extra]
                runs = {"before": check(before, a + nc[before] + paths, env, cwd),
                        "after": check(after, a + nc[after] + paths, env, cwd)}
                if nc[after]:
                    runs["after, into an empty result cache"] = check(after, a + paths, env, cwd)
                    runs["after, from the result cache"] = check(after, a + paths, env, cwd)
                view = {k: (rc, json.loads(out)["files"] if fmt == "json" else out) for k, (rc, out) in runs.items()}
                ref = view["before"]
                diff = [k for k, v in view.items() if v != ref]
                n = sum(len(f["findings"]) for f in ref[1]) if fmt == "json" else ref[1].count(b"\n")
                print(f"{'DIFFERENT' if diff else 'identical'}: {name}, {fmt} ({n} {'findings' if fmt == 'json' else 'lines'}; "
                      f"{', '.join(runs)})" + (f" — differs: {', '.join(diff)}" if diff else ""), flush=True)
                bad += bool(diff)
                import shutil

                shutil.rmtree(Path(cwd) / "results", ignore_errors=True)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
