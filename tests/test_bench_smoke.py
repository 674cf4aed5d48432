"""The benchmark's in-process workers still run against the current API (the
benchmark is a report, not a test: this only keeps it from rotting)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("copydesk_bench", ROOT / "benchmarks" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_scan_and_load_workers_run(tmp_path, monkeypatch):
    bench = _bench()
    g = tmp_path / "g.toml"
    g.write_text('[glossary]\nname = "t"\nformat = 1\n\n[[term]]\nid = "kyiv"\nkind = "place"\n'
                 'forms.en = "Kyiv"\nwrong.en = ["Kiev"]\n', encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("Officials in Kiev said so.\n" * 50, encoding="utf-8")
    lst = tmp_path / "list.txt"
    lst.write_text(str(art) + "\n", encoding="utf-8")
    # in a fresh process, as the benchmark runs them (nothing registered beforehand)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    r = bench.in_child("scan", str(g), str(tmp_path / "cache"), str(lst))
    assert "error" not in r, r.get("error")
    assert r["bytes"] == art.stat().st_size and r["cpu_s"] >= 0
    r = bench.in_child("load", str(g), str(tmp_path / "cache"))
    assert "error" not in r and r["terms"] == 1
