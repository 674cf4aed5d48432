"""Dutch and German articles of our own (tests/synthetic_nl_de.py) with
injected errors, checked through the Project front door and scored the way
../shared/eval-dev/score.py scores: recall and fix accuracy per category and
language, and precision over all error/warning findings (corrupted and clean
articles together)."""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

from qa.project.project import Project

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_nl_de import build  # noqa: E402

FLAGS = {"error", "warning"}
N = 60  # articles per category and language


def _fixed(text: str, findings) -> str:
    """``text`` with the fixes of ``findings`` applied (each fix's own edits)."""
    edits = sorted((e for f in findings for e in f.fix.edits), key=lambda e: e.start)
    out, pos = [], 0
    for e in edits:
        if e.start < pos:
            continue
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _norm(s: str) -> str:
    return s.replace("’", "'")


def score(lang: str, n: int = N, seed: int = 7):
    clean, corrupt = build(lang, n, seed)
    checker = Project.from_options(lang=lang, no_config=True).item_checker
    per = defaultdict(lambda: [0, 0, 0])  # labels, detected, fixed
    tp = fp = 0
    misses, false_alarms = [], []
    for text, clean_text, labels in corrupt:
        finds = [f for f in checker.check_content(text)[0] if f.severity.value in FLAGS]
        hit = [False] * len(finds)
        for lab in labels:
            cat = lab["cat"].split(":")[0]
            per[cat][0] += 1
            ov = [i for i, f in enumerate(finds) if f.start < lab["end"] and f.end > lab["start"]]
            if cat == "foreign":
                span = lab["end"] - lab["start"]
                ov = [i for i in ov if min(finds[i].end, lab["end"]) - max(finds[i].start, lab["start"]) >= span / 2]
            for i in ov:
                hit[i] = True
            if not ov:
                misses.append((lang, lab["cat"], lab["text"], lab["expect"]))
                continue
            per[cat][1] += 1
            if lab["expect"] is None:
                per[cat][2] += 1
                continue
            want = _norm(text[:lab["start"]] + lab["expect"] + text[lab["end"]:])
            ok = any(finds[i].fix and _norm(_fixed(text, [finds[i]])) == want for i in ov)
            if not ok and cat == "mojibake":
                ps, pe = lab["par_start"], lab["par_end"]
                inpar = [f for f in finds if f.fix and f.start >= ps and f.end <= pe]
                ok = _fixed(text, inpar)[ps:ps + len(lab["par_expect"])] == lab["par_expect"] \
                    and _fixed(text, inpar)[:ps] == text[:ps]
            if not ok:
                misses.append((lang, lab["cat"] + " (fix)", lab["text"], lab["expect"],
                               [(finds[i].text, finds[i].replacement) for i in ov]))
            per[cat][2] += ok
        tp += sum(hit)
        for i, h in enumerate(hit):
            if not h:
                fp += 1
                false_alarms.append((lang, finds[i].rule, finds[i].text, finds[i].replacement))
    for text in clean:
        for f in checker.check_content(text)[0]:
            if f.severity.value in FLAGS:
                fp += 1
                false_alarms.append((lang, "clean " + f.rule, f.text, f.replacement))
    precision = tp / (tp + fp) if tp + fp else 0.0
    return per, precision, misses, false_alarms


@pytest.fixture(scope="module", params=["nl", "de"])
def scored(request):
    return request.param, score(request.param)


def test_generator_is_deterministic_and_labels_match():
    a = build("de", 3)
    assert a == build("de", 3)
    clean, corrupt = a
    cats = {lab["cat"].split(":")[0] for _t, _c, labs in corrupt for lab in labs}
    assert cats == {"translit", "typo", "possessive", "translit+poss", "mojibake", "foreign"}
    for text, clean_text, labels in corrupt:
        assert text != clean_text and labels
        for lab in labels:
            assert text[lab["start"]:lab["end"]] == lab["text"]
            if lab["cat"] in ("translit", "typo", "possessive", "translit+poss"):  # one span away from the clean text
                assert text[:lab["start"]] + lab["expect"] + text[lab["end"]:] == clean_text


def test_recall_and_fix_accuracy_per_category(scored):
    lang, (per, _precision, misses, _fa) = scored
    for cat, (n, det, fixed) in per.items():
        assert det / n >= 0.98, (lang, cat, det, n, misses)
        assert fixed / n >= 0.98, (lang, cat, fixed, n, misses)
    assert set(per) == {"translit", "typo", "possessive", "translit+poss", "mojibake", "foreign"}


def test_precision(scored):
    lang, (_per, precision, _misses, false_alarms) = scored
    assert precision >= 0.98, (lang, precision, false_alarms)
