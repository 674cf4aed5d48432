"""`copydesk serve`: the HTTP API through Starlette's TestClient (no socket).

The live server (a real `copydesk serve` process on a free loopback port) is
tested in test_server_live.py: schemathesis, the LanguageTool client, limits.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bilingual_formats import BUILDERS
from qa.project.project import Project
from qa.server.app import create_app
from qa.server.core import Core

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token-0123456789"


@pytest.fixture(scope="module")
def core() -> Core:
    c = Core(Project.from_options(no_config=True))
    c.warm()
    return c


@pytest.fixture(scope="module")
def client(core) -> TestClient:
    return TestClient(create_app(core, allowed_hosts=["testserver"]))


EN = ("Ukrainian Foreign Minister Koeleba said on Tuesday that Poetin has no right to make demands.\n\n"
      "The the talks went on in Lugansk.\n")
CLEAN = {"en": "Ukrainian Foreign Minister Dmytro Kuleba met Antony Blinken in Kyiv on Tuesday.\n",
         "nl": "De Oekraïense minister Dmytro Koeleba sprak dinsdag in Kyiv met Antony Blinken.\n",
         "de": "Der ukrainische Außenminister Dmytro Kuleba traf am Dienstag in Berlin Antony Blinken.\n"}


# ----------------------------------------------------------------------------- /v1
def test_check_gives_the_cli_json_contract(client, tmp_path):
    """One schema for CLI and service: the same findings as `copydesk check --format json`."""
    r = client.post("/v1/check", json={"text": EN, "name": "a.txt"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == "copydesk.check/1"
    (f,) = doc["files"]
    assert f["path"] == "a.txt" and f["language"] == "en" and f["error"] is None
    p = tmp_path / "a.txt"
    p.write_text(EN, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "qa", "check", str(p), "--format", "json", "--no-config"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert cli.returncode == 1, cli.stderr
    want = json.loads(cli.stdout)["files"][0]["findings"]
    strip = lambda fs: [{k: v for k, v in x.items() if k != "fingerprint"} for x in fs]  # noqa: E731
    assert strip(f["findings"]) == strip(want)
    rules = {x["rule"] for x in f["findings"]}
    assert {"name/transliteration", "article/doubled-word"} <= rules


@pytest.mark.parametrize("lang", sorted(CLEAN))
def test_clean_copy_has_no_findings(client, lang):
    r = client.post("/v1/check", json={"text": CLEAN[lang], "lang": lang})
    assert r.status_code == 200
    assert r.json()["files"][0]["findings"] == []


def test_dutch_and_german_targets(client):
    nl = client.post("/v1/check", json={"text": "Minister Kuleba sprak met Poetin.\n", "lang": "nl"}).json()
    assert [(f["text"], f["fix"]["replacement"]) for f in nl["files"][0]["findings"]] == [("Kuleba", "Koeleba")]
    de = client.post("/v1/check", json={"text": "Der Minister Koeleba sprach mit Putin.\n", "lang": "de"}).json()
    assert [(f["text"], f["fix"]["replacement"]) for f in de["files"][0]["findings"]] == [("Koeleba", "Kuleba")]


def test_rule_selection(client):
    only = client.post("/v1/check", json={"text": EN, "select": ["article"]}).json()["files"][0]["findings"]
    assert {f["rule"] for f in only} == {"article/doubled-word"}
    rest = client.post("/v1/check", json={"text": EN, "ignore": ["name"]}).json()["files"][0]["findings"]
    assert not any(f["rule"].startswith("name/") for f in rest)


def test_fix_returns_the_fixed_text(client):
    r = client.post("/v1/fix", json={"text": EN})
    (f,) = r.json()["files"]
    assert f["fixed"]["text"] == EN.replace("Koeleba", "Kuleba").replace("Poetin", "Putin") \
        .replace("The the", "The").replace("Lugansk", "Luhansk")
    assert f["fixed"]["applied"] == 4 and f["fixed"]["left"] == 0
    assert "fixed" not in client.post("/v1/check", json={"text": EN}).json()["files"][0]


def test_source_text(client):
    src = "De Oekraïense minister Dmytro Koeleba zei dat 13.000 mensen de stad verlieten.\n"
    tgt = "The Ukrainian minister said that 3,000 people left the city.\n"
    f = client.post("/v1/check", json={"text": tgt, "source": src, "source_lang": "nl"}).json()["files"][0]
    assert f["source"]["language"] == "nl"
    assert {"name/missing", "language/number-mismatch"} <= {x["rule"] for x in f["findings"]}


@pytest.mark.parametrize("fmt,ext", [("xliff", "xlf"), ("xliff", "xliff"), ("tmx", "tmx"), ("po", "po")])
def test_bilingual_content_is_checked_and_fixed_from_memory(client, fmt, ext):
    pairs = [("Minister Dmytro Koeleba sprak met Poetin.", "Minister Dmytro Koeleba spoke with Putin."),
             ("Het weer was goed.", "The weather was good.")]
    content = BUILDERS[ext](pairs)
    r = client.post("/v1/fix", json={"text": content, "format": fmt, "name": "article." + ext})
    assert r.status_code == 200, r.text
    (f,) = r.json()["files"]
    assert [x["text"] for x in f["findings"]] == ["Koeleba"]
    assert f["findings"][0]["data"]["unit"]
    fixed = f["fixed"]["text"]
    i = content.rindex("Koeleba")  # the target's (the source comes first)
    assert fixed == content[:i] + "Kuleba" + content[i + len("Koeleba"):]
    assert not (Path.cwd() / ("article." + ext)).exists()


def test_bilingual_check_gives_the_cli_json(client, tmp_path):
    pairs = [("Minister Dmytro Koeleba sprak met Poetin.", "Minister Dmytro Koeleba spoke with Putin."),
             ("Er waren 13.000 mensen.", "There were 3,000 people.")]
    content = BUILDERS["xlf"](pairs)
    (tmp_path / "a.xlf").write_text(content, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "qa", "check", "a.xlf", "--format", "json", "--no-config"],
                         capture_output=True, text=True, cwd=tmp_path)
    want = json.loads(cli.stdout)["files"][0]
    got = client.post("/v1/check", json={"text": content, "format": "xliff", "name": "a.xlf"}).json()["files"][0]
    strip = lambda fs: [{k: v for k, v in x.items() if k != "fingerprint"} for x in fs]  # noqa: E731
    assert strip(got.pop("findings")) == strip(want.pop("findings")) != []
    assert got == want


def test_bad_bilingual_content_is_one_line_422(client):
    r = client.post("/v1/check", json={"text": "<xliff version='1.2'><file>", "format": "xliff"})
    assert r.status_code == 422
    assert "\n" not in r.json()["error"] and "XLF" in r.json()["error"]


@pytest.mark.parametrize("body,needle", [
    ({"text": 3}, "text"),
    ({"txt": "x"}, "text"),
    ({"text": "x", "lang": "zz"}, "unknown language code"),
    ({"text": "x", "select": ["nope"]}, "unknown rule"),
    ({"text": "x", "format": "docx"}, "format"),
    ({"text": "x", "source": "y", "format": "po"}, "source"),
    ({"text": "x\ud800"}, "surrogate"),
])
def test_malformed_requests_get_one_line_422(client, body, needle):
    r = client.post("/v1/check", content=json.dumps(body), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert needle in err and "\n" not in err and "Traceback" not in err


def test_broken_json_is_422(client):
    r = client.post("/v1/check", content=b'{"text": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "not valid JSON" in r.json()["error"]


def test_rules_and_rule_docs(client):
    rules = client.get("/v1/rules").json()
    assert {"name/near-miss", "encoding/mojibake"} <= {r["id"] for r in rules}
    doc = client.get("/v1/rules/name/near-miss").json()
    assert doc["id"] == "name/near-miss" and doc["examples"]
    assert client.get("/v1/rules/near-miss").json()["id"] == "name/near-miss"
    r = client.get("/v1/rules/no/such-rule")
    assert r.status_code == 404 and "unknown rule" in r.json()["error"]


def test_glossary_lookup(client):
    terms = client.get("/v1/glossary/terms", params={"q": "koeleba"}).json()["terms"]
    assert terms[0]["id"] == "dmytro-kuleba" and terms[0]["preferred"] == "Dmytro Kuleba"
    assert "Дмитро Кулеба" in terms[0]["native"]["uk"]
    nl = client.get("/v1/glossary/terms", params={"q": "KULEBA", "lang": "nl"}).json()["terms"]
    assert nl[0]["preferred"] == "Dmytro Koeleba"
    assert "path" not in terms[0]  # where the server's files are is not the desk's business
    assert client.get("/v1/glossary/terms", params={"q": "zzzqqq"}).json()["terms"] == []
    assert client.get("/v1/glossary/terms", params={"limit": 0}).status_code == 422


def test_health_and_metrics(core):
    c = TestClient(create_app(core, allowed_hosts=["testserver"]))
    assert c.get("/health").json()["status"] == "ok"
    c.post("/v1/check", json={"text": EN})
    c.post("/v1/check", json={"text": 1})
    m = c.get("/metrics")
    assert m.status_code == 200 and m.headers["content-type"].startswith("text/plain")
    body = m.text
    assert 'copydesk_http_requests_total{method="POST",route="/v1/check",status="200"} 1.0' in body
    assert 'copydesk_http_requests_total{method="POST",route="/v1/check",status="422"} 1.0' in body
    assert 'copydesk_findings_total{rule="name/transliteration"} 3.0' in body
    assert 'copydesk_http_request_duration_seconds_bucket{le="+Inf",route="/v1/check"} 2.0' in body


# ----------------------------------------------------------------------------- security
def test_bearer_token(core):
    c = TestClient(create_app(core, token=TOKEN, allowed_hosts=None))
    assert c.get("/health").status_code == 200  # open, tells nothing
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        r = c.post("/v1/check", json={"text": EN}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert c.get("/metrics").status_code == 401
    ok = c.post("/v1/check", json={"text": EN}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200


def test_host_header_is_checked_on_loopback(core):
    c = TestClient(create_app(core, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1:8000")
    assert c.get("/health").status_code == 200
    assert c.get("/health", headers={"host": "localhost:8000"}).status_code == 200
    assert c.get("/health", headers={"host": "attacker.example:8000"}).status_code == 400


def test_body_limit(core):
    c = TestClient(create_app(core, max_body=1000, allowed_hosts=None))
    big = json.dumps({"text": "word " * 400})
    r = c.post("/v1/check", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit of 1,000 bytes" in r.json()["error"]

    def chunks():  # no Content-Length: the limit holds for a streamed body too
        for i in range(0, len(big), 100):
            yield big[i:i + 100].encode()

    r = c.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    small = json.dumps({"text": "word " * 100})
    assert c.post("/v1/check", content=small, headers={"content-type": "application/json"}).status_code == 200


def test_time_limit_gives_503(core):
    c = TestClient(create_app(core, time_limit=0.001, allowed_hosts=None))
    r = c.post("/v1/check", json={"text": EN * 800})  # over 64 KB: checked in the pool, under the limit
    assert r.status_code == 503
    assert "time limit" in r.json()["error"] and r.headers["retry-after"]
    assert c.get("/health").status_code == 200
    r = c.post("/v2/check", data={"text": EN * 800, "language": "en"})
    assert r.status_code == 503


def test_no_path_from_a_request_reaches_the_file_system(client, tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("Koeleba\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in (str(secret), "secret.txt", "../secret.txt"):
        f = client.post("/v1/check", json={"text": "Nothing here.\n", "name": name}).json()["files"][0]
        assert f["findings"] == [] and f["path"] == name  # a label: the file is not read
        f = client.post("/v1/fix", json={"text": "Koeleba said.\n", "name": name}).json()["files"][0]
        assert f["fixed"]["text"] == "Kuleba said.\n"
    assert secret.read_text(encoding="utf-8") == "Koeleba\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.txt"]


# ----------------------------------------------------------------------------- /v2: LanguageTool
def test_languagetool_check_shape(client):
    text = "Ukrainian Foreign Minister Koeleba met Poetin."
    r = client.post("/v2/check", data={"text": text, "language": "en-US"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["software"]["name"] == "copydesk" and doc["language"]["code"] == "en"
    m = doc["matches"][0]
    assert text[m["offset"]:m["offset"] + m["length"]] == "Koeleba"
    assert [x["value"] for x in m["replacements"]] == ["Kuleba"]
    assert m["rule"]["id"] == "name/transliteration" and m["rule"]["category"]["id"] == "NAME"
    assert m["rule"]["issueType"] == "misspelling" and m["rule"]["description"]
    assert m["message"] and m["shortMessage"]
    ctx = m["context"]
    assert ctx["text"][ctx["offset"]:ctx["offset"] + ctx["length"]] == "Koeleba"
    assert m["sentence"] == text


def test_languagetool_offsets_count_utf16_units(client):
    text = "Fans 😀😀 cheered as Poetin arrived."
    m = client.post("/v2/check", data={"text": text, "language": "en"}).json()["matches"][0]
    utf16 = text.encode("utf-16-le")
    assert utf16[2 * m["offset"]:2 * (m["offset"] + m["length"])].decode("utf-16-le") == "Poetin"
    assert m["offset"] == text.index("Poetin") + 2


def test_languagetool_annotated_data(client):
    data = {"annotation": [{"markup": "<p>"}, {"text": "Minister "}, {"markup": "<b>"}, {"text": "Koeleba"},
                           {"markup": "</b>"}, {"text": " spoke."}, {"markup": "</p>", "interpretAs": "\n\n"}]}
    original = "".join(a.get("text", a.get("markup")) for a in data["annotation"])
    m = client.post("/v2/check", data={"data": json.dumps(data), "language": "en-GB"}).json()["matches"]
    assert [original[x["offset"]:x["offset"] + x["length"]] for x in m] == ["Koeleba"]


def test_languagetool_rule_parameters(client):
    text = "Minister Koeleba said the the talks went on."
    ids = lambda d: [m["rule"]["id"] for m in client.post("/v2/check", data=d).json()["matches"]]  # noqa: E731
    assert ids({"text": text, "language": "en-US"}) == ["name/transliteration", "article/doubled-word"]
    # a client's own LanguageTool rule ids are ignored, ours are honoured
    assert ids({"text": text, "language": "en-US", "disabledRules": "WHITESPACE_RULE,article/doubled-word"}) \
        == ["name/transliteration"]
    assert ids({"text": text, "language": "en-US", "disabledCategories": "NAME,TYPOS"}) == ["article/doubled-word"]
    assert ids({"text": text, "language": "en-US", "enabledOnly": "true",
                "enabledRules": "article/doubled-word"}) == ["article/doubled-word"]
    assert ids({"text": text, "language": "en-US", "enabledOnly": "true", "enabledRules": "UPPERCASE_RULE"}) == []


@pytest.mark.parametrize("data,needle", [
    ({"language": "en-US"}, "missing 'text' or 'data'"),
    ({"text": "x"}, "missing 'language'"),
    ({"text": "x", "language": "english please"}, "not a language code"),
    ({"text": "x", "language": "xx-YY"}, "unknown language code"),
    ({"data": "{not json", "language": "en"}, "'data' is not JSON"),
    ({"data": '{"annotation": [{"foo": 1}]}', "language": "en"}, "needs 'text' or 'markup'"),
])
def test_languagetool_errors_are_plain_text_400(client, data, needle):
    r = client.post("/v2/check", data=data)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("Error: ") and needle in r.text and "\n" not in r.text


def test_languagetool_languages_and_auto(client):
    langs = client.get("/v2/languages").json()
    codes = {x["longCode"] for x in langs}
    assert {"en", "en-US", "nl", "de-DE"} <= codes
    assert all(set(x) == {"name", "code", "longCode"} for x in langs)
    nl = ("Minister Kuleba sprak dinsdag met Poetin. De onderhandelingen met de Europese Unie worden volgende "
          "week voortgezet, en volgens de minister is er nog veel werk te doen.\n")
    doc = client.post("/v2/check", data={"text": nl, "language": "auto"}).json()
    assert doc["language"]["code"] == "nl"
    assert [m["replacements"][0]["value"] for m in doc["matches"]] == ["Koeleba"]


def test_openapi_document_lists_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/fix", "/v1/rules", "/v1/rules/{rule}", "/v1/glossary/terms", "/health", "/metrics",
            "/v2/check", "/v2/languages"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 404  # no page that pulls scripts from a CDN
    lt_form = spec["paths"]["/v2/check"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in lt_form


def test_serve_in_help_and_usage_errors(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "qa", *a], capture_output=True, text=True,  # noqa: E731
                                    cwd=tmp_path, timeout=60)
    assert "serve" in run("--help").stdout
    r = run("serve", "--host", "0.0.0.0", "--no-config")
    assert r.returncode == 2 and "--token-file" in r.stderr
    short = tmp_path / "tok"
    short.write_text("abc\n")
    r = run("serve", "--host", "0.0.0.0", "--token-file", str(short), "--no-config")
    assert r.returncode == 2 and "at least 16 characters" in r.stderr
    r = run("serve", "--token-file", str(tmp_path / "missing"), "--no-config")
    assert r.returncode == 2 and "cannot read" in r.stderr
    assert "Traceback" not in r.stderr


def test_an_internal_error_is_one_line_500_and_the_server_goes_on(core, monkeypatch, caplog):
    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(core, "glossary_terms", boom)
    c = TestClient(create_app(core, allowed_hosts=None), raise_server_exceptions=False)
    r = c.get("/v1/glossary/terms", params={"q": "x"})
    assert r.status_code == 500
    assert r.json() == {"error": "internal error: RuntimeError: boom (please report this)"}
    assert "Traceback" not in caplog.text and "RuntimeError: boom" in caplog.text
    assert c.get("/health").status_code == 200
