"""``check``/``fix`` with a source: ``--source`` for a plain article pair, and
bilingual files (XLIFF, TMX, PO) picked by their extension."""
from __future__ import annotations

import json
import sys

from qa.services.bilingual import ALIGN_UNIT, SourceInfo, SourceLanguageError, align_plain, detect_source_language, \
    make_segment, shared_for
from qa.sources.bilingual_files import BilingualError, is_bilingual, line_col, raw_edits, read_bilingual, splice
from qa.engine.checker import FileResult, read_text, InputError
from qa.model.findings import Applicability, Finding


def add_source_args(p) -> None:
    p.add_argument("--source", metavar="SOURCE", help="the source article the (one) PATH translates")
    p.add_argument("--source-lang", metavar="L", help="language of the source (default: detected)")


def wants_bilingual(args) -> bool:
    return bool(getattr(args, "source", None)) or any(is_bilingual(p) for p in args.paths)


def _usage(msg: str):
    from qa.cli.main import UsageError

    return UsageError(msg)


def _source_lang(args, given: str | None, text: str) -> str:
    from qa.model.langs import check_language

    lang = args.source_lang or given
    if lang:
        return check_language(lang)
    try:
        return detect_source_language(text)
    except SourceLanguageError as e:
        raise _usage(str(e)) from None


class _Result:
    """One checked file: a plain target (``res``) or a bilingual file (``bf``)."""

    def __init__(self, path, res: FileResult | None = None, bf=None, per_unit=None, info=None, error=None):
        self.path, self.res, self.bf, self.per_unit, self.info, self.error = path, res, bf, per_unit or [], info, error

    @property
    def findings(self) -> list[Finding]:
        if self.res is not None:
            return self.res.findings
        return [f for _, fs in self.per_unit for f in fs]


def _check_paths(args, checker) -> list[_Result]:
    from qa.cli.main import _apply_records, _expand_paths

    paths = _expand_paths(args.paths)
    if args.source and len(paths) != 1:
        raise _usage("--source pairs one source with one target: give one PATH")
    out: list[_Result] = []
    for p in paths:
        if is_bilingual(p):
            if args.source:
                raise _usage(f"{p}: a bilingual file carries its own source; --source is for plain text targets")
            out.append(_check_bilingual(args, checker, p))
            continue
        res = checker.check_file(p)
        info = None
        if args.source and res.error is None:
            try:
                src, _, _ = read_text(args.source)
            except InputError as e:
                raise _usage(f"{args.source}: {e}") from None
            lang = _source_lang(args, None, src)
            info = align_plain(checker, src, res.text or "", lang)
            info.path = args.source
            res.findings, res.language = checker.check_text(res.text or "", p, shared=shared_for(info))
        if not getattr(args, "no_records", False):
            _apply_records([res])
        out.append(_Result(p, res=res, info=info, error=res.error))
    return out


def _check_bilingual(args, checker, path: str) -> _Result:
    try:
        bf = read_bilingual(path)
    except BilingualError as e:
        return _Result(path, error=str(e))
    lang = None
    per_unit = []
    if bf.target_lang and checker.lang not in ("auto",) and bf.target_lang != checker.lang and args.lang == "en":
        checker = _checker_for(args, checker, bf.target_lang)
    for u in bf.units:
        if lang is None:
            lang = _source_lang(args, bf.source_lang, "\n\n".join(x.source for x in bf.units))
        if not u.target.strip():
            per_unit.append((u, []))
            continue
        seg = make_segment(checker, 0, len(u.target), u.source, lang, unit=u.id)
        info = SourceInfo(lang, ALIGN_UNIT, [seg], path)
        fs, _ = checker.check_text(u.target, path, shared=shared_for(info))
        for f in fs:
            f.data = {**f.data, "unit": u.id, "offset": f.start}
            f.line, f.column = line_col(bf.raw, u.raw_offset(f.start))
        per_unit.append((u, fs))
    return _Result(path, bf=bf, per_unit=per_unit,
                   info=SourceInfo(lang or "", ALIGN_UNIT, [], path))


def _checker_for(args, checker, lang: str):
    """A bilingual file says its target language; use it unless --lang was given."""
    from qa.engine.checker import Checker
    from qa.model.langs import LanguageError, check_language

    try:
        lang = check_language(lang)
    except LanguageError:
        return checker
    return Checker(lang=lang, select=args.select, ignore=args.ignore, glossary=checker.glossary)


def _print_finding(path: str, f: Finding, text: str) -> None:
    unit = f" [unit {f.data['unit']}]" if "unit" in f.data else ""
    print(f"{path}:{f.line}:{f.column}: {f.rule} {f.message}{unit}")
    if f.fix is not None:
        rep = f.replacement if f.replacement is not None else f.fix.replacement_for(text, f.start, f.end)
        tag = "fix" if f.fix.applicability is Applicability.SAFE else "unsafe fix"
        alts = f" (or: {', '.join(repr(a) for a in f.alternatives)})" if f.alternatives else ""
        old = f.text if len(f.text) <= 60 else f.text[:57] + "…"
        new = rep if len(rep) <= 60 else rep[:57] + "…"
        print(f"  {tag}: {old!r} → {new!r}{alts}")


def cmd_check(args, checker) -> int:
    results = _check_paths(args, checker)
    if args.format == "json":
        from qa.cli.main import SCHEMA

        files = []
        for r in results:
            if r.res is not None:
                d = r.res.to_json()
            else:
                d = {"path": r.path, "language": r.bf.target_lang if r.bf else None, "error": r.error,
                     "findings": [f.to_json(u.target) for u, fs in r.per_unit for f in fs]}
            if r.info is not None:
                d["source"] = {"path": r.info.path if r.res is not None else r.path, "language": r.info.lang,
                               "alignment": r.info.alignment}
            files.append(d)
        json.dump({"schema": SCHEMA, "files": files}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    n = safe = unsafe = 0
    for r in results:
        if r.error:
            print(f"{r.path}: error: {r.error}", file=sys.stderr)
            continue
        if args.format != "json":
            if r.info is not None and r.res is not None:
                print(f"{r.path}: source {r.info.path} ({r.info.lang}), aligned by {r.info.alignment}"
                      f" ({len(r.info.segments)} segment{'s' if len(r.info.segments) != 1 else ''})")
            if r.res is not None:
                for f in r.res.findings:
                    _print_finding(r.path, f, r.res.text or "")
            else:
                for u, fs in r.per_unit:
                    for f in fs:
                        _print_finding(r.path, f, u.target)
        for f in r.findings:
            n += 1
            if f.fix is not None:
                if f.fix.applicability is Applicability.SAFE:
                    safe += 1
                else:
                    unsafe += 1
    if args.format != "json":
        if n:
            extra = f", {unsafe} more with `--unsafe`" if unsafe else ""
            print(f"Found {n} finding{'s' if n != 1 else ''} ({safe} fixable with `copydesk fix`{extra}).")
        else:
            print("All checks passed.")
    if any(r.error for r in results):
        return 2
    return 1 if n else 0


def cmd_fix(args, checker) -> int:
    from qa.engine.fixes import apply_fixes, select_fixes
    from qa.cli.main import emit_fixed

    args.no_records = False
    rc = 0
    results = _check_paths(args, checker)
    for r in results:
        if r.error:
            print(f"{r.path}: error: {r.error}", file=sys.stderr)
            rc = 2
            continue
        if r.res is not None:
            old = r.res.text or ""
            fixes = select_fixes(r.res.findings, unsafe=args.unsafe)
            new = apply_fixes(old, fixes)
            applied, left = len(fixes), len(r.res.findings) - len(fixes)
            bom = r.res.bom
        else:
            old = r.bf.raw
            edits, applied, total = [], 0, 0
            for u, fs in r.per_unit:
                total += len(fs)
                chosen = select_fixes(fs, unsafe=args.unsafe)
                es, k = raw_edits(u, chosen)
                applied += k
                edits += es
            new = splice(old, edits)
            left = total - applied
            bom = r.bf.bom
        emit_fixed(args, r.path, old, new, bom, applied, left, many=len(results) > 1)
        if left and rc == 0:
            rc = 1
    return rc
