"""Ruff-style rule documentation (``copydesk rules RULE``): What it does, Why
it matters, Example, Fix safety -- from the rule's registered data, the very
examples the test-suite runs (``tests/test_rule_examples.py``).

Fix safety is what the rule declares (``fix=`` always/sometimes/never and
``applicability=`` in its registration); the examples are checked (with the
shipped glossaries, in each example's language) and shown with the text after
their fixes, and ``tests/test_rule_examples.py`` holds every rule's findings
to its declaration, so the page cannot drift from what the code does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from qa.engine.registry import RULES, Rule, SelectionError
from qa.model.findings import Applicability, FixAvailability
from qa.rules import load_builtin_rules


@dataclass
class ExampleOutcome:
    text: str
    lang: str
    flagged: bool  # as the rule's data says
    found: bool  # as the checker found
    fixed: str | None  # the text after the fixes (safe and unsafe)
    applicability: list[str] = field(default_factory=list)
    source: str | None = None
    source_lang: str | None = None


def find_rule(rule_id: str) -> Rule:
    load_builtin_rules()
    if rule_id in RULES:
        return RULES[rule_id]
    hits = [r for r in RULES if r.endswith("/" + rule_id)]
    if len(hits) == 1:
        return RULES[hits[0]]
    raise SelectionError(f"unknown rule {rule_id!r} (see `copydesk rules`)")


def run_examples(rule: Rule) -> list[ExampleOutcome]:
    from qa.engine.fixes import apply_fixes
    from qa.project.project import Project, Settings

    projects: dict[str, Project] = {}
    out = []
    for ex in rule.examples:
        p = projects.get(ex.lang)
        if p is None:
            p = projects[ex.lang] = Project(Settings(lang=ex.lang, select=[rule.id], records=False))
        shared = None
        if ex.source is not None:
            from qa.engine.bilingual import align_plain, shared_for

            shared = shared_for(align_plain(p.checker, ex.source, ex.text, ex.source_lang))
        findings, _ = p.item_checker.check_content(ex.text, shared=shared)
        fixes = [f.fix for f in findings if f.fix is not None]
        out.append(ExampleOutcome(ex.text, ex.lang, ex.flagged, bool(findings),
                                  apply_fixes(ex.text, fixes) if fixes else None,
                                  sorted({str(x.applicability) for x in fixes}), ex.source,
                                  ex.source_lang if ex.source else None))
    return out


def fix_safety(rule: Rule) -> str:
    """The "Fix safety" paragraph, from what the rule declares (``fix=``,
    ``applicability=`` in its ``rule(...)`` registration), not from its examples."""
    if rule.fix is FixAvailability.NEVER:
        return "No fix: a reviewer decides what the text should say."
    parts = []
    kinds = rule.applicability
    if kinds == {Applicability.SAFE}:
        parts.append("The fix is safe: `copydesk fix` applies it.")
    elif kinds == {Applicability.UNSAFE}:
        parts.append("The fix is unsafe: it changes meaning or picks one of several readings, so it is "
                     "applied only with `copydesk fix --unsafe` or accepted in `copydesk review`.")
    else:
        parts.append("Sometimes safe, sometimes unsafe (depending on how certain the repair is): "
                     "`copydesk fix` applies the safe ones, `--unsafe` the rest.")
    if rule.fix is FixAvailability.SOMETIMES:
        parts.append("Not every finding has a fix: where the repair is not known, a reviewer decides.")
    return " ".join(parts)


def explain(rule_id: str) -> dict:
    rule = find_rule(rule_id)
    outcomes = run_examples(rule)
    return {"id": rule.id, "severity": str(rule.severity), "what_it_does": rule.summary,
            "why_it_matters": rule.explanation or rule.summary, "fix_safety": fix_safety(rule),
            "fix": str(rule.fix), "applicability": sorted(str(a) for a in rule.applicability),
            "examples": [o.__dict__ for o in outcomes]}


def format_text(doc: dict) -> str:
    import textwrap

    def para(s: str) -> str:
        return "\n".join(textwrap.fill(p, 88, initial_indent="  ", subsequent_indent="  ")
                         for p in s.split("\n\n") if p.strip())

    lines = [f"{doc['id']} ({doc['severity']})", "", "What it does", para(doc["what_it_does"]), "",
             "Why it matters", para(doc["why_it_matters"]), "", "Example"]
    for ex in doc["examples"]:
        mark = "flagged" if ex["found"] else "not flagged"
        src = f"  [source ({ex['source_lang']}): {ex['source']!r}]" if ex["source"] else ""
        lines.append(f"  {mark} ({ex['lang']}): {ex['text']!r}{src}")
        if ex["fixed"] is not None:
            lines.append(f"    after the fix: {ex['fixed']!r}")
    lines += ["", "Fix safety", para(doc["fix_safety"])]
    return "\n".join(lines) + "\n"
