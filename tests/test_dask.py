"""The audit on a Dask cluster equals the local audit (skipped without Dask)."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from qa.project.project import Project  # noqa: E402
from qa.sources.items import expand as expand_inputs  # noqa: E402
from qa.cli.main import main  # noqa: E402
from qa.services.parallel import audit_bag, run_dask, run_local  # noqa: E402

GLOSSARY = """
[glossary]
name = "dask test"
format = 1

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
wrong.en = ["Kiev"]

[[term]]
id = "kharkiv"
kind = "place"
forms.en = "Kharkiv"
native.uk = "Харків"
native.ru = "Харьков"
"""

TEXTS = [
    "The delegation landed in Kiev late on Sunday.\n\nIn Kharkov the shelling went on.\n",
    "Nothing to report from Kyiv today; Kharkiv was quiet.\n",
    "Kiev, Kiev and again Kiev: the old spelling is everywhere.\n",
]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "g.toml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "news").mkdir()
    for i in range(12):
        (tmp_path / "news" / f"{i:02d}.txt").write_text(TEXTS[i % 3] * (1 + i % 2), encoding="utf-8")
    (tmp_path / "news" / "broken.txt").write_bytes(b"Kiev \xff")
    lines = [json.dumps({"id": f"r{i}", "text": t}) for i, t in enumerate(TEXTS)]
    (tmp_path / "news" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_dask_run_equals_local_run(cluster, corpus):
    specs = list(expand_inputs(["news"], id_field="id"))
    settings = Project.from_options(glossary=["g.toml"], select=["name"], no_config=True).settings
    settings = settings.replace(severity={"name/transliteration": "warning"})
    local = run_local(specs, settings, jobs=1)
    with distributed.Client(cluster) as client:
        remote = run_dask(specs, settings, client=client, npartitions=5)
        # the documented entry point for your own dask.bag pipelines
        import dask.bag as db

        bag = audit_bag(db.from_sequence(specs, npartitions=3), settings).compute()
    assert remote == local
    assert bag == local
    assert any(r.error for r in local) and sum(len(r.findings) for r in local) >= 15
    assert {str(f.severity) for r in local for f in r.findings} == {"error", "warning"}


def test_cli_dask_scheduler(cluster, corpus, capsys):
    argv = ["audit", "--no-config", "-g", "g.toml", "--select", "name", "--no-progress", "--format", "json", "news"]
    rc_local = main(argv + ["--jobs", "1"])
    local = json.loads(capsys.readouterr().out)
    rc_dask = main(argv + ["--dask-scheduler", cluster.scheduler_address])
    remote = json.loads(capsys.readouterr().out)
    assert rc_local == rc_dask == 2  # broken.txt
    assert remote["files"] == local["files"]
    assert remote["summary"]["backend"] == "dask"
    timing = ("elapsed_s", "items_per_s", "words_per_s", "jobs", "backend")
    assert {k: v for k, v in remote["summary"].items() if k not in timing} \
        == {k: v for k, v in local["summary"].items() if k not in timing}


def test_dask_workers_share_the_result_cache(cluster, corpus, monkeypatch):
    """Dask workers (threads here) read and write the result cache: a second run is
    answered from it and equals the local audit."""
    monkeypatch.setenv("COPYDESK_RESULT_CACHE_DIR", str(corpus / "results"))
    monkeypatch.delenv("COPYDESK_NO_CACHE", raising=False)
    specs = list(expand_inputs(["news"], id_field="id"))
    settings = Project.from_options(glossary=["g.toml"], select=["name"], no_config=True).settings
    local = run_local(specs, settings, jobs=1)
    with distributed.Client(cluster) as client:
        first = run_dask(specs, settings, client=client, npartitions=5, use_cache=True)
        entries = sorted(p.name for p in (corpus / "results").rglob("*.json"))
        second = run_dask(specs, settings, client=client, npartitions=5, use_cache=True)
    assert len(entries) == len(specs) - 1  # every item but the undecodable one
    assert sorted(p.name for p in (corpus / "results").rglob("*.json")) == entries
    view = lambda rs: [r.to_json() for r in rs]  # noqa: E731
    assert view(first) == view(local) == view(second)
