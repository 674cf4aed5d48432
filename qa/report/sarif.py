"""SARIF 2.1.0 output for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

One result per finding with its rule, level (error, warning, note), message and
a physical location (URI relative to the working directory, region with line
and column in code points, as ``copydesk.check/1``), a partial fingerprint (the
baseline fingerprint) and, where the finding has one, the fix. Items that
could not be checked become tool execution notifications.
"""
from __future__ import annotations

from typing import Sequence

from qa import __version__
from qa.sources.items import HTML_SUFFIXES, stable_key

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(stable_key(path), safe="/:")


def to_sarif(results: Sequence[dict], summary: dict | None = None) -> dict:
    from qa.engine.registry import RULES
    from qa.rules import load_builtin_rules

    load_builtin_rules()
    rule_ids = sorted(RULES)
    rule_index = {r: i for i, r in enumerate(rule_ids)}
    rules = []
    for rid in rule_ids:
        r = RULES[rid]
        rules.append({
            "id": rid,
            "name": rid.replace("/", "-"),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.explanation or r.summary},
            "help": {"text": r.explanation or r.summary},
            "defaultConfiguration": {"level": LEVEL[str(r.severity)]},
            "properties": {"tags": [r.family]},
        })
    out_results = []
    for item in results:
        for f in item["findings"]:
            region = {"startLine": max(f["line"], 1), "startColumn": max(f["column"], 1),
                      "endLine": max(f.get("end_line", f["line"]), 1),
                      "endColumn": max(f.get("end_column", f["column"]), 1),
                      "charOffset": f["start"], "charLength": f["end"] - f["start"],
                      "snippet": {"text": f["text"]}}
            loc = {"physicalLocation": {"artifactLocation": {"uri": _uri(item["path"]), "uriBaseId": "%SRCROOT%"},
                                        "region": region}}
            if item["item"] != item["path"]:
                loc["logicalLocations"] = [{"name": item["item"], "kind": "object"}]
            res = {
                "ruleId": f["rule"],
                "level": LEVEL.get(f["severity"], "note"),
                "message": {"text": f["message"]},
                "locations": [loc],
                "partialFingerprints": {"copydesk/v1": f["fingerprint"]},
            }
            if f["rule"] in rule_index:
                res["ruleIndex"] = rule_index[f["rule"]]
            props = {}
            if f.get("term"):
                props["term"] = f["term"]
            if item["item"] != item["path"]:
                props["item"] = item["item"]
            if props:
                res["properties"] = props
            fix = f.get("fix")
            if fix and fix.get("replacement") is not None and item["item"] == item["path"] \
                    and not item["path"].lower().endswith(HTML_SUFFIXES):
                res["fixes"] = [{
                    "description": {"text": f"Replace with {fix['replacement']!r} ({fix['applicability']})"},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": _uri(item["path"]), "uriBaseId": "%SRCROOT%"},
                        "replacements": [{"deletedRegion": {"startLine": region["startLine"],
                                                            "startColumn": region["startColumn"],
                                                            "endLine": region["endLine"],
                                                            "endColumn": region["endColumn"]},
                                          "insertedContent": {"text": fix["replacement"]}}],
                    }],
                }]
            out_results.append(res)
    notes = [{"level": "error", "message": {"text": f"{r['item']}: {r['error']}"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r["path"]), "uriBaseId": "%SRCROOT%"}}}]}
             for r in results if r["error"]]
    invocation = {"executionSuccessful": not notes, "toolExecutionNotifications": notes}
    run = {
        "tool": {"driver": {"name": "copydesk", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": out_results,
    }
    if summary is not None:
        run["properties"] = {"summary": summary}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
