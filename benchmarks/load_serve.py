"""Load benchmark of `copydesk serve` (not a timed test; docs/server.md has the results).

Starts `copydesk serve --port 0 --workers N` on loopback (its own process) and
drives it from this process with C concurrent keep-alive clients for D
seconds, each posting 5 KB articles of real English news (the human part of
../shared/real-dev, read from its archive at run time, paragraphs joined to
~5 KB) to /v1/check. Reports requests/s, latency p50/p95/p99, errors, and the
in-process baseline: the same articles checked by `project.item_checker.check_content` in one
process, one after the other, for the same time. The machine's load average
is printed, as other work on it moves the figures.

    python benchmarks/load_serve.py [--duration 60] [--clients 8] [--workers 1] [--size 5000]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "real-dev" / "corpus.tar.xz"


def articles(size: int, limit: int = 200) -> list[str]:
    """~``size``-character articles of human-written English news, joined paragraph by paragraph."""
    texts = []
    with tarfile.open(CORPUS, "r:xz") as tar:
        for m in tar:
            if m.isfile() and m.name.startswith("human/en/") and m.name.endswith(".txt"):
                texts.append(tar.extractfile(m).read().decode("utf-8"))
    out, cur = [], []
    for t in texts:
        for para in t.split("\n\n"):
            para = para.strip()
            if not para:
                continue
            cur.append(para)
            if sum(len(p) + 2 for p in cur) >= size:
                out.append("\n\n".join(cur) + "\n")
                cur = []
                if len(out) >= limit:
                    return out
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def in_process(docs: list[str], seconds: float) -> dict:
    from qa.project.project import Project, warm_up

    p = Project.from_options(no_config=True)
    warm_up(p)
    n, lat, t0 = 0, [], time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a = time.perf_counter()
        p.item_checker.check_content(docs[n % len(docs)], "bench", key="bench")
        lat.append(time.perf_counter() - a)
        n += 1
    el = time.perf_counter() - t0
    return {"articles_per_s": round(n / el, 1), "p50_ms": round(1000 * pct(lat, 50), 1),
            "p95_ms": round(1000 * pct(lat, 95), 1)}


def start(workers: int) -> tuple[subprocess.Popen, int]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", "0", "--no-config",
                             "--workers", str(workers)], stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                            start_new_session=True)
    line = proc.stderr.readline()
    while line and not line.startswith("copydesk serve: http://"):
        line = proc.stderr.readline()
    port = int(line.split()[2].rsplit(":", 1)[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                c.close()
                break
        except OSError:
            time.sleep(0.2)
    return proc, port


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def load(port: int, docs: list[str], clients: int, seconds: float) -> dict:
    bodies = [json.dumps({"text": d}).encode("utf-8") for d in docs]
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = k
        while time.perf_counter() < end:
            body = bodies[i % len(bodies)]
            i += clients
            a = time.perf_counter()
            try:
                conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200 and data.startswith(b'{"schema":"copydesk.check/1"')
            except (OSError, http.client.HTTPException) as e:
                ok, data = False, repr(e).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            dt = time.perf_counter() - a
            with lock:
                if ok:
                    lat.append(dt)
                else:
                    errors.append(data[:200].decode("utf-8", "replace"))
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    el = time.perf_counter() - t0
    return {"requests": len(lat), "errors": len(errors), "first_error": errors[0] if errors else None,
            "requests_per_s": round(len(lat) / el, 1), "p50_ms": round(1000 * pct(lat, 50), 1),
            "p95_ms": round(1000 * pct(lat, 95), 1), "p99_ms": round(1000 * pct(lat, 99), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, action="append", help="repeatable (default: 1 and 2)")
    ap.add_argument("--size", type=int, default=5000, help="article size in characters")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    docs = articles(args.size)
    mean = statistics.mean(len(d.encode("utf-8")) for d in docs)
    print(f"{len(docs)} articles of real English news, mean {mean:,.0f} bytes; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    # the machine is shared: the in-process baseline is measured right before and right after
    # each server run, and the server compared with their mean
    results = {"articles": len(docs), "mean_bytes": round(mean), "serve": []}
    for w in args.workers or [1, 2]:
        before = in_process(docs, min(args.duration, 20.0))
        proc, port = start(w)
        try:
            la0 = os.getloadavg()[0]
            r = load(port, docs, args.clients, args.duration)
            la1 = os.getloadavg()[0]
        finally:
            stop(proc)
        after = in_process(docs, min(args.duration, 20.0))
        base = round((before["articles_per_s"] + after["articles_per_s"]) / 2, 1)
        r.update(workers=w, clients=args.clients, duration_s=args.duration, load_avg_before=round(la0, 2),
                 load_avg_after=round(la1, 2), in_process_before=before, in_process_after=after,
                 vs_in_process=round(r["requests_per_s"] / base, 2))
        results["serve"].append(r)
        print(f"in-process check (one process, sequential): {before['articles_per_s']} articles/s before, "
              f"{after['articles_per_s']} after (p50 {before['p50_ms']}/{after['p50_ms']} ms)", flush=True)
        print(f"serve --workers {w}, {args.clients} clients, {args.duration:g} s: {r['requests_per_s']} req/s "
              f"({r['vs_in_process']:.0%} of in-process), p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
              f"p99 {r['p99_ms']} ms, {r['errors']} errors; load average {r['load_avg_before']} → "
              f"{r['load_avg_after']}", flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
