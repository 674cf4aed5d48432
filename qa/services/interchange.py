"""Glossary interchange: TBX (TBX-Basic 2008 and TBX v3) and CSV/TSV, in and out.

``copydesk glossary import FILE.tbx|.csv|.tsv [-o OUT.toml]`` and
``copydesk glossary export [PATH...] --format tbx|csv [-o OUT]``.

TBX is read with lxml (both dialects: ``termEntry``/``langSet``/``tig`` and
``conceptEntry``/``langSec``/``termSec``, with or without a namespace, DCA or
DCT style). translate-toolkit's ``tbxfile`` store (3.20) was considered and
falls short here: it reads only TBX 2008 ``termEntry``/``langSet``/``tig``
(no TBX v3 ``conceptEntry``/``langSec``/``termSec``, no DCT-style elements),
and models an entry as one source and one target language rather than the
five or more languages of a name glossary. One lxml reader serves both
dialects. CSV is the standard library's
``csv`` module (translate-toolkit's csv store is a two-column source/target
layout, not one column per language); language names in headers (memoQ's
``English_United_Kingdom``) are looked up with langcodes.

Mapping (see docs/interchange.md): the status ``preferredTerm`` /
``admittedTerm`` gives accepted forms (``forms.L``, preferred first),
``deprecatedTerm`` / ``supersededTerm`` gives wrong forms (``wrong.L``); a
term in Cyrillic is a native spelling (``native.L``); ``subjectField``
``person``/``place``/``org`` gives the kind (else ``term``); notes carry over.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qa.text.glossary import KINDS, Glossary, GlossaryError, Term, parse_glossary
from qa.model.langs import is_language_code

PREFERRED, ADMITTED, WRONG = "preferred", "admitted", "wrong"
_STATUS = {
    "preferredterm": PREFERRED, "preferred": PREFERRED, "preferredterm-admn-sts": PREFERRED,
    "admittedterm": ADMITTED, "admitted": ADMITTED, "admittedterm-admn-sts": ADMITTED, "": ADMITTED,
    "deprecatedterm": WRONG, "deprecated": WRONG, "deprecatedterm-admn-sts": WRONG,
    "supersededterm": WRONG, "supersededterm-admn-sts": WRONG, "superseded": WRONG,
    "wrong": WRONG, "forbidden": WRONG,
    # TBX's other normative authorisations: accepted spellings
    "standardizedterm": ADMITTED, "standardizedterm-admn-sts": ADMITTED, "legalterm": ADMITTED,
    "legalterm-admn-sts": ADMITTED, "regulatedterm": ADMITTED, "regulatedterm-admn-sts": ADMITTED,
}
TBX_STATUS = {PREFERRED: "preferredTerm-admn-sts", ADMITTED: "admittedTerm-admn-sts", WRONG: "deprecatedTerm-admn-sts"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_ID_BAD = re.compile(r"[^a-z0-9._-]+")


def _is_native(form: str) -> bool:
    return bool(_CYRILLIC.search(form))


def _lang(code: str, path: str, line: int | None, names: bool = False) -> str:
    """An ISO 639-1 code from ``en``, ``en-GB``, ``en_US`` or (``names``: a CSV header)
    a language name the way memoQ and MultiTerm write their column headers
    (``English``, ``English_United_States``, ``Portuguese_Brazil``), looked up in
    CLDR's names by langcodes."""
    raw = (code or "").strip()
    c = raw.replace("_", "-").split("-")[0].lower()
    if is_language_code(c):
        return c
    if names and raw and not raw[:3].islower():
        lang = _language_name(raw)
        if lang:
            return lang
    what = "a language code (ISO 639-1, e.g. en or en-GB)" + (" or a language name (English, English_United_States)"
                                                              if names else "")
    raise GlossaryError(path, line, f"{raw!r} is not {what}")


def _language_name(name: str) -> str | None:
    import langcodes

    try:
        lang = langcodes.find(name.replace("_", " ")).language
    except LookupError:
        return None
    return lang if is_language_code(lang) else None


def _status(value: str, path: str, line: int | None) -> str:
    v = (value or "").strip().lower()
    if v not in _STATUS:
        raise GlossaryError(path, line, f"unknown term status {value!r} (preferredTerm, admittedTerm, deprecatedTerm)")
    return _STATUS[v]


def _kind(value: str | None) -> str:
    v = (value or "").strip().lower()
    v = {"organization": "org", "organisation": "org", "people": "person", "location": "place"}.get(v, v)
    return v if v in KINDS else "term"


def make_id(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _ID_BAD.sub("-", s).strip("-._")
    return s or "term"


class _Entry:
    """A term being built: forms by language in status order."""

    def __init__(self, path: str, line: int):
        self.path, self.line = path, line
        self.id: str | None = None
        self.kind = "term"
        self.notes: list[str] = []
        self.terms: list[tuple[str, str, str]] = []  # (lang, form, status)
        self.problems: list[tuple[int | None, str]] = []  # (line, what was left out of this entry)
        self.regions: list[tuple[str, str]] = []  # (en-GB, colour): a variant the model keys by language only
        self.kind_given = False

    def add(self, lang: str, form: str, status: str, code: str | None = None) -> None:
        form = unicodedata.normalize("NFC", form.strip())
        if form:
            self.terms.append((lang, form, status))
            if code and code.replace("_", "-").lower() != lang:
                self.regions.append((code.replace("_", "-"), form))

    def note(self, text: str | None, label: str | None = None) -> None:
        text = " ".join((text or "").split())
        if text:
            text = f"{label}: {text}" if label else text
            if text not in self.notes:
                self.notes.append(text)

    def build(self, seen: set[str]) -> Term:
        forms: dict[str, list[str]] = {}
        native: dict[str, list[str]] = {}
        wrong: dict[str, list[str]] = {}
        for rank in (PREFERRED, ADMITTED):
            for lang, form, status in self.terms:
                if status == rank:
                    target = native if _is_native(form) else forms
                    if form not in target.setdefault(lang, []):
                        target[lang].append(form)
        for lang, form, status in self.terms:
            if status == WRONG and form not in wrong.setdefault(lang, []):
                wrong[lang].append(form)
        wrong = {k: v for k, v in wrong.items() if v}
        if not forms:
            line, why = self.problems[0] if self.problems else (self.line, "")
            raise GlossaryError(self.path, line, why or "entry has no accepted (preferred or admitted) term in Latin script")
        if self.regions:  # the glossary keys forms by language: the regions go into the note
            self.note("; ".join(f"{code} {form}" for code, form in self.regions), "regional variants")
        tid = self.id
        if tid and tid.isdigit():  # a database number (memoQ's Entry_ID, a row number) names nothing
            tid = None
        if not tid or not re.match(r"^[a-z0-9][a-z0-9._-]*$", tid):
            first = forms.get("en", next(iter(forms.values())))[0]
            tid = make_id(tid or first)
        base, n = tid, 2
        while tid in seen:
            tid, n = f"{base}-{n}", n + 1
        seen.add(tid)
        return Term(tid, self.kind, {k: tuple(v) for k, v in forms.items()},
                    {k: tuple(v) for k, v in native.items()}, {k: tuple(v) for k, v in wrong.items()},
                    "\n".join(self.notes), self.path, self.line)


# ----------------------------------------------------------------------------- TBX
def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, *names):
    return [c for c in el if _local(c) in names]


def read_tbx(data: bytes, path: str) -> list[_Entry]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        from qa.model.xmlerrors import describe

        line, col, msg = describe(e, data.decode("utf-8", "replace"))
        raise GlossaryError(path, line, f"XML syntax: {msg}" + (f" (column {col})" if col else "")) from None
    for ref in root.iter(etree.Entity):  # not expanded (no DTDs, no files fetched): never import "&xxe;" as text
        at = ref.getparent()
        raise GlossaryError(path, at.sourceline if at is not None else None,
                            f"unresolved entity reference {ref.text} (entities are not expanded; write the text itself)")
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(path, root.sourceline, f"root element <{_local(root)}> is not <martif> (TBX-Basic) or <tbx> (TBX v3)")
    entries = []
    for ent in root.iter():
        if _local(ent) not in ("termEntry", "conceptEntry"):
            continue
        e = _Entry(path, ent.sourceline or 0)
        e.id = (ent.get("id") or "").strip().lower() or None
        for c in ent.iter():
            name = _local(c)
            field = None
            if name in ("descrip", "descripGrp") and c.get("type") == "subjectField":
                field = c.text
            elif name == "subjectField":  # DCT style
                field = c.text
            if field is not None:
                kind = _kind(field)
                if kind != "term":
                    e.kind = kind
                else:
                    e.note(field, "subject field")
        for c in _children(ent, "note", "descrip"):
            _entry_note(e, c)
        for ls in _children(ent, "langSet", "langSec"):
            code = ls.get(XML_LANG) or ls.get("lang")
            if not code:
                e.problems.append((ls.sourceline, f"<{_local(ls)}> without xml:lang"))
                continue
            try:
                lang = _lang(code, path, ls.sourceline)
            except GlossaryError as err:
                e.problems.append((err.line, err.message))
                continue
            for c in _children(ls, "note", "descrip"):  # language-level notes and definitions
                _entry_note(e, c, lang)
            for ts in _children(ls, "tig", "termSec", "ntig"):
                term_el = next((x for x in ts.iter() if _local(x) == "term"), None)
                if term_el is None or not "".join(term_el.itertext()).strip():
                    e.problems.append((ts.sourceline, f"<{_local(ts)}> without a <term>"))
                    continue
                form = "".join(term_el.itertext())
                status = ""
                for x in ts.iter():
                    if _local(x) == "termNote" and x.get("type") in ("administrativeStatus", "normativeAuthorization"):
                        status = x.text or ""
                    elif _local(x) == "administrativeStatus":  # TBX v3 DCT style
                        status = x.text or ""
                    elif (_local(x) == "termNote" and x.get("type") == "partOfSpeech") or _local(x) == "partOfSpeech":
                        e.note(f"{code} {form.strip()}: {x.text or ''}".strip(), "part of speech")
                try:
                    st = _status(status, path, ts.sourceline)
                except GlossaryError as err:
                    e.problems.append((err.line, f"term {form.strip()!r}: {err.message}"))
                    continue
                e.add(lang, form, st, code)
                for x in ts:
                    if _local(x) == "note" and (x.text or "").strip():
                        e.note(x.text)
        entries.append(e)
    if not entries:
        raise GlossaryError(path, root.sourceline, "no termEntry or conceptEntry")
    return entries


def _entry_note(e: _Entry, c, lang: str | None = None) -> None:
    """An entry's (or, with ``lang``, a language section's) note or description:
    a definition, a usage note… kept in the term's note."""
    text = " ".join("".join(c.itertext()).split())
    if not text:
        return
    kind = c.get("type") or ""
    if _local(c) == "descrip" and kind == "subjectField":
        return
    label = None if _local(c) == "note" or kind == "definition" else kind
    if lang:
        label = f"{lang} {label}" if label else lang
    e.note(text, label)


def write_tbx(g: Glossary, dialect: str = "basic") -> bytes:
    """TBX-Basic (``martif``, the 2008 dialect) or TBX v3 Basic (``dialect="v3"``)."""
    from lxml import etree

    v3 = dialect == "v3"
    ns = f"{{{TBX3_NS}}}" if v3 else ""
    if v3:
        root = etree.Element(ns + "tbx", nsmap={None: TBX3_NS}, type="TBX-Basic", style="dca")
        header = etree.SubElement(root, ns + "tbxHeader")
    else:
        root = etree.Element("martif", type="TBX-Basic")
        header = etree.SubElement(root, "martifHeader")
    root.set(XML_LANG, "en")
    fd = etree.SubElement(header, ns + "fileDesc")
    sd = etree.SubElement(fd, ns + "sourceDesc")
    etree.SubElement(sd, ns + "p").text = "exported by copydesk from " + ", ".join(g.names or ["a glossary"])
    body = etree.SubElement(etree.SubElement(root, ns + "text"), ns + "body")
    for t in g.terms:
        # an XML ID must not start with a digit; "_" is dropped again on import (make_id)
        xid = t.id if t.id[:1].isalpha() else "_" + t.id
        ent = etree.SubElement(body, ns + ("conceptEntry" if v3 else "termEntry"), id=xid)
        if t.kind != "term":
            etree.SubElement(ent, ns + "descrip", type="subjectField").text = t.kind
        if t.note:
            etree.SubElement(ent, ns + "note").text = t.note
        langs = list(dict.fromkeys([*t.forms, *t.native, *t.wrong]))
        for lang in langs:
            ls = etree.SubElement(ent, ns + ("langSec" if v3 else "langSet"))
            ls.set(XML_LANG, lang)
            rows = [(f, PREFERRED if i == 0 else ADMITTED) for i, f in enumerate(t.forms.get(lang, ()))]
            rows += [(f, PREFERRED if i == 0 else ADMITTED) for i, f in enumerate(t.native.get(lang, ()))]
            rows += [(f, WRONG) for f in t.wrong.get(lang, ())]
            for form, status in rows:
                tig = etree.SubElement(ls, ns + ("termSec" if v3 else "tig"))
                etree.SubElement(tig, ns + "term").text = form
                etree.SubElement(tig, ns + "termNote", type="administrativeStatus").text = TBX_STATUS[status]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ----------------------------------------------------------------------------- CSV / TSV
ID_COLS = {"id", "entry id", "entry_id", "concept id", "conceptid"}
KIND_COLS = {"kind", "type", "subject", "subject field", "subjectfield", "domain"}
STATUS_COLS = {"status", "administrative status", "administrativestatus", "term status"}
NOTE_COLS = {"note", "notes", "comment", "comments", "definition", "description"}
# Google Cloud Translation glossaries (equivalent term sets) have "pos" and "description" columns
SKIP_COLS = {"pos", "part of speech", "partofspeech"}
SYNONYM_SEP = re.compile(r"\s*[;|]\s*")


# memoQ's CSV export (docs.memoq.com, "Term base in CSV format"): entry-level columns
# Entry_ID, Entry_Subject, Entry_Domain, Entry_ClientID, ..., Entry_Note, then per language
# <Language>_Def (the definition) and, per term, <Language>, Term_Info, Term_Example.
# Term_Info packs memoQ's term properties (case sensitivity, matching, forbidden) in a coded
# value whose layout memoQ does not document for other tools, so it is not read: a memoQ CSV
# gives accepted terms; export TBX (or add a status column) to carry forbidden terms as wrong forms.
MEMOQ_ROLES = {"entry_id": "id", "entry_subject": "kind", "entry_domain": "kind", "entry_note": "note",
               "term_info": "skip", "term_example": "skip"}


def _csv_roles(header: list[str], path: str) -> list[tuple[str, str | None]]:
    roles: list[tuple[str, str | None]] = []
    for h in header:
        k = h.lower()
        if k in ID_COLS:
            roles.append(("id", None))
        elif k in KIND_COLS:
            roles.append(("kind", None))
        elif k in STATUS_COLS:
            roles.append(("status", None))
        elif k in NOTE_COLS:
            roles.append(("note", None))
        elif k in MEMOQ_ROLES:
            roles.append((MEMOQ_ROLES[k], None))
        elif k.startswith("entry_") or k in SKIP_COLS or not h:
            roles.append(("skip", None))  # memoQ's dates, creator, client, project
        elif k.endswith("_def") and _language_name(h[:-4]):
            roles.append(("note", None))  # memoQ's definition of the entry in that language
        else:
            roles.append(("lang", _lang(h, path, 1, names=True)))
    if not any(r == "lang" for r, _ in roles):
        raise GlossaryError(path, 1, "no language column in the header (expected codes like en, de, uk)")
    return roles


def read_csv(text: str, path: str, delimiter: str) -> list[_Entry]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]  # line_num: the row's last line (quoted newlines)
    except csv.Error as e:
        raise GlossaryError(path, reader.line_num or 1, f"CSV syntax: {e}") from None
    if not rows or not any(c.strip() for c in rows[0][1]):
        raise GlossaryError(path, 1, "empty file: a header row with language codes is needed")
    header = [h.strip() for h in rows[0][1]]
    roles = _csv_roles(header, path)
    by_id: dict[str, _Entry] = {}
    entries: list[_Entry] = []
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise GlossaryError(path, line, f"{len(row)} fields, but the header has {len(header)}")
        vals: dict[str, list[str]] = {}
        for (r, _), v in zip(roles, row):
            if r not in ("lang", "skip") and v.strip():
                vals.setdefault(r, []).append(v.strip())
        status = _status(vals.get("status", [""])[0], path, line)
        tid = vals.get("id", [""])[0].lower() or None
        e = by_id.get(tid) if tid else None
        if e is None:
            if status == WRONG and tid is None:
                raise GlossaryError(path, line, "a deprecated row needs an id (column 'id') naming its entry")
            e = _Entry(path, line)
            e.id = tid
            entries.append(e)
            if tid:
                by_id[tid] = e
        if any(r == "kind" for r, _ in roles):
            e.kind_given = True
        if vals.get("kind"):
            e.kind = _kind(vals["kind"][0])
        for note in vals.get("note", []):
            if note not in e.notes:
                e.notes.append(note)
        for (role, lang), cell in zip(roles, row):
            if role == "lang" and cell.strip():
                for i, form in enumerate(SYNONYM_SEP.split(cell.strip())):
                    e.add(lang, form, ADMITTED if (status == PREFERRED and i) else status)
    if not entries:
        raise GlossaryError(path, 2, "no entries below the header")
    return entries


def write_csv(g: Glossary, delimiter: str = ",") -> str:
    langs = list(dict.fromkeys(lang for t in g.terms for d in (t.forms, t.native, t.wrong) for lang in d))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(["id", "kind", "status", *langs, "note"])
    for t in g.terms:
        # native spellings go with their language, after the accepted forms
        w.writerow([t.id, t.kind, "preferred",
                    *["; ".join([*t.forms.get(L, ()), *t.native.get(L, ())]) for L in langs], t.note])
        if t.wrong:
            w.writerow([t.id, "", "deprecated", *["; ".join(t.wrong.get(L, ())) for L in langs], ""])
    return buf.getvalue()


# ----------------------------------------------------------------------------- TOML out
def _toml_str(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_val(v: tuple[str, ...]) -> str:
    return _toml_str(v[0]) if len(v) == 1 else "[" + ", ".join(_toml_str(x) for x in v) + "]"


def to_toml(terms: list[Term], name: str) -> str:
    out = ["[glossary]", f"name = {_toml_str(name)}", "format = 1", ""]
    for t in terms:
        out += ["[[term]]", f"id = {_toml_str(t.id)}", f"kind = {_toml_str(t.kind)}"]
        for key, table in (("forms", t.forms), ("native", t.native), ("wrong", t.wrong)):
            out += [f"{key}.{lang} = {_toml_val(v)}" for lang, v in table.items()]
        if t.origin:
            out.append(f"origin = {_toml_str(t.origin)}")
        if t.note:
            out.append(f"note = {_toml_str(t.note)}")
        out.append("")
    return "\n".join(out)


@dataclass
class ImportResult:
    """What ``glossary import`` made of a file: the format-1 text, the entries
    left out (line, id, why), the terms of an entry left out while the rest of
    the entry came in, and the kinds inferred for a CSV without a kind column."""

    toml: str
    terms: int
    skipped: list[tuple[int | None, str, str]] = field(default_factory=list)
    partial: list[tuple[int | None, str, str]] = field(default_factory=list)
    inferred: dict[str, list[str]] = field(default_factory=dict)  # kind -> term ids

    def summary(self, path: str) -> list[str]:
        """One line for each thing the user should know, for standard error."""
        out = [f"{path}: imported {self.terms} entr{'y' if self.terms == 1 else 'ies'}"
               + (f", skipped {len(self.skipped)}" if self.skipped else "")]
        for line, tid, why in self.skipped:
            out.append(f"{path}:{line or '?'}: skipped entry {tid}: {why}")
        for line, tid, why in self.partial:
            out.append(f"{path}:{line or '?'}: entry {tid}: left out {why}")
        for kind, ids in self.inferred.items():
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            out.append(f"{path}: kind inferred as {kind} for {len(ids)} entr{'y' if len(ids) == 1 else 'ies'} "
                       f"(two or more capitalised words starting with a known given name): {shown}")
        return out


def _given_names() -> frozenset[str]:
    """Folded given names the loaded glossaries know: the first word of every
    multi-word spelling of a person, in every language they list."""
    from qa.text.glossary import load_glossaries
    from qa.text.translit import fold

    out = set()
    for t in load_glossaries().terms:
        if t.kind == "person":
            for forms in (*t.forms.values(), *t.wrong.values()):
                for f in forms:
                    words = f.split()
                    if len(words) >= 2 and words[0][:1].isupper():
                        out.add(fold(words[0]))
    return frozenset(out)


def infer_kind(e: _Entry, given: frozenset[str]) -> str | None:
    """``person`` when a Latin-script spelling of the entry is two or more
    capitalised words whose first is a known given name; None when the data
    do not tell."""
    from qa.text.translit import fold

    for _lang, form, status in e.terms:
        if status == WRONG or _is_native(form):
            continue
        words = form.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and fold(words[0]) in given:
            return "person"
    return None


def import_glossary(path: str | Path, kind: str | None = None) -> str:
    """The format-1 TOML text of a TBX, CSV or TSV glossary (validated by the format-1 parser)."""
    return import_glossary_report(path, kind).toml


def import_glossary_report(path: str | Path, kind: str | None = None) -> ImportResult:
    """Convert a TBX, CSV or TSV glossary. A TBX entry that cannot be read
    (an unknown status, an empty ``<term/>``, an unknown language, no
    accepted spelling) is left out and reported, and the rest comes in; a file
    with no usable entry at all is an error. ``kind`` (person, place, org,
    term) is the kind of every entry of a CSV without a kind column; without
    it the kind is inferred where the data allow."""
    p = Path(path)
    if kind is not None and kind not in KINDS:
        raise GlossaryError(str(p), None, f"--kind {kind!r}: use one of {', '.join(sorted(KINDS))}")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(str(p), None, "no such file") from None
    except OSError as e:
        raise GlossaryError(str(p), None, f"cannot read: {e.strerror or e}") from None
    suffix = p.suffix.lower()
    has_kind = True
    if suffix in (".tbx", ".xml"):
        entries = read_tbx(data, str(p))
    elif suffix in (".csv", ".tsv", ".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[:e.start].count(b"\n") + 1
            raise GlossaryError(str(p), line, "not valid UTF-8") from None
        delim = "\t" if suffix == ".tsv" or (suffix == ".txt" and "\t" in text.split("\n", 1)[0]) else ","
        if suffix == ".csv" and ";" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0]:
            delim = ";"  # spreadsheets in many locales save CSV with semicolons
        entries = read_csv(text, str(p), delim)
        has_kind = any(e.kind_given for e in entries)
    else:
        raise GlossaryError(str(p), None, f"unknown glossary format {suffix or '(no extension)'!r}: use .tbx, .csv or .tsv")
    result = ImportResult("", 0)
    if not has_kind:
        given = _given_names() if kind is None else frozenset()
        for e in entries:
            k = kind or infer_kind(e, given)
            if k:
                e.kind = k
                if kind is None:
                    result.inferred.setdefault(k, [])
    seen: set[str] = set()
    terms = []
    first_error = None
    for e in entries:
        try:
            t = e.build(seen)
        except GlossaryError as err:
            first_error = first_error or err
            result.skipped.append((err.line, e.id or f"at line {e.line}", err.message))
            continue
        terms.append(t)
        for line, why in e.problems:
            result.partial.append((line, t.id, why))
        if not has_kind and kind is None and e.kind != "term":
            result.inferred[e.kind].append(t.id)
    if not terms:
        raise first_error or GlossaryError(str(p), None, "no usable entry")
    toml = to_toml(terms, p.stem)
    try:
        parse_glossary(toml, str(p))
    except GlossaryError as err:  # report it at the entry of the source file
        m = re.search(r"term '([^']+)'", err.message)
        t = next((t for t in terms if m and t.id == m.group(1)), None)
        raise GlossaryError(str(p), t.line if t else None, err.message) from None
    result.toml, result.terms = toml, len(terms)
    result.inferred = {k: v for k, v in result.inferred.items() if v}
    return result
