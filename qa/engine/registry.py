"""Rules as small registered units, each with examples (like proselint's checks).

A *rule* is what a user selects, ignores and reads about: an id ``family/name``,
a default severity, a summary and examples that the test-suite runs.
A *check* is the code that runs over a document and may emit findings of one or
more rules (one pass over the names emits all ``name/*`` rules, as Ruff's
checkers do).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from qa.model.findings import FAMILIES, Applicability, Finding, FixAvailability, Severity

if TYPE_CHECKING:
    from qa.engine.document import Document


@dataclass(frozen=True)
class Example:
    """``text`` checked in ``lang`` must (``flagged``) or must not raise the rule.
    ``fixed`` is the text after applying that rule's fixes (safe and unsafe).
    ``source``: the source article (in ``source_lang``) ``text`` translates,
    for the bilingual rules."""

    text: str
    flagged: bool
    fixed: str | None = None
    lang: str = "en"
    source: str | None = None
    source_lang: str = "nl"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    explanation: str = ""
    examples: tuple[Example, ...] = ()
    # declared, not guessed: whether its findings carry a fix, and how safe those fixes can be
    fix: FixAvailability = FixAvailability.NEVER
    applicability: frozenset[Applicability] = frozenset()

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass(frozen=True)
class Check:
    name: str
    rules: tuple[str, ...]
    func: Callable[["Document"], Iterable[Finding]]
    order: int = 50  # lower runs first
    # the per-document results (fields of qa.engine.document.Results) the check
    # reads: the checker resets one once no later check of the run reads it (a
    # long article's name matches are ~2 MB per MB of text)
    uses: tuple[str, ...] = ()


RULES: dict[str, Rule] = {}
CHECKS: list[Check] = []


def rule(id: str, severity: Severity | str, summary: str, explanation: str = "",
         examples: Iterable[Example] = (), *, fix: FixAvailability | str = FixAvailability.NEVER,
         applicability: Iterable[Applicability | str] = ()) -> Rule:
    """Register a rule. ``fix``: ``always`` (every finding has a fix),
    ``sometimes`` or ``never``; ``applicability``: what those fixes can be
    (``safe``, ``unsafe`` or both) -- the rule's documentation says what is
    declared here."""
    family = id.split("/", 1)[0]
    if family not in FAMILIES or "/" not in id:
        raise ValueError(f"rule id {id!r} must be family/name with family in {FAMILIES}")
    if id in RULES:
        raise ValueError(f"rule {id!r} registered twice")
    fix, kinds = FixAvailability(fix), frozenset(Applicability(a) for a in applicability)
    if (fix is FixAvailability.NEVER) != (not kinds):
        raise ValueError(f"rule {id!r}: a rule with fixes declares their applicability, one without none")
    r = Rule(id, Severity(severity), summary, explanation, tuple(examples), fix, kinds)
    RULES[id] = r
    return r


def check(name: str, rules: Iterable[str], order: int = 50, uses: Iterable[str] = ()):
    """Register ``func(doc) -> Iterable[Finding]`` as a check emitting ``rules``;
    ``uses``: the ``doc.results`` fields it reads (see :class:`Check`)."""
    from qa.engine.document import RESULT_FIELDS

    uses = tuple(uses)
    for key in uses:
        if key not in RESULT_FIELDS:
            raise ValueError(f"check {name!r} uses {key!r}, which is no declared result (qa.engine.document.Results)")

    def deco(func):
        ids = tuple(rules)
        for rid in ids:
            if rid not in RULES:
                raise ValueError(f"check {name!r} emits unregistered rule {rid!r}")
        CHECKS.append(Check(name, ids, func, order, uses))
        CHECKS.sort(key=lambda c: c.order)
        return func

    return deco


class SelectionError(ValueError):
    pass


def resolve_selection(select: Iterable[str] | None, ignore: Iterable[str] | None) -> set[str]:
    """Rule ids enabled by ``--select`` / ``--ignore`` (each a rule id or a family).
    The rules must be registered first (:func:`qa.rules.load_builtin_rules`)."""
    if not RULES:
        raise RuntimeError("no rules registered: call qa.rules.load_builtin_rules() first")

    def expand(codes: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for code in codes:
            for part in str(code).split(","):
                part = part.strip().rstrip("/")
                if not part:
                    continue
                if part in ("ALL", "all"):
                    out |= set(RULES)
                    continue
                hit = {r for r in RULES if r == part or RULES[r].family == part}
                if not hit:
                    raise SelectionError(f"unknown rule or family {part!r} (see `copydesk rules`)")
                out |= hit
        return out

    enabled = expand(select) if select else set(RULES)
    if select and not enabled:  # `--select ""` or `--select ,`: a mistake, not "run no rule"
        raise SelectionError("--select names no rule or family (see `copydesk rules`)")
    if ignore:
        enabled -= expand(ignore)
    return enabled
