"""A review session, independent of any UI: decisions, undo, applying the
accepted fixes, the edit rate (HTER), saving, and learning into a glossary.

The terminal UI (``tui/``) is a thin layer over :class:`ReviewSession`.
This module must not import textual.
"""
from __future__ import annotations

import time

import difflib
import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from qa.engine.fixes import apply_edits, edits_clash, shift_map
from qa.model.findings import Applicability, Edit, Finding, Fix
from qa.project.records import (ACCEPTED, ACKNOWLEDGED, ALTERNATIVE, CHANGING, EDITED, REJECTED, Decision, Record,
                      body_offset, front_matter, load_record, machine_text_of, record_path, save_record, sha256_bytes,
                      sha256_file)

__all__ = ["Choice", "ReviewSession", "ReviewOptions", "ExternalChange", "Conflict", "Hter", "learn_form",
           "decode_article", "parse_meta",
           "ACCEPTED", "ALTERNATIVE", "EDITED", "REJECTED", "ACKNOWLEDGED"]


class ExternalChange(Exception):
    """The file changed on disk since it was opened: saving would lose that change."""


class Conflict(Exception):
    """A decision whose edits overlap those of an already accepted fix."""


def parse_meta(items: Sequence[str] | None) -> dict[str, str]:
    """``["engine=deepl", "desk=foreign"]`` (``copydesk review --meta KEY=VALUE``) as a dict;
    raises ValueError with a one-line message for an item without ``=`` or key."""
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--meta {item!r}: expected KEY=VALUE, e.g. engine=deepl")
        out[key.strip()] = value.strip()
    return out


def decode_article(data: bytes):
    """Decode article bytes as every command does (:func:`qa.sources.items.decode`):
    UTF-8 (with or without a BOM) or UTF-16 with a BOM, an
    :class:`~qa.sources.items.Article` that a save encodes back the same way."""
    from qa.sources.items import decode

    return decode(data)


@dataclass(frozen=True)
class ReviewOptions:
    """What ``copydesk review`` was asked, typed (the CLI builds it from its
    arguments; the app, ``--serve`` and the tests take it instead of an
    argparse namespace). The project options are kept too, so that ``--serve``
    can start the very same review for every browser."""

    paths: tuple[str, ...]
    learn_into: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # the source article the (one) PATH translates
    source_lang: str | None = None
    theme: str | None = None
    serve: bool = False
    port: int = 8000
    host: str | None = None  # --serve: the address to bind (127.0.0.1 when None)
    token_file: str | None = None  # --serve: the token's file (a fresh random token when None)
    max_sessions: int | None = None  # --serve: browsers at once (1 when None)
    # the project's options, for --serve's command line
    glossary: tuple[str, ...] = ()
    lang: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: str | None = None
    no_config: bool = False


@dataclass(frozen=True)
class Choice:
    status: str
    fix: Fix | None = None  # the edits this decision applies (for accepted / alternative / edited)
    replacement: str | None = None  # for alternative / edited
    scope: str | None = None  # "rule": decided for every finding of the rule at once (``R``)

    @property
    def changes_text(self) -> bool:
        return self.status in CHANGING and self.fix is not None


class _EditIndex:
    """The edits of the accepted decisions, sorted, to find a clash in O(log n) instead of
    comparing with every decision (``A`` on 200 alike findings of 1,000). The accepted
    edits never overlap, so only the edit just before a span and those starting inside it
    can clash with it; the test is :func:`qa.engine.fixes.edits_clash`."""

    def __init__(self, session: "ReviewSession", skip: set[int] = frozenset()) -> None:
        self.items: list[tuple[int, int, int]] = sorted(
            (e.start, e.end, j) for j, c in enumerate(session.choices)
            if j not in skip and c is not None and c.changes_text for e in c.fix.edits)

    def conflict(self, choice: Choice) -> int | None:
        if not choice.changes_text:
            return None
        items = self.items
        for s, t in ((e.start, e.end) for e in choice.fix.edits):
            lo = max(0, bisect_left(items, (s, -1, -1)) - 1)
            hi = bisect_right(items, (t, 1 << 62, 1 << 62))
            for es, ee, j in items[lo:hi]:
                if edits_clash(s, t, es, ee):
                    return j
        return None

    def add(self, j: int, choice: Choice) -> None:
        if choice.changes_text:
            for e in choice.fix.edits:
                insort(self.items, (e.start, e.end, j))


# --------------------------------------------------------------------------------------------
class Hter:
    """Case-sensitive TER (sacrebleu) of the machine text against the reviewed
    text, computed incrementally: the article is cut at line ends into
    segments, only segments an accepted fix touches are scored, and the result
    is the corpus TER (total edits / total reference words)."""

    def __init__(self, text: str):
        from sacrebleu.metrics import TER

        self._ter = TER(case_sensitive=True)
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.ends = self.starts[1:] + [len(text)]  # line end, newline included
        # a front-matter block is metadata, not text: its words are not counted (as in audit --reviews)
        body = body_offset(text)
        self.tokens = [len(text[s:e].split()) if s >= body else 0 for s, e in zip(self.starts, self.ends)]
        self.total_tokens = sum(self.tokens)
        self._cache: dict[tuple[str, str], tuple[float, float]] = {}

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def _segment(self, hyp: str, ref: str) -> tuple[float, float]:
        key = (hyp, ref)
        got = self._cache.get(key)
        if got is None:
            s = self._ter.corpus_score([hyp], [[ref]])
            got = self._cache[key] = (float(s.num_edits), float(s.ref_length))
        return got

    def score(self, fixes: Sequence[Fix]) -> float:
        edits = sorted((e for f in fixes for e in f.edits), key=lambda e: (e.start, e.end))
        if not edits:
            return 0.0
        groups: list[list] = []  # [first line, last line, edits]
        for e in edits:
            a = self.line_of(e.start)
            b = self.line_of(max(e.start, e.end - 1))
            if groups and a <= groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], b)
                groups[-1][2].append(e)
            else:
                groups.append([a, b, [e]])
        n_edits = 0.0
        ref_len = float(self.total_tokens)
        for a, b, es in groups:
            s, t = self.starts[a], self.ends[b]
            hyp = self.text[s:t]
            ref = apply_edits(hyp, [Edit(x.start - s, x.end - s, x.replacement) for x in es])
            ed, rl = self._segment(hyp, ref)
            n_edits += ed
            ref_len += rl - sum(self.tokens[a:b + 1])
        if ref_len > 0:
            return 100.0 * n_edits / ref_len
        return 100.0 if n_edits else 0.0


# --------------------------------------------------------------------------------------------
@dataclass
class SaveResult:
    path: Path
    changed: bool
    original: Path | None  # the kept copy of the original, when made now
    record: Path
    fixes: int


@dataclass
class ReviewSession:
    path: Path
    text: str
    bom: bool
    sha256: str  # of the bytes opened
    findings: list[Finding]
    language: str | None = None
    encoding: str = "utf-8"  # kept by a save: "utf-8", "utf-16-le" or "utf-16-be"
    source: object | None = None  # the source it was checked against (qa.engine.bilingual.SourceInfo)
    choices: list[Choice | None] = field(default_factory=list)
    history: list[list[tuple[int, Choice | None]]] = field(default_factory=list)
    record: Record | None = None
    resumed: int = 0  # decisions restored from the review record
    record_dirty: bool = False
    # metadata kept in the review record for the HTER report (``audit --reviews``): the
    # article's front matter, then what the caller gives (``open(meta=...)``), e.g. the MT engine
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.choices:
            self.choices = [None] * len(self.findings)
        self._hter: Hter | None = None

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, project, use_record: bool = True,
             meta: dict[str, str] | None = None, source: str | None = None,
             source_lang: str | None = None) -> "ReviewSession":
        """Read ``path``, check it with ``project`` (a :class:`~qa.project.project.Project`)
        and restore the decisions of its review record. ``meta`` (e.g.
        ``{"engine": "deepl"}``) is kept in the record, over the fields of the
        article's front matter. ``source``: the source article ``path``
        translates, aligned as ``check --source`` aligns it (the bilingual
        rules run, and :meth:`source_segment` gives a finding's source).
        Raises ``OSError`` or :class:`~qa.sources.items.InputError`."""
        p = Path(path)
        data = p.read_bytes()
        art = decode_article(data)
        text = art.text
        checker = project.item_checker
        shared = checker.source_shared(source, source_lang, text) if source else None
        findings, lang = checker.check_content(text, str(p), shared=shared)
        s = cls(p, text, art.bom, sha256_bytes(data), findings, lang, encoding=art.encoding,
                source=shared["source"] if shared else None,
                meta={**front_matter(text), **{str(k): str(v) for k, v in (meta or {}).items()}})
        if use_record:
            s.restore(load_record(p))
        return s

    def restore(self, record: Record | None) -> int:
        self.record = record
        if record is None:
            return 0
        n = 0
        for i, d in record.match(self.text, self.findings).items():
            choice = self._choice_from_decision(i, d)
            if choice is None or self._conflict(i, choice) is not None:
                continue
            self.choices[i] = choice
            n += 1
        self.resumed = n
        return n

    def _choice_from_decision(self, i: int, d: Decision) -> Choice | None:
        f = self.findings[i]
        if d.status == ACCEPTED:
            return Choice(ACCEPTED, f.fix) if f.fix is not None else None
        if d.status == ALTERNATIVE and d.replacement is not None:
            return Choice(ALTERNATIVE, Fix.replace(f.start, f.end, d.replacement, Applicability.UNSAFE), d.replacement)
        if d.status == EDITED and d.replacement is not None:
            s, e = self.span(i)
            return Choice(EDITED, Fix.replace(s, e, d.replacement, Applicability.UNSAFE), d.replacement)
        if d.status in (REJECTED, ACKNOWLEDGED):
            return Choice(d.status, scope=d.scope)
        return None

    # ---- what a finding proposes -----------------------------------------------------------
    def span(self, i: int) -> tuple[int, int]:
        """The span the finding's fix (or an edit) replaces: the finding's span
        widened to cover its fix."""
        f = self.findings[i]
        if f.fix is None:
            return f.start, f.end
        return min(f.start, f.fix.start), max(f.end, f.fix.end)

    def proposed(self, i: int) -> str | None:
        """The text that replaces :meth:`span` when the fix is accepted."""
        f = self.findings[i]
        if f.fix is None:
            return None
        s, e = self.span(i)
        return f.fix.replacement_for(self.text, s, e)

    def old_new(self, i: int) -> tuple[str, str | None]:
        """(old, new) of the finding's span under its current decision (or its proposal)."""
        s, e = self.span(i)
        c = self.choices[i]
        if c is not None and c.changes_text:
            return self.text[s:e], c.fix.replacement_for(self.text, s, e) if c.fix.start >= s and c.fix.end <= e else None
        return self.text[s:e], self.proposed(i)

    # ---- deciding -------------------------------------------------------------------------
    def _conflict(self, i: int, choice: Choice) -> int | None:
        if not choice.changes_text:
            return None
        spans = [(e.start, e.end) for e in choice.fix.edits]
        for j, c in enumerate(self.choices):
            if j == i or c is None or not c.changes_text:
                continue
            for e in c.fix.edits:
                for s, t in spans:
                    if edits_clash(s, t, e.start, e.end):
                        return j
        return None

    def make_choice(self, i: int, status: str, replacement: str | None = None) -> Choice:
        f = self.findings[i]
        if status == ACCEPTED:
            if f.fix is None:
                return Choice(ACKNOWLEDGED)
            return Choice(ACCEPTED, f.fix)
        if status == ALTERNATIVE:
            assert replacement is not None
            return Choice(ALTERNATIVE, Fix.replace(f.start, f.end, replacement, Applicability.UNSAFE), replacement)
        if status == EDITED:
            assert replacement is not None
            s, e = self.span(i)
            return Choice(EDITED, Fix.replace(s, e, replacement, Applicability.UNSAFE), replacement)
        return Choice(status)

    def decide(self, i: int, status: str, replacement: str | None = None) -> list[int]:
        """Record a decision for finding ``i`` (one undo step). Raises :class:`Conflict`."""
        return self.decide_many([i], status, replacement)

    def decide_many(self, indices: Sequence[int], status: str, replacement: str | None = None) -> list[int]:
        step: list[tuple[int, Choice | None]] = []
        index = _EditIndex(self, skip=set(indices)) if len(indices) > 1 else None
        try:
            for i in indices:
                choice = self.make_choice(i, status, replacement)
                j = self._conflict(i, choice) if index is None else index.conflict(choice)
                if j is not None:
                    raise Conflict(f"overlaps the fix accepted for finding {j + 1} (line {self.findings[j].line})")
                step.append((i, self.choices[i]))
                self.choices[i] = choice
                if index is not None:
                    index.add(i, choice)
        except Conflict:
            for i, old in reversed(step):
                self.choices[i] = old
            raise
        if step:
            self.history.append(step)
            self.record_dirty = True
        return [i for i, _ in step]

    def reject_rule(self, i: int) -> list[int]:
        """Reject every pending finding of ``i``'s rule in this article (one undo step),
        recorded with ``scope: "rule"``."""
        rule = self.findings[i].rule
        step = [(j, self.choices[j]) for j, f in enumerate(self.findings)
                if f.rule == rule and (self.choices[j] is None or j == i)]
        for j, _ in step:
            self.choices[j] = Choice(REJECTED, scope="rule")
        if step:
            self.history.append(step)
            self.record_dirty = True
        return [j for j, _ in step]

    def alternative(self, i: int, n: int) -> list[int]:
        """Accept alternative ``n`` (1-based) of finding ``i``."""
        alts = self.findings[i].alternatives
        if not 1 <= n <= len(alts):
            raise IndexError(f"no alternative {n}")
        return self.decide(i, ALTERNATIVE, alts[n - 1])

    def similar_pending(self, i: int) -> list[int]:
        """Pending findings with the same rule, flagged text and proposed fix as ``i`` (itself included)."""
        f = self.findings[i]
        rep = self.proposed(i)
        out = []
        for j, g in enumerate(self.findings):
            if self.choices[j] is None and g.text == f.text and g.rule == f.rule and g.fix is not None \
                    and self.proposed(j) == rep:
                out.append(j)
        if self.choices[i] is None and i not in out:
            out.insert(0, i)
        return sorted(out)

    def accept_all_like(self, i: int) -> list[int]:
        """Accept every pending finding with the same text and fix as ``i`` (one undo step)."""
        if self.findings[i].fix is None:
            return self.decide(i, ACKNOWLEDGED) if self.choices[i] is None else []
        index = _EditIndex(self)
        ok = []
        for j in self.similar_pending(i):
            choice = self.make_choice(j, ACCEPTED)
            if index.conflict(choice) is None:  # the ones that clash with an accepted fix are left pending
                ok.append(j)
                index.add(j, choice)
        return self.decide_many(ok, ACCEPTED) if ok else []

    def undo(self) -> list[int]:
        """Undo the last decision step; the indices it touched (empty when nothing to undo)."""
        if not self.history:
            return []
        step = self.history.pop()
        for i, old in reversed(step):
            self.choices[i] = old
        self.record_dirty = True
        return [i for i, _ in step]

    # ---- the result ----------------------------------------------------------------------
    @property
    def decided(self) -> int:
        return sum(1 for c in self.choices if c is not None)

    @property
    def pending(self) -> int:
        return len(self.choices) - self.decided

    def accepted_fixes(self) -> list[Fix]:
        return [c.fix for c in self.choices if c is not None and c.changes_text]

    @property
    def has_changes(self) -> bool:
        """Decisions that change the text and are not saved yet."""
        return any(c is not None and c.changes_text for c in self.choices)

    def result_text(self) -> str:
        edits = [e for fx in self.accepted_fixes() for e in fx.edits]
        return apply_edits(self.text, edits, strict=True)

    def hter(self, fixes: Sequence[Fix] | None = None) -> float:
        """The edit rate of the accepted fixes (or of ``fixes``, a snapshot a worker
        thread scores while the reviewer goes on deciding)."""
        if self._hter is None:
            self._hter = Hter(self.text)
        return self._hter.score(self.accepted_fixes() if fixes is None else fixes)

    def source_segment(self, i: int):
        """The source segment aligned with finding ``i`` (a
        :class:`~qa.engine.bilingual.SourceSegment`: ``text``, ``lang``), or
        ``None`` without a source."""
        info = self.source
        if info is None or not info.segments:
            return None
        start = self.findings[i].start
        segs = info.segments
        k = bisect_right([g.start for g in segs], start) - 1
        return segs[max(k, 0)]

    def diff(self, context: int = 1) -> list[str]:
        new = self.result_text()
        name = self.path.name
        return list(difflib.unified_diff(self.text.splitlines(keepends=True), new.splitlines(keepends=True),
                                         fromfile=f"a/{name}", tofile=f"b/{name}", n=context))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.choices:
            k = c.status if c is not None else "pending"
            out[k] = out.get(k, 0) + 1
        return out

    # ---- records and saving ------------------------------------------------------------------
    def build_record(self, text: str | None = None, shift=None, sha: str | None = None) -> Record:
        """The review record of the current decisions (keyed on ``text``, by
        default the opened text; ``shift`` maps offsets into ``text``)."""
        base = self.record
        rec = Record(str(self.path.absolute()),
                     original_sha256=(base.original_sha256 if base and base.original_sha256 else self.sha256),
                     sha256=sha or self.sha256, saved_sha256=base.saved_sha256 if base else None)
        # the machine text: kept from the first review round (a record written before this key
        # gets it from PATH.orig, or from this text when it is still the original)
        rec.machine_text = machine_text_of(self.path, base) if base is not None else self.text
        if rec.machine_text is None and rec.original_sha256 == self.sha256:
            rec.machine_text = self.text
        rec.meta = {**(base.meta if base else {}), **self.meta}
        matched = set()
        if base is not None:
            matched = {id(d) for d in base.match(self.text, self.findings).values()}
            # decisions about findings not raised this time (another rule selection, a changed
            # glossary) are kept as they are
            rec.decisions = [d for d in base.decisions if id(d) not in matched]
        tgt = self.text if text is None else text
        for i, c in enumerate(self.choices):
            if c is None:
                continue
            f = self.findings[i]
            if shift is None:
                rec.decisions.append(Decision.for_finding(self.text, f, c.status, c.replacement, scope=c.scope))
            elif not c.changes_text:
                s, e = shift(f.start), shift(f.end)
                rec.decisions.append(Decision.for_finding(tgt, f, c.status, c.replacement, start=s, end=e,
                                                          scope=c.scope))
        return rec

    def write_record(self) -> Path:
        rec = self.build_record()
        p = save_record(self.path, rec)
        self.record = rec
        self.record_dirty = False
        return p

    def changed_on_disk(self) -> bool:
        return sha256_file(self.path) != self.sha256

    def save(self) -> SaveResult:
        """Write the reviewed article atomically (keeping ``PATH.orig`` unless one
        exists) and the review record. Raises :class:`ExternalChange` when the
        file changed on disk since it was opened."""
        if self.changed_on_disk():
            raise ExternalChange(f"{self.path.name} changed on disk since it was opened; not saved "
                                 "(reopen it to review the new version)")
        fixes = self.accepted_fixes()
        new_text = self.result_text()
        orig = None
        if new_text != self.text:
            from qa.sources.items import Article, write_back

            data = Article(new_text, self.encoding, self.bom).encode()
            orig = write_back(self.path, data).original
            new_sha = sha256_bytes(data)
            rec = self.build_record(new_text, shift_map(self.text, fixes), new_sha)
            rec.saved_sha256 = new_sha
        else:
            rec = self.build_record()
            new_sha = self.sha256
        tally = {k: v for k, v in self.counts().items() if k != "pending" and v}
        rec.history = (list(self.record.history) if self.record else []) + [dict(
            saved=time.strftime("%Y-%m-%dT%H:%M:%S%z"), decided=self.decided, findings=len(self.findings),
            fixes_applied=len(fixes), hter=round(self.hter(), 2), **tally)]
        rp = save_record(self.path, rec)
        self.record = rec
        self.record_dirty = False
        return SaveResult(self.path, new_text != self.text, orig, rp, len(fixes))

    @property
    def last_save(self) -> dict | None:
        """The tally of the last review save of this very file (its bytes unchanged since)."""
        rec = self.record
        if rec is None or not rec.history or rec.saved_sha256 != self.sha256:
            return None
        return rec.history[-1]

    @property
    def record_file(self) -> Path:
        return record_path(self.path)


# --------------------------------------------------------------------------------------------
def _slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "term"


NEW_GLOSSARY = '[glossary]\nname = "learned"\nformat = 1\ndescription = "Spellings accepted in copydesk review"\n'


def learn_form(glossary_file: str | Path, form: str, lang: str, term_id: str | None = None,
               kind: str = "term", note: str = "") -> str:
    """Record ``form`` as an accepted ``lang`` spelling in ``glossary_file``:
    on term ``term_id`` when that file defines it, else as a new term. A
    format-preserving edit (comments and layout survive); the file is created
    when missing. Returns a sentence saying what was done. Raises
    :class:`qa.text.glossary.GlossaryError` if the result would not load."""
    import tomlkit

    from qa.text.glossary import parse_glossary

    p = Path(glossary_file)
    src = p.read_text(encoding="utf-8") if p.exists() else NEW_GLOSSARY
    doc = tomlkit.parse(src)
    terms = doc.get("term")
    target = None
    if term_id is not None and terms is not None:
        for t in terms:
            if t.get("id") == term_id:
                target = t
                break
    if target is not None:
        forms = target.get("forms")
        if forms is None:
            target["forms"] = {lang: form}
            msg = f"added ‘{form}’ as the {lang} form of {term_id}"
        else:
            cur = forms.get(lang)
            if cur is None:
                forms[lang] = form
            elif isinstance(cur, str):
                if cur != form:
                    arr = tomlkit.array()
                    arr.extend([cur, form])
                    forms[lang] = arr
            elif form not in list(cur):
                cur.append(form)
            msg = f"added ‘{form}’ to {term_id} (forms.{lang})"
        wrong = target.get("wrong")
        if wrong is not None and lang in wrong:
            w = wrong[lang]
            ws = [w] if isinstance(w, str) else list(w)
            keep = [x for x in ws if str(x).casefold() != form.casefold()]
            if len(keep) != len(ws):
                if not keep:
                    del wrong[lang]
                else:
                    arr = tomlkit.array()
                    arr.extend([str(x) for x in keep])
                    wrong[lang] = arr
                msg += f", removed it from wrong.{lang}"
        out = tomlkit.dumps(doc)
    else:
        ids = {str(t.get("id")) for t in terms} if terms is not None else set()
        base = _slug(form)
        tid, n = base, 2
        while tid in ids:
            tid, n = f"{base}-{n}", n + 1
        lines = ["[[term]]", f"id = {tomlkit.item(tid).as_string()}", f"kind = {tomlkit.item(kind).as_string()}",
                 f"forms.{lang} = {tomlkit.item(form).as_string()}"]
        if note:
            lines.append(f"note = {tomlkit.item(note).as_string()}")
        out = src.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
        msg = f"added a new term {tid} with the {lang} form ‘{form}’"
    parse_glossary(out, str(p))  # raises GlossaryError if the edit broke the glossary
    p.parent.mkdir(parents=True, exist_ok=True)
    from qa.sources.writing import write_file

    write_file(p, out.encode("utf-8"))
    return f"{msg} in {p.name}"


# --------------------------------------------------------------------------------------------
_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of ``old`` → ``new`` as ``(op, text)`` pieces, op being
    ``"="`` (kept), ``"-"`` (removed) or ``"+"`` (inserted), like
    ``git diff --word-diff``: the kept and removed pieces join to ``old``, the
    kept and inserted ones to ``new``. difflib's SequenceMatcher does the
    matching; it only needs the texts cut into words, spaces and punctuation."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[tuple[str, str]] = []

    def put(op: str, s: str) -> None:
        if not s:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + s)
        else:
            out.append((op, s))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            put("=", "".join(a[i1:i2]))
        else:
            put("-", "".join(a[i1:i2]))
            put("+", "".join(b[j1:j2]))
    return out


def changed_paragraphs(session: "ReviewSession") -> list[tuple[int, str, str]]:
    """(line number, old line, new line) for every line of the article an accepted
    fix changes (the lines of the original; a fix spanning lines gives one entry
    for all of them)."""
    new = session.result_text()
    out = []
    sm = difflib.SequenceMatcher(None, session.text.splitlines(keepends=True), new.splitlines(keepends=True),
                                 autojunk=False)
    a, b = sm.a, sm.b
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            out.append((i1 + 1, "".join(a[i1:i2]).rstrip("\r\n"), "".join(b[j1:j2]).rstrip("\r\n")))
    return out
