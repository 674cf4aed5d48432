"""Benchmark the encoding rules: their own throughput, and what they add to a full check.

    python benchmarks/make_data.py             # once (see docs/benchmarks.md)
    python benchmarks/bench_encoding.py        # ~1-2 min on 2 cores
    python benchmarks/bench_encoding.py --mb 2 # a slice

Over benchmarks/data/corpus (the development articles with mojibake, untranslated
paragraphs and names, 10.9 MB) with the shipped glossaries, in-process, CPU time
(time.process_time; the machine is shared), best of --repeat passes:

- `check_encoding` alone (ftfy + copydesk's own repairs, control characters, entities),
  and copydesk's own `find_mojibake` alone (the rule before ftfy was used);
- a full check (all rules) and the same with `--ignore encoding`: the encoding
  rules' share of a full check.

Prints a report and writes benchmarks/out/encoding.json. Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def best(fn, texts, repeat):
    from qa.text.encoding_repair import _fix

    times = []
    for _ in range(repeat):
        _fix.cache_clear()  # ftfy's results are cached per line: every pass starts cold
        t0 = time.process_time()
        for t in texts:
            fn(t)
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(HERE / "data"))
    ap.add_argument("--mb", type=float, default=None, help="use only the first N MB of the corpus")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--out", default=str(HERE / "out"))
    args = ap.parse_args()
    files = sorted((Path(args.data) / "corpus").glob("*.txt"))
    if not files:
        raise SystemExit(f"no corpus in {args.data}/corpus: run benchmarks/make_data.py first")
    texts, total = [], 0
    for f in files:
        if args.mb is not None and total >= args.mb * 1e6:
            break
        texts.append(f.read_text(encoding="utf-8"))
        total += len(texts[-1].encode("utf-8"))
    mb = total / 1e6

    from qa.project.project import Project
    from qa.engine.document import Document
    from qa.text.mojibake import find_mojibake
    from qa.rules.encoding import check_encoding

    def checker(select=None, ignore=None):
        c = Project.from_options(glossary=None, lang="en", select=select, ignore=ignore, no_config=True)
        c.check_text("Officials in Kyiv said on Tuesday that talks would resume.\n")  # warm-up
        return c

    docs = [Document(t) for t in texts]
    for d in docs:
        _ = d.paragraphs
    list(check_encoding(docs[0]))  # warm-up (ftfy, wordfreq)
    n_find = sum(1 for d in docs for f in check_encoding(d))
    res = dict(mb=mb, files=len(texts), encoding_findings=n_find)
    res["encoding_rule_s"] = best(lambda d: list(check_encoding(d)), docs, args.repeat)
    res["own_find_mojibake_s"] = best(lambda d: find_mojibake(d.text, [(p.start, p.end) for p in d.paragraphs]),
                                      docs, args.repeat)
    full, without = checker(), checker(ignore=["encoding"])
    a = b = float("inf")
    for _ in range(args.repeat):  # interleaved, so that a change of machine load hits both alike
        a = min(a, best(full.check_text, texts, 1))
        b = min(b, best(without.check_text, texts, 1))
    res["full_check_s"], res["full_check_without_encoding_s"] = a, b
    res["encoding_share_of_full_check"] = (res["full_check_s"] - res["full_check_without_encoding_s"]) \
        / res["full_check_without_encoding_s"]
    for k in ("encoding_rule", "own_find_mojibake", "full_check", "full_check_without_encoding"):
        res[k + "_mb_s"] = mb / res[k + "_s"]
    print(f"corpus: {mb:.1f} MB in {len(texts)} files, {n_find} encoding findings")
    print(f"encoding rules alone:          {res['encoding_rule_mb_s']:6.1f} MB/s ({res['encoding_rule_s']:.2f} s CPU)")
    print(f"  copydesk's find_mojibake:    {res['own_find_mojibake_mb_s']:6.1f} MB/s")
    print(f"full check, all rules:         {res['full_check_mb_s']:6.2f} MB/s ({res['full_check_s']:.2f} s CPU)")
    print(f"full check, --ignore encoding: {res['full_check_without_encoding_mb_s']:6.2f} MB/s "
          f"({res['full_check_without_encoding_s']:.2f} s CPU)")
    print(f"the encoding rules add {100 * res['encoding_share_of_full_check']:.1f} % to a full check")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "encoding.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
