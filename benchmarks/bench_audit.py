"""Benchmark `copydesk audit`: jobs 1 and 2, names only and all rules, glossaries
of 1k, 10k and 30k+ terms, and codespell over the same corpus, in one run.

    python benchmarks/make_data.py         # once (git-ignored data)
    python benchmarks/bench_audit.py       # ~10 min on 2 cores
    python benchmarks/bench_audit.py --quick

Every run is a fresh `copydesk audit` process: wall time (MB/s) and its peak RSS.
Writes benchmarks/out/audit.json. Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUT = HERE / "out"
GLOSSARIES = [("1k", "glossary-1k.toml"), ("10k", "glossary-10k.toml"), ("30k+", "glossary-big.toml")]


def timed(argv: list[str]) -> dict:
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace")[-300:] if p.stderr else ""
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),
            "exit": os.waitstatus_to_exitcode(status), "stderr_tail": err}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 2 MB slice and the 30k glossary only")
    ap.add_argument("--out", default=str(OUT / "audit.json"))
    args = ap.parse_args()
    if not (DATA / "glossary-big.toml").exists():
        subprocess.run([sys.executable, str(HERE / "make_data.py")], check=True)
    files = sorted((DATA / "corpus").glob("*.txt"))
    if args.quick:
        acc, keep = 0, []
        for f in files:
            if acc > 2_000_000:
                break
            keep.append(f)
            acc += f.stat().st_size
        files = keep
    mb = sum(f.stat().st_size for f in files) / 1e6
    tmp = Path(tempfile.mkdtemp(prefix="copydesk-bench-"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    for f in files:
        os.symlink(f.resolve(), corpus / f.name)
    copydesk = shutil.which("copydesk") or "copydesk"
    results = {"corpus_mb": round(mb, 2), "files": len(files), "cores": os.cpu_count(), "runs": []}
    print(f"corpus: {len(files)} files, {mb:.1f} MB; {os.cpu_count()} cores")
    sizes = GLOSSARIES[-1:] if args.quick else GLOSSARIES
    for size, gname in sizes:
        for select in (["--select", "name"], []):
            for jobs in ((1, 2) if size == "30k+" or not select else (1,)):
                argv = [copydesk, "audit", "--no-progress", "--summary-only", "--fail-on", "never",
                        "--glossary", str(DATA / gname), "--jobs", str(jobs), *select, str(corpus)]
                r = timed(argv)
                r.update(glossary=size, rules="names" if select else "all", jobs=jobs,
                         mb_per_s=round(mb / r["wall_s"], 2))
                results["runs"].append(r)
                print(f"  {size:>5} terms  {r['rules']:<5} jobs={jobs}  {r['mb_per_s']:6.2f} MB/s  "
                      f"{r['wall_s']:7.2f} s  peak {r['peak_rss_mb']:6.0f} MB  exit {r['exit']}")
    cs = shutil.which("codespell")
    if cs and (DATA / "codespell.txt").exists():
        r = timed([cs, "-D", str(DATA / "codespell.txt"), str(corpus)])
        r.update(tool="codespell", mb_per_s=round(mb / r["wall_s"], 2))
        results["codespell"] = r
        print(f"  codespell -D (wrong forms)        {r['mb_per_s']:6.2f} MB/s  {r['wall_s']:7.2f} s  "
              f"peak {r['peak_rss_mb']:6.0f} MB")
    else:
        print("  codespell not installed (pip install codespell): no side-by-side run")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
