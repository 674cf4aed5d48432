"""``copydesk rules [RULE]``: the list, or one rule's documentation."""
from __future__ import annotations

import json
import sys


def add_parsers(sub) -> None:
    r = sub.add_parser("rules", help="list the rules, or explain one",
                       description="List the rules; with RULE, print its documentation (What it does, Why it "
                                   "matters, Example, Fix safety) from the examples the test-suite runs.",
                       epilog="exit codes: 0 done, 2 unknown rule, 3 internal error")
    r.add_argument("rule", nargs="?", metavar="RULE", help="a rule id (name/near-miss) or its name (near-miss)")
    r.add_argument("--format", choices=["text", "json"], default="text")
    r.set_defaults(handler=cmd_rules)


def cmd_rules(args) -> int:
    from qa.engine.registry import RULES
    from qa.rules import load_builtin_rules

    if args.rule:
        from qa.services.rule_docs import explain, format_text

        doc = explain(args.rule)
        if args.format == "json":
            json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
            print()
        else:
            sys.stdout.write(format_text(doc))
        return 0
    load_builtin_rules()
    rows = sorted(RULES.values(), key=lambda r: r.id)
    if args.format == "json":
        json.dump([dict(id=r.id, severity=str(r.severity), summary=r.summary, explanation=r.explanation) for r in rows],
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in rows:
            print(f"{r.id:<30} {str(r.severity):<8} {r.summary}")
        print("\n`copydesk rules RULE` explains one rule.")
    return 0
