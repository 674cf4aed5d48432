"""``copydesk score``: MT quality of articles against reference translations.

Corpus BLEU, chrF and TER come from sacrebleu (with its signatures), on the
articles' lines as segments, exactly as ``sacrebleu REF -i HYP`` scores the
same files. *Name accuracy* is our own: of the glossary names in the
reference, the share the hypothesis spells in an accepted form of the target
language, counted per segment (line); the wrong spellings copydesk flags in
the hypothesis are listed per term.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = "copydesk.score/1"
SUFFIXES = (".txt", ".md")


class ScoreError(Exception):
    """Bad input for ``copydesk score`` (one line, exit 2)."""


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScoreError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise ScoreError(f"{path}: not valid UTF-8 (offset {e.start})") from None
    except OSError as e:
        raise ScoreError(f"{path}: cannot read: {e.strerror or e}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # as sacrebleu reads a file: one segment per line, the line end stripped
    return [ln.rstrip("\r") for ln in text.split("\n")][: -1 if text.endswith("\n") else None]


def _files(root: Path) -> dict[str, Path]:
    if root.is_dir():
        return {str(p.relative_to(root)): p for p in sorted(root.rglob("*"))
                if p.is_file() and p.suffix in SUFFIXES and ".copydesk" not in p.parts}
    if not root.exists():
        raise ScoreError(f"{root}: no such file or directory")
    return {root.name: root}


def pair_inputs(hyp: str, refs: list[str]) -> list[tuple[str, Path, list[Path]]]:
    """(relative name, hypothesis file, reference files) for each article, paired by relative path."""
    hp = Path(hyp)
    hfiles = _files(hp)
    if not hfiles:
        raise ScoreError(f"{hyp}: no .txt or .md articles")
    rsets = []
    for r in refs:
        rp = Path(r)
        if hp.is_dir() != rp.is_dir():
            raise ScoreError(f"{r}: hypothesis and reference must both be files or both folders")
        rsets.append(_files(rp))
    out = []
    for name, path in hfiles.items():
        rs = []
        for r, rf in zip(refs, rsets):
            got = rf.get(name) if hp.is_dir() else next(iter(rf.values()))
            if got is None:
                raise ScoreError(f"{name}: no reference in {r}")
            rs.append(got)
        out.append((name, path, rs))
    return out


@dataclass
class TermStats:
    id: str
    preferred: str
    in_ref: int = 0
    correct: int = 0
    wrong: dict[str, int] = field(default_factory=dict)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.in_ref if self.in_ref else None


class NameCounter:
    """Counts the glossary names of one language in a text (accepted forms,
    and the surname alone for persons; the longest match wins)."""

    def __init__(self, glossary, lang: str):
        self.lang = lang
        self.terms = {}
        by_form: dict[str, str] = {}
        for t in glossary.terms:
            forms = t.forms.get(lang)
            if not forms:
                continue
            self.terms[t.id] = t
            for f in forms:
                by_form.setdefault(f.casefold(), t.id)
        for t in self.terms.values():  # surnames second: a full name of another term wins
            if t.kind == "person":
                for f in t.forms[lang]:
                    parts = f.split()
                    if len(parts) > 1:
                        by_form.setdefault(parts[-1].casefold(), t.id)
        self.by_form = by_form
        alts = sorted(by_form, key=len, reverse=True)
        self.rx = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)",
                             re.IGNORECASE) if alts else None

    def count(self, text: str) -> dict[str, int]:
        out: dict[str, int] = {}
        if self.rx is None:
            return out
        for m in self.rx.finditer(text):
            tid = self.by_form.get(m.group(0).casefold())
            if tid is not None:
                out[tid] = out.get(tid, 0) + 1
        return out


def score(hyp: str, refs: list[str], glossary=None, lang: str = "en", checker=None) -> dict:
    """The report of ``copydesk score`` as a dict (schema ``copydesk.score/1``)."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    pairs = pair_inputs(hyp, refs)
    hyps: list[str] = []
    ref_streams: list[list[str]] = [[] for _ in refs]
    counter = NameCounter(glossary, lang) if glossary is not None else None
    stats: dict[str, TermStats] = {}
    articles = []
    for name, hpath, rpaths in pairs:
        hl = _read_lines(hpath)
        rls = [_read_lines(r) for r in rpaths]
        for r, rl in zip(rpaths, rls):
            if len(rl) != len(hl):
                raise ScoreError(f"{name}: {len(hl)} lines in {hpath} but {len(rl)} in {r}; "
                                 "segments are paired by line")
        hyps += hl
        for stream, rl in zip(ref_streams, rls):
            stream += rl
        a_ref = a_ok = 0
        if counter is not None:
            for i, h in enumerate(hl):
                got = counter.count(h)
                in_ref = counter.count(rls[0][i])  # the first reference decides which names are due
                for tid, n in in_ref.items():
                    st = stats.setdefault(tid, TermStats(tid, counter.terms[tid].forms[lang][0]))
                    ok = min(n, got.get(tid, 0))
                    st.in_ref += n
                    st.correct += ok
                    a_ref += n
                    a_ok += ok
            if checker is not None:
                text = "\n".join(hl)
                findings, _ = checker.check_text(text, str(hpath))
                for f in findings:
                    if f.rule.startswith("name/") and f.term in counter.terms:
                        st = stats.setdefault(f.term, TermStats(f.term, counter.terms[f.term].forms[lang][0]))
                        st.wrong[f.text] = st.wrong.get(f.text, 0) + 1
        articles.append({"path": name, "segments": len(hl), "names_in_ref": a_ref, "names_correct": a_ok})
    if not hyps:
        raise ScoreError(f"{hyp}: no segments to score")
    metrics = {}
    for key, metric in (("bleu", BLEU()), ("chrf", CHRF()), ("ter", TER())):
        s = metric.corpus_score(hyps, ref_streams)
        metrics[key] = {"score": round(s.score, 4), "signature": str(metric.get_signature()),
                        "text": str(s)}
    total = sum(s.in_ref for s in stats.values())
    correct = sum(s.correct for s in stats.values())
    names = {
        "in_ref": total, "correct": correct,
        "accuracy": round(100.0 * correct / total, 2) if total else None,
        "terms": [{"id": s.id, "preferred": s.preferred, "in_ref": s.in_ref, "correct": s.correct,
                   "accuracy": round(100.0 * s.accuracy, 2) if s.accuracy is not None else None,
                   "wrong": dict(sorted(s.wrong.items(), key=lambda kv: (-kv[1], kv[0])))}
                  for s in sorted(stats.values(), key=lambda s: (-s.in_ref, s.id))],
    }
    return {"schema": SCHEMA, "hypothesis": hyp, "references": list(refs), "lang": lang,
            "articles": articles, "segments": len(hyps), **metrics, "names": names}


def format_text(rep: dict, out=sys.stdout) -> None:
    print(f"{len(rep['articles'])} article(s), {rep['segments']} segments", file=out)
    for key in ("bleu", "chrf", "ter"):
        m = rep[key]
        print(f"{key.upper():<5} {m['score']:7.2f}   {m['signature']}", file=out)
    n = rep["names"]
    acc = f"{n['accuracy']:.2f}" if n["accuracy"] is not None else "n/a"
    print(f"NAMES {acc:>7}   {n['correct']} of {n['in_ref']} glossary names in the reference spelt right", file=out)
    for t in n["terms"]:
        wrong = ", ".join(f"{w} ×{c}" for w, c in t["wrong"].items())
        a = f"{t['accuracy']:.0f}%" if t["accuracy"] is not None else "-"
        print(f"  {t['preferred']:<28} {t['correct']}/{t['in_ref']} {a:>5}" + (f"  wrong: {wrong}" if wrong else ""),
              file=out)
