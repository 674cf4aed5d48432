"""What the language server asks of the core, in one place.

``copydesk lsp`` is an adapter like the command line: it builds the same
:class:`~qa.project.project.Project` (the workspace's ``copydesk.toml`` merged
with the server's options), checks documents with it, and writes the same
review records and glossary edits as ``copydesk review``
(:class:`~qa.services.review.ReviewSession`, :func:`~qa.services.review.learn_form`).
Every call the server makes into the core goes through :class:`Desk`, so a
change of the core's interfaces is adapted here and nowhere else. This module
knows nothing of the protocol: offsets are code points of the document's text;
``qa.lsp.server`` turns them into LSP positions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from qa.model.findings import Applicability, Edit, Finding, Fix
from qa.project.project import Project, ProjectError

PLAIN_SUFFIXES = (".txt", ".md", ".markdown", ".text")
PLAIN_LANGUAGE_IDS = ("plaintext", "text", "markdown")
BILINGUAL_LANGUAGE_IDS = {"po": ".po", "pot": ".po", "xliff": ".xlf", "xlf": ".xlf", "tmx": ".tmx"}
# at most this many characters are checked (an editor re-checks on every pause in typing);
# `copydesk lsp --max-chars` changes it, `copydesk check` checks a longer article
MAX_CHARS = 2_000_000


class DeskError(Exception):
    """A configuration, glossary or input problem (``str(e)`` is one line)."""


@dataclass
class Options:
    """The server's options (command line, then the client's initializationOptions)."""

    glossary: list[str] | None = None
    lang: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    config: str | None = None
    no_config: bool = False
    records: bool = True
    learn_into: str | None = None
    max_chars: int = MAX_CHARS


@dataclass
class DocFinding:
    """One finding placed in the document: offsets (code points) in the document's text."""

    finding: Finding
    start: int
    end: int
    fix: list[Edit] | None = None  # the proposed fix, as edits of the document's text
    alternatives: list[tuple[str, list[Edit]]] = field(default_factory=list)
    unit: str | None = None  # a bilingual file's unit id

    @property
    def safe(self) -> bool:
        f = self.finding.fix
        return f is not None and f.applicability is Applicability.SAFE


@dataclass
class DocCheck:
    """The findings of one version of a document."""

    path: str
    text: str
    language: str | None
    findings: list[DocFinding] = field(default_factory=list)
    bilingual: bool = False
    error: str | None = None  # why it was not checked (one line)
    quiet: bool = False  # the error is the configuration's choice (``exclude``): logged, not shown
    result: Any = None  # what the check service gave (ItemResult, or PairResult for a bilingual file)
    shift: int = 0  # a bilingual file's offsets into the buffer: +1 when the buffer keeps a BOM


def document_kind(path: str, language_id: str | None) -> str | None:
    """"plain", "bilingual" or None (not a document copydesk checks)."""
    from qa.sources.bilingual_files import is_bilingual

    suffix = Path(path).suffix.lower()
    if is_bilingual(path):
        return "bilingual"
    if suffix in PLAIN_SUFFIXES:
        return "plain"
    lid = (language_id or "").lower()
    if lid in BILINGUAL_LANGUAGE_IDS:
        return "bilingual"
    if lid in PLAIN_LANGUAGE_IDS:
        return "plain"
    return None


def looks_binary(text: str) -> str | None:
    """Why ``text`` is not a text document (NUL characters, mostly undecodable bytes), or None."""
    if "\x00" in text:
        return "it contains NUL characters (a binary file?)"
    head = text[:65536]
    bad = head.count("\ufffd")
    if bad >= 16 and bad > len(head) // 10:
        return "it is mostly bytes that are not UTF-8 (a binary file?)"
    return None


class Desk:
    """The project of one workspace, and the review actions on its documents."""

    def __init__(self, root: str | Path | None, options: Options) -> None:
        self.root = Path(root) if root else None
        self.options = options
        self.project: Project | None = None
        self._forms: dict[str, list] | None = None
        self.load()

    # ---- the project -----------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)build the project from the configuration file and the glossaries;
        raises :class:`DeskError` and keeps the previous project on a bad one."""
        from qa.engine.registry import SelectionError
        from qa.model.langs import LanguageError
        from qa.project.config import ConfigError, find_config
        from qa.text.glossary import GlossaryError

        o = self.options
        learn = [o.learn_into] if o.learn_into and Path(o.learn_into).exists() else []
        config, no_config = o.config, o.no_config
        try:
            if not no_config and config is None and self.root is not None:
                # looked up from the workspace folder; then read as `copydesk check --config FILE`
                # does, its relative paths made relative to this process's working directory
                found = find_config(self.root)
                config, no_config = (str(found), False) if found else (None, True)
            project = Project.from_options(glossary=o.glossary, lang=o.lang, select=o.select, ignore=o.ignore,
                                           records=o.records, config=config, no_config=no_config,
                                           extra_glossaries=learn)
            project.checker  # compile the glossary now: a bad one is reported here, not on every check
        except (ProjectError, LanguageError, SelectionError) as e:
            raise DeskError(str(e)) from None
        except ConfigError as e:
            raise DeskError(f"configuration: {e}") from None
        except GlossaryError as e:
            raise DeskError(f"glossary error: {e}") from None
        except OSError as e:
            raise DeskError(f"cannot read: {e.strerror or e} ({e.filename})") from None
        self.project = project
        self._forms = None

    @property
    def glossary_paths(self) -> list[str]:
        return [p for p, _t in self.project.settings.glossaries]

    @property
    def config_path(self) -> str | None:
        return self.project.settings.config

    def watched(self) -> set[Path]:
        """The files whose change rebuilds the project: the configuration and the glossaries."""
        paths = [*self.glossary_paths, *([self.config_path] if self.config_path else [])]
        if self.options.learn_into:
            paths.append(self.options.learn_into)
        return {Path(p).resolve() for p in paths}

    def affects(self, path: str) -> bool:
        """Whether a change of ``path`` changes the project (a watched file, or a new
        configuration file in the workspace)."""
        p = Path(path).resolve()
        watched = self.watched()
        if p in watched:
            return True
        # a glossary folder loads every *.toml in it: a new or changed one there counts
        if p.suffix == ".toml" and p.parent in {Path(g).resolve().parent for g in self.glossary_paths}:
            return True
        return p.name in ("copydesk.toml", "pyproject.toml") and self.root is not None \
            and p.parent == self.root.resolve() and not self.options.no_config and not self.options.config

    def describe(self) -> str:
        s = self.project.settings
        g = self.project.glossary
        where = f"configuration {s.config}" if s.config else "no configuration file"
        return (f"copydesk: {where}; {len(g.terms) if g else 0} glossary terms "
                f"({', '.join(Path(p).name for p in self.glossary_paths) or 'shipped'}); language {s.lang}")

    # ---- checking --------------------------------------------------------------------------------
    def check(self, path: str, text: str, language_id: str | None = None) -> DocCheck:
        """The findings of ``text`` (the document named ``path``), rejected ones
        left out as in ``copydesk check``; an input that cannot be checked gives a
        :class:`DocCheck` with ``error`` set (never raises for bad input)."""
        kind = document_kind(path, language_id)
        if kind is None:
            return DocCheck(path, text, None, error="not a document copydesk checks", quiet=True)
        if Path(path).is_absolute() and self.project.settings.exclude:
            from qa.sources.items import excluded

            if excluded(Path(path), self.project.settings.exclude):
                return DocCheck(path, text, None, error="not checked: excluded by the configuration (exclude)",
                                quiet=True)
        if len(text) > self.options.max_chars:
            return DocCheck(path, text, None, error=f"not checked: {len(text):,} characters, more than the "
                            f"limit of {self.options.max_chars:,} (copydesk lsp --max-chars; "
                            "`copydesk check` checks it from the command line)")
        why = looks_binary(text)
        if why:
            return DocCheck(path, text, None, error=f"not checked: {why}")
        if kind == "bilingual":
            return self._check_bilingual(path, text, language_id)
        from qa.sources.items import stable_key

        findings, lang = self.project.item_checker.check_content(text, path, key=stable_key(path))
        if self.project.settings.records and findings and Path(path).exists():
            from qa.project.records import filter_rejected

            findings = filter_rejected(path, text, findings)
        from qa.model.results import ItemResult

        out = DocCheck(path, text, lang, result=ItemResult(path, lang, findings=findings, text=text))
        for f in findings:
            df = DocFinding(f, f.start, f.end)
            if f.fix is not None:
                df.fix = list(f.fix.edits)
            df.alternatives = [(a, [Edit(f.start, f.end, a)]) for a in f.alternatives]
            out.findings.append(df)
        return out

    def _check_bilingual(self, path: str, text: str, language_id: str | None) -> DocCheck:
        from qa.services.bilingual import BilingualUsageError, check_bilingual_file
        from qa.sources.bilingual_files import raw_edits

        name = path
        if Path(path).suffix.lower() not in (".po", ".pot", ".xlf", ".xliff", ".tmx"):
            name = path + BILINGUAL_LANGUAGE_IDS.get((language_id or "").lower(), ".xlf")
        shift = 1 if text.startswith("\ufeff") else 0  # read_bilingual drops a BOM; the buffer may keep it
        try:
            r = check_bilingual_file(self.project, name, raw=text, lang_given=self.options.lang is not None)
        except BilingualUsageError as e:
            return DocCheck(path, text, None, bilingual=True, error=f"not checked: {e}")
        if r.error:
            return DocCheck(path, text, None, bilingual=True, error=f"not checked: {r.error}")
        out = DocCheck(path, text, r.bf.target_lang or self.project.lang, bilingual=True, result=r, shift=shift)

        def moved(edits: list[Edit]) -> list[Edit]:
            return [Edit(e.start + shift, e.end + shift, e.replacement) for e in edits]

        for u, fs in r.per_unit:
            for f in fs:
                a = u.raw_offset(f.start)
                b = u.ends[f.end - 1] if u.writable and f.start < f.end <= len(u.ends) else a
                df = DocFinding(f, a + shift, b + shift, unit=u.id)
                if f.fix is not None:
                    edits, n = raw_edits(u, [f.fix])
                    df.fix = moved(edits) if n else None
                for alt in f.alternatives:
                    edits, n = raw_edits(u, [Fix.replace(f.start, f.end, alt, Applicability.UNSAFE)])
                    if n:
                        df.alternatives.append((alt, moved(edits)))
                out.findings.append(df)
        return out

    def fix_all(self, check: DocCheck) -> tuple[Edit, int] | None:
        """Every safe fix of the document as one edit of the buffer (the changed stretch,
        from the first fix to the last), and how many fixes it applies; None when there is
        none. What the fixes change is the fix service's (:mod:`qa.services.fixing`), as
        in ``copydesk fix``."""
        from qa.services.fixing import fix_pair, fix_result

        if check.result is None or check.error:
            return None
        fixed = fix_pair(check.result) if check.bilingual else fix_result(check.result)
        if fixed.error or not fixed.changed:
            return None
        old, new = fixed.old, fixed.new
        a = 0
        n = min(len(old), len(new))
        while a < n and old[a] == new[a]:
            a += 1
        b = 0
        while b < n - a and old[len(old) - 1 - b] == new[len(new) - 1 - b]:
            b += 1
        return Edit(a + check.shift, len(old) - b + check.shift, new[a:len(new) - b]), fixed.applied

    # ---- review actions --------------------------------------------------------------------------
    def can_record(self, check: DocCheck) -> bool:
        """Review records are kept for plain articles on disk (as ``copydesk review`` keeps them)."""
        p = Path(check.path)
        return not check.bilingual and check.error is None and p.is_absolute() and p.parent.is_dir()

    def reject(self, check: DocCheck, index: int, whole_rule: bool = False) -> str:
        """Record finding ``index`` (or every finding of its rule) as rejected in the
        article's review record, as ``r`` (``R``) in ``copydesk review`` does; the
        finding then stays quiet in ``check``, ``fix``, ``review`` and here."""
        from qa.project.records import REJECTED, load_record, sha256_bytes
        from qa.services.review import ReviewSession, decode_article
        from qa.sources.items import InputError

        if not self.can_record(check):
            raise DeskError("review records are kept for plain-text and Markdown articles saved on disk")
        data, bom, encoding = check.text.encode("utf-8"), False, "utf-8"
        try:  # the buffer is the file as saved: the record names the file's bytes, as the TUI's does
            disk = Path(check.path).read_bytes()
            art = decode_article(disk)
            if art.text == check.text:
                data, bom, encoding = disk, art.bom, art.encoding
        except (OSError, InputError):
            pass
        session = ReviewSession(Path(check.path), check.text, bom, sha256_bytes(data),
                                [df.finding for df in check.findings], check.language, encoding=encoding)
        session.restore(load_record(check.path))
        f = check.findings[index].finding
        if whole_rule:
            n = len(session.reject_rule(index))
            what = f"rejected {n} finding{'s' if n != 1 else ''} of {f.rule} in this article"
        else:
            session.decide(index, REJECTED)
            what = f"rejected {f.rule} ‘{f.text}’ here"
        rec = session.write_record()
        return f"{what} (review record {rec.name})"

    def learn_target(self) -> Path | None:
        """The glossary file that “add to the glossary” edits: ``--learn-into`` (or
        the client's ``learnInto``), else the first configured glossary file, as in
        ``copydesk review``; never a shipped glossary."""
        if self.options.learn_into:
            return Path(self.options.learn_into)
        paths = self.glossary_paths
        if paths and Path(paths[0]).suffix == ".toml":
            return Path(paths[0])
        return None

    @staticmethod
    def learnable(f: Finding) -> bool:
        return f.family != "language" and 0 < len(f.text) <= 60 and "\n" not in f.text

    def learn_plan(self, check: DocCheck, index: int) -> tuple[str, str | None] | None:
        """(title, term id or None for a new term) of the glossary action for a finding, or None."""
        target = self.learn_target()
        f = check.findings[index].finding
        if target is None or not self.learnable(f):
            return None
        lang = self._lang(check)
        term = self.project.glossary.by_id().get(f.term) if f.term else None
        if term is not None and Path(term.path).resolve() == target.resolve() and f.rule != "name/near-miss":
            return f"Add ‘{f.text}’ to {f.term} as an accepted {language_name(lang)} form ({target.name})", f.term
        return f"Add ‘{f.text}’ to the glossary as a new {language_name(lang)} term ({target.name})", None

    def _lang(self, check: DocCheck) -> str:
        lang = check.language or self.project.lang
        return lang if lang and lang != "auto" else "en"

    def learn(self, check: DocCheck, index: int) -> str:
        """Add the flagged form to the glossary as accepted (``g`` in ``copydesk
        review``): the glossary file is edited, the finding rejected in the review
        record (plain articles on disk) and the project rebuilt."""
        from qa.services.review import learn_form
        from qa.text.glossary import GlossaryError

        plan = self.learn_plan(check, index)
        if plan is None:
            raise DeskError("no glossary to learn into (copydesk lsp --learn-into FILE; "
                            "the shipped glossaries are not edited)")
        _title, term_id = plan
        f = check.findings[index].finding
        term = self.project.glossary.by_id().get(f.term) if f.term else None
        try:
            msg = learn_form(self.learn_target(), f.text, self._lang(check), term_id,
                             kind=term.kind if term is not None else "term",
                             note="" if term_id else f"accepted in review of {Path(check.path).name}")
        except (GlossaryError, OSError) as e:
            raise DeskError(f"glossary not changed: {e}") from None
        if self.can_record(check):
            self.reject(check, index)
        self.load()  # the learn-into file is among the glossaries (load() adds it once it exists)
        return msg

    # ---- hover -----------------------------------------------------------------------------------
    def term_at(self, check: DocCheck | None, text: str, offset: int):
        """The glossary term of the name at ``offset``: the term of a finding there,
        else a glossary spelling (any language, native, wrong) of the words around it."""
        if check is not None:
            for df in check.findings:
                if df.start <= offset <= df.end and df.finding.term:
                    t = self.project.glossary.by_id().get(df.finding.term)
                    if t is not None:
                        return t
        words = list(_WORD.finditer(text, max(0, offset - 200), min(len(text), offset + 200)))
        at = next((i for i, m in enumerate(words) if m.start() <= offset <= m.end()), None)
        if at is None:
            return None
        forms = self._form_map()
        for width in range(4, 0, -1):  # the longest run of words around the position first
            for first in range(at - width + 1, at + 1):
                if first < 0 or first + width > len(words):
                    continue
                run = words[first:first + width]
                if any(run[k + 1].start() - run[k].end() > 1 for k in range(width - 1)):
                    continue
                terms = forms.get(text[run[0].start():run[-1].end()].casefold())
                if terms:
                    return terms[0]
        return None

    def _form_map(self) -> dict[str, list]:
        """Every spelling the glossary lists (all languages, native and wrong ones, and
        a person's surname) → its terms. The compiled index is made for one target
        language and its computed spellings; a hover wants what the glossary says."""
        if self._forms is None:
            m: dict[str, list] = {}
            for t in self.project.glossary.terms:
                for table in (t.forms, t.native, t.wrong):
                    for forms in table.values():
                        for s in forms:
                            m.setdefault(s.casefold(), []).append(t)
                            if t.kind == "person" and " " in s:
                                m.setdefault(s.split()[-1].casefold(), []).append(t)
            for k, ts in m.items():  # each term once, in glossary order
                if len(ts) > 1:
                    seen: set[str] = set()
                    m[k] = [t for t in ts if not (t.id in seen or seen.add(t.id))]
            self._forms = m
        return self._forms

    def describe_term(self, term, lang: str | None = None) -> str:
        """The glossary entry as Markdown: native forms, forms per language, wrong ones, note, file."""
        lang = lang if lang and lang != "auto" else self.project.lang
        head = term.preferred(lang) or next((f[0] for f in term.forms.values() if f), term.id)
        lines = [f"**{head}** · {term.kind} · `{term.id}`", ""]
        if term.native:
            lines.append("native: " + "; ".join(f"{language_name(k)} {', '.join(v)}" for k, v in term.native.items()))
            lines.append("")
        for k, v in term.forms.items():
            mark = " ← this article" if k == lang else ""
            lines.append(f"- {language_name(k)}: {', '.join(v)}{mark}")
        if term.wrong:
            lines.append("")
            lines.append("wrong: " + "; ".join(f"{language_name(k)} {', '.join(v)}" for k, v in term.wrong.items()))
        if term.note:
            lines += ["", term.note]
        if term.path:
            lines += ["", f"from {Path(term.path).name}, line {term.line}"]
        return "\n".join(lines)


def language_name(code: str) -> str:
    """"nl" → "Dutch" (langcodes, CLDR names); the code itself when unknown."""
    try:
        import langcodes

        name = langcodes.Language.get(code).display_name()
    except Exception:  # an odd code: the code itself
        return code
    return code if not name or name.lower().startswith("unknown") else name


_WORD = re.compile(r"[^\W\d_](?:[\w’'\-.]*\w)?")


def reload_reason(paths: Sequence[str]) -> str:
    names = ", ".join(Path(p).name for p in paths)
    return f"copydesk: {names} changed; configuration and glossaries reloaded"
