"""Benchmark `copydesk check`: glossary load and index build, check throughput
(in-process and through the CLI), codespell side by side, and glossary scaling.

    python benchmarks/make_data.py            # once: builds benchmarks/data/ (~30 MB, git-ignored)
    python benchmarks/bench_check.py          # full run over the ~10 MB corpus (~5-10 min on 2 cores)
    python benchmarks/bench_check.py --quick  # a 1 MB slice (for CI, as a report; ~1-2 min)

Prints a report and writes benchmarks/out/check.json. Not part of the test-suite:
it asserts nothing and never fails on slow numbers.

Every measurement runs in a fresh subprocess (this script with --worker), so peak
RSS (ru_maxrss) and the library's lazy caches belong to that measurement alone.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))

SIZES = [("1k", "glossary-1k.toml"), ("10k", "glossary-10k.toml"), ("30k+", "glossary-big.toml")]


# ----------------------------------------------------------------------------- helpers
def _rss_now_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mb(ru) -> float:
    return ru.ru_maxrss / 1024  # KiB on Linux


def corpus_files(data: Path, limit_bytes: int | None) -> list[Path]:
    files = sorted((data / "corpus").glob("*.txt"))
    if limit_bytes is None:
        return files
    out, total = [], 0
    for f in files:
        if total >= limit_bytes:
            break
        out.append(f)
        total += f.stat().st_size
    return out


def run_child(argv: list[str], stdout=subprocess.DEVNULL, timeout: float | None = None) -> dict:
    """Run a command; wall time and the child's own peak RSS (os.wait4 rusage)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    deadline = None if timeout is None else t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            return dict(wall_s=time.perf_counter() - t0, rc=None, timeout=True, peak_rss_mb=_maxrss_mb(ru))
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    return dict(wall_s=wall, rc=p.returncode, peak_rss_mb=_maxrss_mb(ru), user_s=ru.ru_utime, sys_s=ru.ru_stime,
                stderr_tail=err[-400:])


def worker(kind: str, args: list[str], timeout: float | None = None) -> dict:
    """Run this script as ``--worker kind args``: it prints one JSON line on stdout."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", kind, *args],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return dict(error=f"timeout after {timeout:.0f} s", wall_s=time.perf_counter() - t0)
    if p.returncode != 0:
        return dict(error=p.stderr.strip()[-800:])
    return json.loads(p.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- workers
def w_build(glossary: str, traced: str = "1") -> dict:
    rss0 = _rss_now_mb()
    from qa.text.glossary import load_glossaries
    from qa.text.index import GlossaryIndex

    t0 = time.perf_counter()
    g = load_glossaries([glossary])
    t1 = time.perf_counter()
    rss_loaded = _rss_now_mb()
    idx = GlossaryIndex.build(g, "en")
    t2 = time.perf_counter()
    rss_built = _rss_now_mb()
    peak = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF))
    stats = dict(shapes=len(idx.shapes), by_token=len(idx.by_token), by_skeleton=len(idx.by_skeleton),
                 deletes=len(idx.deletes), accepted_tokens=len(idx.accepted_tokens))
    index_mb = None
    if traced == "1":  # index size by tracemalloc: a second build, traced (its time is not reported)
        import gc
        import tracemalloc

        del idx
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        idx = GlossaryIndex.build(g, "en")
        gc.collect()
        index_mb = (tracemalloc.get_traced_memory()[0] - base) / 2**20
        tracemalloc.stop()
    return dict(terms=len(g.terms), parse_s=t1 - t0, build_s=t2 - t1, rss_start_mb=rss0,
                rss_after_load_mb=rss_loaded, rss_after_build_mb=rss_built, peak_rss_mb=peak,
                index_traced_mb=index_mb, glossary_bytes=Path(glossary).stat().st_size, index=stats)


def w_check(glossary: str, select: str, listfile: str, concat: str, repeat: str = "1") -> dict:
    from qa.engine.checker import Checker
    from qa.rules import load_builtin_rules
    from qa.sources.items import read_text
    from qa.text.glossary import load_glossaries
    from qa.text.index import GlossaryIndex

    load_builtin_rules()
    g = load_glossaries([glossary])
    idx = GlossaryIndex.build(g, "en")
    sel = None if select == "all" else select.split(",")
    checker = Checker(index=idx, lang="en", select=sel)
    t0 = time.perf_counter()
    checker.check_text("Officials in Kyiv said on Tuesday that talks would resume.\n")
    warm = time.perf_counter() - t0
    if concat == "1":
        texts = [Path(listfile).read_text(encoding="utf-8")]
    else:
        texts = [read_text(p)[0] for p in Path(listfile).read_text().split("\n") if p]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    passes = []
    for _ in range(int(repeat)):  # best of N passes (the machine is shared)
        findings = 0
        by_family: dict[str, int] = {}
        per_file = []
        t_all = cpu_all = 0.0
        for t in texts:
            t0, c0 = time.perf_counter(), time.process_time()
            fs, _lang = checker.check_text(t)
            dt = time.perf_counter() - t0
            cpu_all += time.process_time() - c0
            t_all += dt
            per_file.append(dt)
            findings += len(fs)
            for f in fs:
                by_family[f.family] = by_family.get(f.family, 0) + 1
        passes.append((t_all, cpu_all))
    per_file.sort()
    t_all, cpu_all = min(passes)
    return dict(terms=len(g.terms), select=select, files=len(texts), bytes=nbytes, check_s=t_all, cpu_s=cpu_all,
                passes_s=[p[0] for p in passes], mb_s=nbytes / 1e6 / t_all, cpu_mb_s=nbytes / 1e6 / cpu_all,
                warmup_s=warm, findings=findings, by_family=by_family,
                file_s_median=per_file[len(per_file) // 2], file_s_max=per_file[-1],
                peak_rss_mb=_maxrss_mb(resource.getrusage(resource.RUSAGE_SELF)))


# ----------------------------------------------------------------------------- measurements
def measure_cli(glossary: Path, files: list[Path], select: str | None, nbytes: int, outdir: Path) -> dict:
    exe = shutil.which("copydesk") or str(Path(sys.executable).with_name("copydesk"))
    argv = [exe, "check", "--format", "json", "--glossary", str(glossary)]
    if select:
        argv += ["--select", select]
    name = f"cli-{select or 'all'}.json"
    with open(outdir / name, "w") as out:
        r = run_child(argv + [str(f) for f in files], stdout=out)
    try:
        rep = json.loads((outdir / name).read_text())
        r["findings"] = sum(len(f["findings"]) for f in rep["files"])
    except (ValueError, KeyError):
        r["findings"] = None
    # fixed cost: the same command over one short file (startup + glossary load + index build)
    tiny = outdir / "tiny.txt"
    tiny.write_text("Officials in Kyiv said on Tuesday that talks would resume.\n")
    fixed = run_child(argv + [str(tiny)])
    r["fixed_cost_s"] = fixed["wall_s"]
    r["mb_s"] = nbytes / 1e6 / r["wall_s"]
    r["mb_s_excl_fixed"] = nbytes / 1e6 / max(r["wall_s"] - fixed["wall_s"], 1e-9)
    r["argv"] = " ".join(argv[1:]) + f" <{len(files)} files>"
    return r


def measure_codespell(dictionary: Path, files: list[Path], nbytes: int) -> dict:
    exe = shutil.which("codespell") or str(Path(sys.executable).with_name("codespell"))
    if not Path(exe).exists():
        return dict(error="codespell not installed (pip install codespell)")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    tmp = OUT / "codespell-out.txt"
    with open(tmp, "w") as out:
        r = run_child([exe, "-D", str(dictionary)] + [str(f) for f in files], stdout=out)
    r["findings"] = sum(1 for _ in open(tmp))
    r["mb_s"] = nbytes / 1e6 / r["wall_s"]
    r["version"] = version
    r["pairs"] = sum(1 for _ in open(dictionary))
    return r


# ----------------------------------------------------------------------------- report
def fmt_report(res: dict) -> str:
    L = []
    m = res["meta"]
    L.append(f"copydesk check benchmark — {m['when']} — {m['mode']} — {m['machine']}")
    L.append(f"corpus: {m['files']} files, {m['bytes'] / 1e6:.2f} MB; git {m['git']}; "
             f"load average at start/end {m['loadavg_start'][0]:.1f}/{m.get('loadavg_end', [0])[0]:.1f}")
    L.append("")
    L.append("Glossary load and index build (GlossaryIndex.build(g, 'en')), each in a fresh process")
    L.append(f"  {'size':<6}{'terms':>7}{'toml MB':>9}{'parse s':>9}{'build s':>9}{'RSS load MB':>13}"
             f"{'RSS build MB':>14}{'peak RSS MB':>13}{'index MB':>10}")
    for k, b in res["build"].items():
        if "error" in b:
            L.append(f"  {k:<6} error: {b['error']}")
            continue
        ix = f"{b['index_traced_mb']:.0f}" if b["index_traced_mb"] is not None else "-"
        L.append(f"  {k:<6}{b['terms']:>7}{b['glossary_bytes'] / 1e6:>9.2f}{b['parse_s']:>9.2f}{b['build_s']:>9.2f}"
                 f"{b['rss_after_load_mb']:>13.0f}{b['rss_after_build_mb']:>14.0f}{b['peak_rss_mb']:>13.0f}{ix:>10}")
    L.append("  (RSS load/build: resident set after parsing / after building; index MB: tracemalloc of a second build)")
    L.append("")
    L.append("Throughput, in-process (check_text only; file reading, glossary load, index build and the first call excluded)")
    L.append(f"  {'glossary':<9}{'rules':<7}{'MB/s':>8}{'CPU MB/s':>10}{'s':>8}{'findings':>10}{'warm-up s':>11}{'peak RSS MB':>13}")
    for key, r in res["inproc"].items():
        if "error" in r:
            L.append(f"  {key:<16} error: {r['error'][-200:]}")
            continue
        L.append(f"  {r['size']:<9}{r['select']:<7}{r['mb_s']:>8.2f}{r['cpu_mb_s']:>10.2f}{r['check_s']:>8.1f}{r['findings']:>10}"
                 f"{r['warmup_s']:>11.2f}{r['peak_rss_mb']:>13.0f}")
    L.append("")
    L.append("End to end (CLI wall time, 30k+ glossary, --format json; peak RSS of the child)")
    L.append(f"  {'command':<22}{'MB/s':>8}{'wall s':>8}{'fixed s':>9}{'MB/s excl fixed':>17}{'peak RSS MB':>13}{'findings':>10}")
    for key, r in res["cli"].items():
        if "error" in r:
            L.append(f"  {key:<22} error: {r['error']}")
            continue
        fixed = f"{r['fixed_cost_s']:.2f}" if "fixed_cost_s" in r else "-"
        L.append(f"  {key:<22}{r['mb_s']:>8.2f}{r['wall_s']:>8.1f}{fixed:>9}"
                 f"{r.get('mb_s_excl_fixed', r['mb_s']):>17.2f}{r['peak_rss_mb']:>13.0f}{str(r.get('findings')):>10}")
    L.append("")
    sc = res["scaling"]
    L.append("Scaling, names only, in-process MB/s by glossary size")
    for what, key in (("main corpus (places from all terms)", "mb_s"),
                      ("scale corpus (places from the first 1k terms only)", "scale_mb_s")):
        row = sc.get(key, {})
        L.append(f"  {what}: " + "  ".join(f"{k}: {v:.2f}" if v else f"{k}: -" for k, v in row.items())
                 + f"   (time 30k+ / 1k: {sc.get(key + '_ratio', float('nan')):.2f})")
    for r in res.get("scale", {}).values():
        if "error" not in r:
            L.append(f"    {r['size']:<5} {r['bytes'] / 1e6:.2f} MB  {r['check_s']:.2f} s (best of {len(r['passes_s'])}; "
                     f"CPU {r['cpu_mb_s']:.2f} MB/s)  {r['findings']} findings")
    if res.get("single"):
        L.append("")
        L.append("One long document (names only, 30k+ glossary): time by document length")
        for r in res["single"]:
            if "error" in r:
                L.append(f"  {r.get('mb', '?')} MB: {r['error']}")
            else:
                L.append(f"  {r['bytes'] / 1e6:5.2f} MB  {r['check_s']:7.2f} s  {r['mb_s']:6.2f} MB/s  {r['findings']} findings")
    L.append("")
    for k, v in res.get("ratios", {}).items():
        L.append(f"  {k}: {v:.2f}")
    return "\n".join(L)


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmark copydesk check (not a test).")
    ap.add_argument("--quick", action="store_true", help="use a 1 MB slice of the corpus")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--out", default=str(OUT / "check.json"))
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI runs")
    ap.add_argument("--single-mb", type=float, default=None,
                    help="longest one-document run in MB (default 1.0; 0.5 with --quick; 0 to skip)")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        kind, *rest = a.worker
        r = w_build(*rest) if kind == "build" else w_check(*rest)
        print(json.dumps(r))
        return

    data = Path(a.data)
    if not (data / "glossary-big.toml").exists():
        print("benchmarks/data missing: running make_data.py", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "make_data.py"), "--out", str(data)], check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    files = corpus_files(data, 1_000_000 if a.quick else None)
    nbytes = sum(f.stat().st_size for f in files)
    listfile = OUT / "files.txt"
    listfile.write_text("\n".join(str(f) for f in files) + "\n")
    big = data / "glossary-big.toml"
    git = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    res: dict = dict(meta=dict(
        when=time.strftime("%Y-%m-%d %H:%M:%S %Z"), mode="quick (1 MB slice)" if a.quick else "full",
        machine=f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}",
        files=len(files), bytes=nbytes, git=git, loadavg_start=os.getloadavg()))

    def say(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    res["build"] = {}
    for label, fn in SIZES:
        say(f"build {label}")
        res["build"][label] = worker("build", [str(data / fn), "0" if a.quick else "1"])

    res["inproc"] = {}
    for label, fn in SIZES:
        say(f"in-process names-only {label}")
        r = worker("check", [str(data / fn), "name", str(listfile), "0", "2" if a.quick else "1"])
        r["size"] = label
        res["inproc"][f"{label}/name"] = r
    say("in-process all rules 30k+")
    r = worker("check", [str(big), "all", str(listfile), "0"])
    r["size"] = "30k+"
    res["inproc"]["30k+/all"] = r

    scale_files = sorted((data / "corpus-scale").glob("*.txt"))[: 40 if a.quick else None]
    scale_list = OUT / "files-scale.txt"
    scale_list.write_text("\n".join(str(f) for f in scale_files) + "\n")
    res["scale"] = {}
    for label, fn in SIZES:
        say(f"scaling corpus, names-only {label}")
        r = worker("check", [str(data / fn), "name", str(scale_list), "0", "3"])
        r["size"] = label
        res["scale"][label] = r

    res["cli"] = {}
    if not a.no_cli:
        for sel in ("name", None):
            say(f"CLI {sel or 'all rules'}")
            res["cli"][f"copydesk --select {sel}" if sel else "copydesk (all rules)"] = measure_cli(big, files, sel, nbytes, OUT)
    say("codespell")
    res["cli"]["codespell -D"] = measure_codespell(data / "codespell.txt", files, nbytes)

    single_mb = a.single_mb if a.single_mb is not None else (0.5 if a.quick else 1.0)
    res["single"] = []
    if single_mb > 0:
        whole = (data / "corpus-all.txt").read_text(encoding="utf-8")
        for frac in (0.25, 0.5, 1.0):
            n = int(single_mb * frac * 1e6)
            cut = whole.rfind("\n\n", 0, n) + 2 or n
            p = OUT / f"single-{frac}.txt"
            p.write_text(whole[:cut], encoding="utf-8")
            say(f"one document of {cut / 1e6:.2f} MB")
            r = worker("check", [str(big), "name", str(p), "1"], timeout=900)
            r["mb"] = round(cut / 1e6, 2)
            res["single"].append(r)
            p.unlink()

    mbs = {lab: res["inproc"][f"{lab}/name"].get("mb_s") for lab, _ in SIZES}
    smbs = {lab: res["scale"][lab].get("mb_s") for lab, _ in SIZES}
    res["scaling"] = dict(mb_s=mbs, scale_mb_s=smbs)
    if all(mbs.values()):
        res["scaling"]["mb_s_ratio"] = mbs["1k"] / mbs["30k+"]
    if all(smbs.values()):
        res["scaling"]["scale_mb_s_ratio"] = smbs["1k"] / smbs["30k+"]
    ratios = {}
    cs = res["cli"].get("codespell -D", {})
    if cs.get("mb_s"):
        for key, lab in (("30k+/name", "in-process names-only"), ("30k+/all", "in-process all rules")):
            if res["inproc"][key].get("mb_s"):
                ratios[f"{lab} MB/s ÷ codespell MB/s"] = res["inproc"][key]["mb_s"] / cs["mb_s"]
        for key, r in res["cli"].items():
            if key != "codespell -D" and r.get("mb_s"):
                ratios[f"{key} (CLI) MB/s ÷ codespell MB/s"] = r["mb_s"] / cs["mb_s"]
    res["ratios"] = ratios

    res["meta"]["loadavg_end"] = os.getloadavg()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    print(fmt_report(res))
    print(f"\nJSON: {a.out}")


if __name__ == "__main__":
    main()
