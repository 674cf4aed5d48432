"""The speed table of issue 23, in one run, as ratios to codespell measured side by side:
a real archive of human-written news, the result cache (re-audit of an unchanged
archive), ``audit --jobs 2`` against ``--jobs 1``, one article repeated to 5 and 50 MB,
and a one-line check (start-up).

    python benchmarks/bench_real.py                # the full run (~10 min on a loaded 2-core machine)
    python benchmarks/bench_real.py --quick        # fewer repetitions, smaller repeated article (CI)
    python benchmarks/bench.py                     # runs this too, after its own table

**The real archive** is the human-written English news of ``../shared/real-dev``
(NTREX-128's English source, WMT21/22 human references and English source
articles: 862 files, 1.45 MB), read where it lies at run time (unpacked from
``corpus.tar.xz`` into a temporary directory when its ``.cache`` is missing), never
copied into the project. codespell runs with its default dictionary, as a desk would
run it. The ratios are **speed** ratios, as the issue writes them: codespell's time
divided by copydesk's (above 1: copydesk is faster), each from the same repetition
(paired), by wall time and by CPU time (user + system of the process and the
workers it waited for: on a shared, loaded machine the CPU ratio moves less).

Peak MB is the child's peak RSS, which on Linux starts at this process's own RSS
(the child is a fork of it): run alone, this script stays at ~15 MB; inside
``bench.py`` the floor is that process's size (~80 MB).

It asserts nothing; writes ``benchmarks/out/bench_real.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
OUT = HERE / "out"
TREE: str | None = None  # --tree: run ``python -m qa`` of another checkout (its directory)


def run(argv: list[str], env: dict | None = None, timeout: float | None = None, stdout=None, cwd=None) -> dict:
    """Wall time, CPU time (with the children it waited for) and peak RSS of a command.
    ``stdout``: a path to write the output to (else discarded)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    cwd = cwd or TREE
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True)
        timed_out = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - t0 > timeout:
                os.killpg(p.pid, signal.SIGKILL)
                _pid, status, ru = os.wait4(p.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
    finally:
        if stdout:
            out.close()
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    rc = os.waitstatus_to_exitcode(status)
    return dict(s=wall, cpu=ru.ru_utime + ru.ru_stime, rss_mb=ru.ru_maxrss / 1024, rc=rc, timed_out=timed_out,
                err=err[-300:] if rc not in (0, 1) else "")


def user_env(cache: Path, results: Path | None = None) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its .pyc files
    env.pop("COPYDESK_NO_CACHE", None)
    env["COPYDESK_CACHE_DIR"] = str(cache)
    if results is not None:
        env["COPYDESK_RESULT_CACHE_DIR"] = str(results)
    return env


def real_archive(work: Path) -> Path | None:
    """The human-written English news of real-dev (unpacked there, or here)."""
    split = SHARED / "real-dev"
    for d in sorted((split / ".cache").glob("corpus-*")):
        if (d / "human" / "en").is_dir():
            return d / "human" / "en"
    tar = split / "corpus.tar.xz"
    if not tar.is_file():
        return None
    dest = work / "real"
    with tarfile.open(tar) as t:
        members = [m for m in t.getmembers() if m.name.startswith("human/en/") and (m.isfile() or m.isdir())]
        t.extractall(dest, members=members, filter="data")
    return dest / "human" / "en"


def article_like(archive: Path, size: int = 1700) -> Path:
    """The archive's article whose size is closest to ``size`` bytes (the repeated-article row)."""
    files = sorted(archive.rglob("*.txt"))
    return min(files, key=lambda f: (abs(f.stat().st_size - size), str(f)))


def supports_no_cache(copydesk: list[str], cwd=None) -> bool:
    r = subprocess.run(copydesk + ["check", "--help"], capture_output=True, text=True, cwd=cwd or TREE)
    return "--no-cache" in r.stdout


def files_of(report: Path) -> str:
    """A digest of the findings part of a JSON report (``files``; the summary holds timings),
    made in a child process: a parsed report of 18,000 findings would stay in this
    process's memory, and every later child inherits its peak RSS from the fork."""
    code = ("import hashlib, json, sys\n"
            "try:\n"
            "    files = json.load(open(sys.argv[1], encoding='utf-8'))['files']\n"
            "except (OSError, ValueError, KeyError):\n"
            "    print(''); sys.exit()\n"
            "print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest() if files else '')\n")
    r = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True, text=True)
    return r.stdout.strip()


def measure(quick: bool = False, reps: int | None = None, cache: Path | None = None,
            repeat_sizes: list[float] | None = None, timeout: float = 900.0, say=None,
            repeated_only: bool = False) -> dict:
    """The whole table (quick: one repetition, no synthetic cache case, a smaller repeated article)."""
    say = say or (lambda m: print(m, file=sys.stderr, flush=True))
    reps = reps or (1 if quick else 3)
    work = Path(tempfile.mkdtemp(prefix="copydesk-bench-real-"))
    try:
        return _measure(work, quick, reps, cache, repeat_sizes, timeout, say, repeated_only)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(work: Path, quick: bool, reps: int, cache: Path | None, repeat_sizes, timeout: float, say,
             repeated_only: bool = False) -> dict:
    archive = real_archive(work)
    if archive is None:
        return dict(error="no real archive (../shared/real-dev/corpus.tar.xz)")
    files = [str(f) for f in sorted(archive.rglob("*.txt"))]
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    from qa.text.cache import cache_dir

    cache = cache or cache_dir()  # the user's: word tables built once already
    py = sys.executable
    copydesk = [py, "-m", "qa"]
    nc = ["--no-cache"] if supports_no_cache(copydesk) else []
    env = user_env(cache, work / "results-unused")
    cs = shutil.which("codespell") or str(Path(sys.executable).with_name("codespell"))
    quiet = ["--no-progress", "--quiet", "--fail-on", "never"]
    say(f"bench_real: real archive {archive} ({len(files)} files, {mb:.2f} MB)")
    run(copydesk + ["check", "--select", "name"] + nc + files[:5], env)  # warm bytecode and glossary
    rows = {
        "codespell (default dictionary)": [cs] + files,
        "names only, one job": copydesk + ["check", "--select", "name"] + nc + files,
        "all rules, one job": copydesk + ["check"] + nc + files,
        "audit --jobs 1": copydesk + ["audit", "--jobs", "1"] + quiet + nc + files,
        "audit --jobs 2": copydesk + ["audit", "--jobs", "2"] + quiet + nc + files,
    }
    if repeated_only:
        rows = {}
    runs: dict[str, list] = {k: [] for k in rows}
    # the cache case, on the real archive and (when benchmarks/make_data.py has run) on the
    # synthetic corpus: a first audit into an empty result cache, then the same again
    archives = {"real archive": files}
    synth = [] if quick or repeated_only else sorted((HERE / "data" / "corpus").glob("*.txt"))
    if synth:
        archives["synthetic corpus"] = [str(f) for f in synth]
        runs["codespell (default dictionary), synthetic corpus"] = []
    if repeated_only:
        archives = {}
    for name in archives:
        runs[f"audit, empty result cache, {name}"] = []
        runs[f"re-audit, unchanged, {name}"] = []
    identical: dict[str, bool] = {}
    for rep in range(reps):
        for name, argv in rows.items():
            say(f"bench_real: [{rep + 1}/{reps}] {name}")
            runs[name].append(run(argv, env))
        if "synthetic corpus" in archives:
            runs["codespell (default dictionary), synthetic corpus"].append(run([cs] + archives["synthetic corpus"], env))
        for name, fs in archives.items():
            # in the cache directory's file system, where a user's result cache lives
            rdir = Path(cache) / f"bench-results-{os.getpid()}-{rep}"
            shutil.rmtree(rdir, ignore_errors=True)
            cenv = user_env(cache, rdir)
            a = copydesk + ["audit", "--jobs", "1", "--format", "json"] + quiet + fs
            say(f"bench_real: [{rep + 1}/{reps}] audit of the {name} into an empty result cache, then again")
            first = run(a, cenv, stdout=str(work / "first.json"))
            second = run(a, cenv, stdout=str(work / "second.json"))
            runs[f"audit, empty result cache, {name}"].append(first)
            runs[f"re-audit, unchanged, {name}"].append(second)
            if rep == 0:
                fresh = run(copydesk + ["audit", "--jobs", "1", "--format", "json"] + quiet + nc + fs, env,
                            stdout=str(work / "fresh.json"))
                f0, f1, f2 = (files_of(work / x) for x in ("fresh.json", "first.json", "second.json"))
                identical[name] = bool(f0) and f0 == f1 == f2 and fresh["rc"] == first["rc"] == second["rc"]
            shutil.rmtree(rdir, ignore_errors=True)
    table = []
    for name, rs in runs.items():
        if not rs:
            continue
        base = runs["codespell (default dictionary)" + (", synthetic corpus" if "synthetic" in name else "")]
        speed_wall = [b["s"] / r["s"] for r, b in zip(rs, base)]
        speed_cpu = [b["cpu"] / r["cpu"] for r, b in zip(rs, base) if r["cpu"] > 0]
        table.append(dict(name=name, s=statistics.median(r["s"] for r in rs),
                          cpu=statistics.median(r["cpu"] for r in rs),
                          speed_wall=statistics.median(speed_wall), speed_cpu=statistics.median(speed_cpu),
                          rss_mb=max(r["rss_mb"] for r in rs), rc=rs[-1]["rc"], err=rs[-1]["err"]))
    j1, j2 = runs.get("audit --jobs 1"), runs.get("audit --jobs 2")
    jobs = dict(wall=statistics.median(a["s"] / b["s"] for a, b in zip(j1, j2)),
                cpu_j1=statistics.median(a["cpu"] for a in j1),
                cpu_j2=statistics.median(b["cpu"] for b in j2)) if j1 and j2 else None

    # one article repeated (the shape of issue 23's regression), all rules
    one = article_like(archive)
    text = one.read_text(encoding="utf-8")
    sizes = repeat_sizes or ([0.25, 2.5] if quick else [5, 50])
    repeated = []
    for size in sizes:
        n = int(size * 1e6)
        body = (text.rstrip("\n") + "\n\n") * (n // (len(text.encode()) + 2) + 1)
        f = work / f"repeated-{size}.txt"
        data = body.encode("utf-8")[:n]
        f.write_bytes(data[: data.rfind(b"\n") + 1])
        say(f"bench_real: one {len(text.encode())}-byte article repeated to {size:g} MB, all rules")
        r = run(copydesk + ["check"] + nc + [str(f)], env, timeout=timeout)
        repeated.append(dict(mb=size, s=r["s"], cpu=r["cpu"], rss_mb=r["rss_mb"], rc=r["rc"],
                             timed_out=r["timed_out"]))
        f.unlink()
        if r["timed_out"]:
            break

    # start-up: a one-line file, median of 5
    tiny = work / "tiny.txt"
    tiny.write_text("Officials in Kyiv said on Tuesday that talks would resume.\n", encoding="utf-8")
    startup = {}
    for name, argv in (("python -c pass", [py, "-c", "pass"]), ("codespell, one line", [cs, str(tiny)]),
                       ("copydesk check, one line", copydesk + ["check"] + nc + [str(tiny)]),
                       ("copydesk check, one line, result cached", copydesk + ["check", str(tiny)])):
        rs = [run(argv, user_env(cache, work / "startup-results")) for _ in range(5)]
        startup[name] = dict(s=statistics.median(x["s"] for x in rs), cpu=statistics.median(x["cpu"] for x in rs))
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return dict(tree=TREE or str(ROOT), archive=dict(path=str(archive), files=len(files), mb=mb,
                             synthetic_mb=sum(os.path.getsize(f) for f in archives.get("synthetic corpus", [])) / 1e6),
                reps=reps, quick=quick, load_1min=load,
                table=table, jobs=jobs, identical=identical, repeated=dict(article=one.name, bytes=len(text.encode()),
                                                                          rows=repeated),
                startup=startup)


def report(res: dict) -> str:
    if "error" in res:
        return f"real archive: {res['error']}"
    a = res["archive"]
    lines = [f"Real archive: {a['files']} files of human-written English news, {a['mb']:.2f} MB; synthetic "
             f"corpus {a.get('synthetic_mb', 0):.1f} MB "
             f"(median of {res['reps']} paired runs; load average {res['load_1min']:.1f} on "
             f"{os.cpu_count()} CPUs at the end)" if res.get("load_1min") is not None else
             f"Real archive: {a['files']} files, {a['mb']:.2f} MB",
             "",
             "| command (real archive unless named) | wall s | CPU s | × codespell's speed (wall) | × codespell's speed (CPU) | peak MB |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in res["table"]:
        bad = f" (exit {r['rc']})" if r["rc"] not in (0, 1) and not r["name"].startswith("codespell") else ""
        lines.append(f"| {r['name']}{bad} | {r['s']:.2f} | {r['cpu']:.2f} | {r['speed_wall']:.2f} | "
                     f"{r['speed_cpu']:.2f} | {r['rss_mb']:.0f} |")
    j = res["jobs"] or dict(wall=float("nan"), cpu_j1=float("nan"), cpu_j2=float("nan"))
    lines.append("")
    lines.append(f"`audit --jobs 2` against `--jobs 1`: {j['wall']:.2f}× faster by wall time "
                 f"(CPU {j['cpu_j1']:.2f} s → {j['cpu_j2']:.2f} s).")
    for name, same in res["identical"].items():
        lines.append(f"Re-audit of the {name}: report identical to a fresh audit's (findings of every file): {same}.")
    rp = res["repeated"]
    lines.append("")
    lines.append(f"| one {rp['bytes']:,}-byte article repeated, all rules | wall s | CPU s | × the first (CPU) | peak MB |")
    lines.append("|---|---:|---:|---:|---:|")
    r0 = rp["rows"][0] if rp["rows"] else None
    for r in rp["rows"]:
        t = f"> {r['s']:.0f} (stopped)" if r["timed_out"] else f"{r['s']:.2f}"
        lines.append(f"| {r['mb']:g} MB | {t} | {r['cpu']:.2f} | {r['cpu'] / r0['cpu']:.2f} | {r['rss_mb']:.0f} |")
    lines.append("")
    lines.append("| start-up (median of 5) | wall s | CPU s |")
    lines.append("|---|---:|---:|")
    for name, d in res["startup"].items():
        lines.append(f"| {name} | {d['s']:.3f} | {d['cpu']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--sizes", type=float, nargs="*", help="repeated-article sizes in MB (default 5 50; quick 0.25 2.5)")
    ap.add_argument("--timeout", type=float, default=900.0, help="stop a repeated-article run after this many seconds")
    ap.add_argument("--repeated-only", action="store_true", help="only the repeated-article rows")
    ap.add_argument("--out", default=str(OUT / "bench_real.json"))
    ap.add_argument("--report", metavar="JSON")
    ap.add_argument("--tree", metavar="DIR", help="measure the copydesk of another checkout (e.g. the one before)")
    args = ap.parse_args()
    global TREE
    TREE = str(Path(args.tree).resolve()) if args.tree else None
    if args.report:
        print(report(json.loads(Path(args.report).read_text())))
        return
    sys.path.insert(0, str(ROOT))
    res = measure(args.quick, args.reps, repeat_sizes=args.sizes, timeout=args.timeout,
                  repeated_only=args.repeated_only)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1))
    print(report(res))


if __name__ == "__main__":
    main()
