"""``name/*``: names that differ from the glossary's spelling for the target language."""
from __future__ import annotations

from typing import Iterable

from qa.engine.document import Document
from qa.text.index import ACCEPTED, WRONG
from qa.model.findings import Applicability, Finding, Fix, Severity
from qa.engine.name_matcher import match_names
from qa.text.name_plans import APOSTROPHES, GENITIVE, NameMatch, genitive
from qa.engine.registry import Example, check, rule
from qa.model.langs import language_name

rule("name/wrong-form", Severity.ERROR, "A spelling the glossary lists as wrong for the target language.",
     "`wrong.L` forms of a term are flagged in text of language L and replaced by the preferred `forms.L`.",
     examples=[Example("Officials in Kiev said so.", True, "Officials in Kyiv said so."),
               Example("Officials in Kyiv said so.", False)],
     fix="always", applicability=("safe",))
rule("name/transliteration", Severity.ERROR,
     "Another language's spelling of a name (Koeleba, Poutine, Selenskyj) or a Russian-based spelling of a Ukrainian name (Lugansk).",
     "Computed from the term's native spellings with each press language's transliteration table, plus the "
     "forms the glossary gives for other languages, plus close spellings that share a skeleton key with them, "
     "and names with a Russian or Ukrainian case ending (Trampov, Irpeni, Voronezha). A spelling accepted in the target language is never "
     "flagged. A computed spelling that is also a common word (Tramp, Baden) needs support (the given name, a "
     "role, the word established elsewhere in the article); a place name inside a name of its own keeps its "
     "spelling (Rossiya 1, Vechernyaya Moskva, the cruiser “Moskva”); a glossary form with punctuation "
     "(Odessa, Texas) is matched as a whole and wins for the whole article.",
     examples=[Example("Foreign Minister Koeleba said no.", True, "Foreign Minister Kuleba said no."),
               Example("KOELEBA SAID NO.", True, "KULEBA SAID NO."),
               Example("In the east, Lugansk was shelled.", True, "In the east, Luhansk was shelled."),
               Example("Foreign Minister Kuleba said no.", False),
               Example("He spoke on the Rossiya 1 channel.", False),
               Example("The rally in Odessa, Texas, drew crowds.", False),
               Example("Außenminister Kuleba und Präsident Selenskyj.", False, lang="de")],
     fix="always", applicability=("safe", "unsafe"))
rule("name/near-miss", Severity.ERROR,
     "A capitalised word one edit away from a glossary name, not itself a known name or a common word (Glinken → Blinken).",
     "Found through deletion neighbours of the accepted spellings. One edit is weak evidence on its own, so "
     "the article must support it (qa/text/evidence.py): the term mentioned elsewhere, the term's own given name "
     "in any spelling before it (Sergey Sobyamin), a role that the glossary note gives the term (Moscow mayor, "
     "US President), a reporting verb after a news agency (TAS reports), or no dictionary of the press "
     "languages knowing the word. Against it: another given name or a longer name before it (Nick Faldo, "
     "Sports Hochi), which then holds for the whole article; words of the target language; demonyms and "
     "derived words (Schwedin). Also found: acronyms with a dropped double letter (TAS), surnames cut short "
     "after the given name (Alexei Navaln). The message says what the evidence was. When the given name is "
     "a foreign spelling too, the fix covers the whole name. When several names are equally close the fix is "
     "unsafe and the others are listed as alternatives.",
     examples=[Example("He met Glinken in Stockholm.", True, "He met Blinken in Stockholm."),
               Example("Moscow mayor Sergey Sobyamin spoke.", True, "Moscow mayor Sergei Sobyanin spoke."),
               Example("First lady Olena Zelenska spoke.", False),
               Example("The golfer Nick Faldo won.", False),
               Example("He met Blinken in Stockholm.", False)],
     fix="always", applicability=("safe", "unsafe"))
rule("name/possessive", Severity.ERROR,
     "A genitive written the way another language writes it: English `Putins statements` → `Putin’s statements`; German `Putin's Rede` → `Putins Rede`.",
     "English adds an apostrophe (the one the document uses, ’ or '); German, Dutch and the Scandinavian "
     "languages write the genitive s without one after most names.",
     examples=[Example("He replied to Putins statements.", True, "He replied to Putin’s statements."),
               Example("He replied to Putin’s statements.", False),
               Example("Putin's Rede war lang.", True, "Putins Rede war lang.", lang="de"),
               Example("Putins Rede war lang.", False, lang="de")],
     fix="always", applicability=("safe",))


def _case_like(orig: str, rep: str) -> str:
    if len(orig) > 1 and orig.isupper():
        return rep.upper()
    return rep


def _describe(source: str, target_lang: str, term) -> str:
    if source.startswith("wrong."):
        return f"listed as a wrong {language_name(source[6:])} spelling" if source[6:] != target_lang else "listed as wrong"
    if source.startswith("forms."):
        return f"the {language_name(source[6:])} spelling"
    if source.startswith("native."):
        src, press = source[7:].split("→")
        native = term.native.get(src, ("",))[0]
        if press == target_lang:
            if src == "ru" and ("uk" in term.native or "be" in term.native):
                return f"the Russian-based spelling (from {native})"
            return f"a non-standard {language_name(press)} spelling (from {native})"
        return f"the {language_name(press)} press spelling (from {language_name(src)} {native})"
    if source == "skeleton":
        return "a foreign spelling"
    return "a variant spelling"


def _genitive(name: str, lang: str, apostrophe: str) -> str:
    return genitive(name, lang, apostrophe)


def _findings_for(doc: Document, m: NameMatch) -> Iterable[Finding]:
    lang = doc.lang
    term = m.shape.term
    pref = m.shape.replacement
    apostrophe = doc.apostrophe
    if m.kind == "typo":
        ranked = m.data["ranked"]
        t = m.tokens[0]
        reps: list[str] = []
        for shape, pos, target in ranked:
            tok = shape.preferred_token(pos) if shape.preferred else None
            # the accepted spelling that was one edit away, as the glossary writes it
            written = shape.positions[pos][target].text
            r = _case_like(t.text, written)
            if m.genitive:
                r = _genitive(r, lang, apostrophe)
            if r not in reps:
                reps.append(r)
        safe = len(reps) == 1 and len(t.key) >= 5
        start = t.start
        given = m.data.get("given")
        if given is not None:  # Sergey Sobanin -> Sergei Sobyanin: the whole name
            start = given.start
            whole = " ".join(m.data["full"].preferred)
            reps = [_genitive(whole, lang, apostrophe) if m.genitive else whole] + reps[1:]
        because = m.data.get("because")
        f = Finding("name/near-miss", Severity.ERROR, start, t.end,
                    f"‘{doc.text[start:t.end]}’ is not a known name; did you mean ‘{reps[0]}’ ({ranked[0][0].term.id})?"
                    + (f" ({because})" if because else ""),
                    fix=Fix.replace(start, t.end, reps[0], Applicability.SAFE if safe else Applicability.UNSAFE),
                    alternatives=tuple(reps[1:]), term=ranked[0][0].term.id,
                    data={"kind": "typo"})
        yield f
        return
    if m.kind == "skeleton":
        t = m.tokens[0]
        pos = m.data["pos"]
        tok = m.shape.preferred_token(pos) if m.shape.preferred else m.shape.replacement
        rep = _case_like(t.text, tok)
        start = t.start
        if m.data.get("given") is not None:
            start = m.data["given"].start
            rep = " ".join(m.data["full"].preferred)
        if m.genitive:
            rep = _genitive(rep, lang, apostrophe)
        yield Finding("name/transliteration", Severity.ERROR, start, t.end,
                      f"‘{t.text}’ looks like a foreign spelling of {pref}; {language_name(lang)} uses ‘{tok}’"
                      + (" with an apostrophe genitive" if m.genitive else "")
                      + (f" ({m.data['because']})" if m.data.get("because") else ""),
                      fix=Fix.replace(t.start, t.end, rep, Applicability.UNSAFE),
                      term=term.id, data={"kind": "skeleton"})
        return
    flagged = [j for j, s in enumerate(m.statuses) if s != ACCEPTED]
    if not flagged and not m.genitive:
        return
    if flagged:
        if m.shape.preferred:
            a, b = flagged[0], flagged[-1]
            parts = []
            for j in range(a, b + 1):
                t = m.tokens[j]
                if m.statuses[j] == ACCEPTED:
                    parts.append(t.text if not (m.genitive and j == len(m.tokens) - 1) else t.text[:-1])
                else:
                    parts.append(_case_like(t.text, m.shape.preferred[j]))
            start, end = m.tokens[a].start, m.tokens[b].end
            seps = [doc.text[m.tokens[j].end:m.tokens[j + 1].start] for j in range(a, b)]
            rep = parts[0] + "".join(sep + p for sep, p in zip(seps, parts[1:]))
            if m.genitive and b == len(m.tokens) - 1:
                rep = _genitive(rep, lang, apostrophe)
            elif m.genitive:  # genitive on an accepted last token after the flagged ones
                end = m.end
                rep = rep + doc.text[m.tokens[b].end:m.tokens[-1].start] + _genitive(m.tokens[-1].text[:-1], lang, apostrophe)
        else:
            start, end = m.start, m.end
            rep = _case_like(doc.text[start:end], pref)
            if m.genitive:
                rep = _genitive(rep, lang, apostrophe)
        text = doc.text
        if GENITIVE.get(lang) == "s" and not m.genitive and end == m.end and text[end:end + 1] in APOSTROPHES \
                and text[end + 1:end + 2] == "s" and not text[end + 2:end + 3].isalpha():
            end += 2  # Putin's woordvoerder -> Poetins woordvoerder: the genitive of the target
            rep = _genitive(rep, lang, apostrophe)
            gen_added = True
        else:
            gen_added = False
        wrong_src = next(m.sources[j] for j in flagged)
        rid = "name/wrong-form" if any(m.statuses[j] == WRONG for j in flagged) else "name/transliteration"
        flagged_text = doc.text[start:end - 2 if gen_added else end]
        msg = f"‘{flagged_text}’ is {_describe(wrong_src, lang, term)}; {language_name(lang)} uses ‘{pref}’"
        if m.genitive or gen_added:
            msg += f" and the genitive ‘{rep}’"
        if m.data and m.data.get("because"):
            msg += f" ({m.data['because']})"
        yield Finding(rid, Severity.ERROR, start, end, msg,
                      fix=Fix.replace(start, end, rep, Applicability.SAFE), term=term.id,
                      data={"source": wrong_src})
        return
    # all accepted, genitive only: right in German (Putins), a leak in English (Putins -> Putin’s)
    t = m.tokens[-1]
    rep = _genitive(t.text[:-1], lang, apostrophe)
    if rep.replace("'", "’") == t.text.replace("'", "’"):
        return
    how = "with an apostrophe" if apostrophe in rep else "like this"
    yield Finding("name/possessive", Severity.ERROR, t.start, t.end,
                  f"‘{t.text}’: {language_name(lang)} writes the genitive {how}: ‘{rep}’",
                  fix=Fix.replace(t.start, t.end, rep, Applicability.SAFE), term=term.id)


def _apostrophe_s(doc: Document, m: NameMatch) -> Iterable[Finding]:
    """German/Dutch style targets: Putin's / Putin’s -> Putins."""
    text = doc.text
    end = m.end
    if end + 2 > len(text) or text[end] not in APOSTROPHES or text[end + 1] != "s":
        return
    if end + 2 < len(text) and text[end + 2].isalpha():
        return
    last = m.tokens[-1].text
    if doc.lang == "nl" and last[-1:].lower() in "aeiouyé":
        return  # Dutch: Koeleba's is right
    if last[-1:].lower() in "sxzß":
        return
    rep = genitive(last, doc.lang, doc.apostrophe)
    yield Finding("name/possessive", Severity.ERROR, m.tokens[-1].start, end + 2,
                  f"‘{text[m.tokens[-1].start:end + 2]}’: {language_name(doc.lang)} writes the genitive without an apostrophe: ‘{rep}’",
                  fix=Fix.replace(m.tokens[-1].start, end + 2, rep, Applicability.SAFE),
                  term=m.shape.term.id)


_PLURAL_BEFORE = {"the", "both", "two", "three", "all", "de", "die", "der", "het"}


@check("names", rules=["name/wrong-form", "name/transliteration", "name/near-miss", "name/possessive"], order=20,
       uses=("name_matches",))
def check_names(doc: Document) -> Iterable[Finding]:
    if doc.index is None:
        return
    style = GENITIVE.get(doc.lang)
    for m in match_names(doc):
        if m.genitive:
            before = doc.text[max(0, m.start - 6):m.start].split()
            if before and before[-1].lower() in _PLURAL_BEFORE:
                continue  # "the Kennedys": a plural, not a genitive
        yield from _findings_for(doc, m)
        if style == "s" and all(s == ACCEPTED for s in m.statuses):
            yield from _apostrophe_s(doc, m)
