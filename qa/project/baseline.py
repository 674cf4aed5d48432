"""Baselines: adopt the audit on an archive that already has findings.

``--write-baseline FILE`` records every current finding's fingerprint
(:func:`qa.project.checking.fingerprint`: item, rule, term, flagged text and up to three
words either side -- no line numbers, so edits elsewhere in the item keep it);
``--baseline FILE`` then drops as many findings of each fingerprint as the
baseline holds and reports the rest, the new ones.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Sequence

from qa.model.results import ItemResult

SCHEMA = "copydesk.baseline/1"


class BaselineError(Exception):
    pass


def baseline_json(results: Sequence[ItemResult]) -> dict:
    entries = []
    for r in results:
        for f in r.findings:
            entries.append({"fingerprint": f.fingerprint, "item": r.item, "rule": f.rule,
                            "term": f.term, "text": f.text, "line": f.line})
    return {"schema": SCHEMA, "count": len(entries), "findings": entries}


def write_baseline(path: str | Path, results: Sequence[ItemResult]) -> int:
    data = baseline_json(results)
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data["count"]


def load_baseline(path: str | Path) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BaselineError(f"{path}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"{path}:{e.lineno}: not JSON ({e.msg})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a {SCHEMA} baseline (write one with --write-baseline)")
    out: Counter = Counter()
    for e in data["findings"]:
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str):
            raise BaselineError(f"{path}: a baseline entry without a fingerprint")
        out[e["fingerprint"]] += 1
    return out


def apply_baseline(results: Sequence[ItemResult], known: Counter) -> int:
    """Drop known findings from ``results`` (in place); the number dropped."""
    left = Counter(known)
    dropped = 0
    for r in results:
        keep = []
        for f in r.findings:
            fp = f.fingerprint
            if left[fp] > 0:
                left[fp] -= 1
                dropped += 1
            else:
                keep.append(f)
        r.findings = keep
    return dropped
