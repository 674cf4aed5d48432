"""``encoding/*``: mojibake (UTF-8 read through a wrong single-byte code page) and stray control characters."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from ftfy.fixes import unescape_html

from qa.engine.document import Document
from qa.model.findings import Applicability, Finding, Fix, Severity
from qa.text.encoding_repair import c1_readings, entity_mojibake, find_repairs, symbol_font
from qa.text.mojibake import find_controls
from qa.engine.registry import Example, check, rule

rule("encoding/mojibake", Severity.ERROR,
     "UTF-8 text that was decoded through a wrong code page (â€œ, Ã©, вЂњ, โ€œ, ‚Äú, ×‘×”, ðŸ˜€…).",
     "Each line that may hold mojibake is repaired by ftfy (`fix_and_explain`: Windows code pages "
     "1250–1257, Latin-1, Mac Roman, cp437, CESU-8 emoji, text encoded twice, UTF-8 mixed with correct "
     "text) and the result aligned with the original, one finding per repaired run with its exact span and "
     "ftfy's explanation as the message (\"UTF-8 read as Windows-1252\"). On top of it, copydesk's own "
     "repairs read cp874 (Thai, with the cp1252 fallback), KOI8-R and lost bytes: where a byte the code page "
     "has no character for was dropped or became ?, U+FFFD or a space, the bytes that could have been lost "
     "are ranked by context and word frequency; the fix is safe when only one fits, otherwise unsafe with the "
     "others as alternatives (ftfy writes U+FFFD there, or guesses a no-break space: `concernedâ€ today` → "
     "`concerned†today`). A broken run is reported on its own, whatever its neighbours: a closing "
     "quote `â€` or `โ€` beside a correct opening quote, Thai letters inside a Latin word. Correct text in "
     "any script is left alone. `data.codepage` names the code page, `data.lossy` a lost byte.",
     examples=[
         Example("It was “deeply concernedโ€ today.", True, "It was “deeply concerned” today."),
         Example("It was “deeply concernedâ€ today.", True, "It was “deeply concerned” today."),
         Example("The statement was ×‘×”×•×“×¢×” in Hebrew.", True, "The statement was בהודעה in Hebrew."),
         Example("Å veices baÅ†Ä·ieri gaida konkrÄ“tus investÄ«ciju projektus", True,
                 "Šveices baņķieri gaida konkrētus investīciju projektus", lang="lv"),
         Example("Blinken said it was โ€œdeeply concernedโ€ about the coup dรฉtat.", True,
                 "Blinken said it was “deeply concerned” about the coup détat."),
         Example("The draft communiquÃ© was â€œfinalâ€.", True, "The draft communiqué was “final”."),
         Example("Economists at a ZГјrich-based bank вЂ“ and others.", True,
                 "Economists at a Zürich-based bank – and others."),
         Example("The drone hit Zürich, São Paulo and Łódź – “again”, said Vučić.", False),
         Example("Президент заявив, що Рік тому Січень був холодним.", False, lang="uk"),
         Example("สวัสดีครับ รถไฟมาถึงกรุงเทพฯ แล้ว", False, lang="th"),
     ],
     fix="always", applicability=("safe", "unsafe"))
rule("encoding/control-character", Severity.WARNING,
     "A C1 control character (U+0080–U+009F) or a U+FFFD replacement character outside any repairable mojibake.",
     "C1 controls are usually Windows-1252 punctuation read as Latin-1 (\\x93 for “, \\x85 for …): the fix "
     "restores that reading, as ftfy's `fix_c1_controls` does (safe; unsafe inside a word). Inside a word the "
     "byte may be Mac Roman instead (`tur\\x92stico` → turístico): where the Mac Roman reading makes a known "
     "word, that is the fix, and the other in-word controls of the text follow it (unsafe). U+FFFD marks "
     "bytes that were lost; there is nothing to restore automatically.",
     examples=[
         Example("\x84Handwerk bringt dich überall hin\x93, sagte er.", True,
                 "„Handwerk bringt dich überall hin“, sagte er.", lang="de"),
         Example("The text was lost here: \ufffd.", True),
         Example("Deja dos heridos hundimiento de barco tur\x92stico en Acapulco.", True,
                 "Deja dos heridos hundimiento de barco turístico en Acapulco.", lang="es"),
         Example("An ordinary sentence – with “quotes” and an ellipsis…", False),
     ],
     fix="sometimes", applicability=("safe", "unsafe"))


_CP_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "cp874": "Windows-874 (Thai)",
             "mac_roman": "Mac Roman", "cp1251": "Windows-1251", "cp1250": "Windows-1250",
             "iso8859_2": "ISO-8859-2", "koi8_r": "KOI8-R", "cp437": "code page 437",
             "cp1257": "Windows-1257", "cp1253": "Windows-1253"}


rule("encoding/html-entity", Severity.WARNING,
     "An HTML character reference left in plain text (`&amp;`, `&quot;`, `&#8217;`, `&eacute;`).",
     "Text exported from a CMS or a feed sometimes keeps its HTML escapes. Each reference is decoded with "
     "ftfy's `unescape_html` (twice-escaped `&amp;amp;` down to `&`); the fix is safe. A document that "
     "contains markup (`<p>`, `</a>`) is left alone, as ftfy does, since there the references are meant.",
     examples=[
         Example("AT&amp;T said the deal was &quot;final&quot; &#8211; again.", True,
                 'AT&T said the deal was "final" – again.'),
         Example("The caf&eacute; in Z&uuml;rich.", True, "The café in Zürich."),
         Example("Shares of AT&T rose; R&D & sales, Q&A at 5&6.", False),
     ],
     fix="always", applicability=("safe",))
_ENTITY = re.compile(r"&(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[\s/>]")


def html_entities(text: str, apostrophe: str = "’") -> list[tuple[int, int, str]]:
    """HTML character references in plain text: (start, end, decoded), decoded with ftfy;
    ``apostrophe``: the document's own, for an inverted question mark standing for one."""
    if "&" not in text or _MARKUP.search(text):
        return []
    out = []
    for m in _ENTITY.finditer(text):
        ent, rep = m.group(), m.group()
        for _ in range(3):  # "&amp;amp;" was escaped twice
            nxt = unescape_html(rep)
            if nxt == rep:
                break
            rep = nxt
        if rep == ent or "\ufffd" in rep or any(unicodedata.category(c) == "Cc" for c in rep):
            continue
        if rep == "¿" and _between_letters(text, m.start(), m.end()):
            # "Putin&#191;s", "don&#191;t": a curly apostrophe that a converter could not map became an
            # inverted question mark (which only ever opens a Spanish question, never inside a word)
            rep = apostrophe
        out.append((m.start(), m.end(), rep))
    return out


def _between_letters(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1].isalpha() and text[end].isalpha()


@check("encoding", rules=["encoding/mojibake", "encoding/control-character", "encoding/html-entity"], order=10)
def check_encoding(doc: Document) -> Iterable[Finding]:
    text = doc.text
    enabled = doc.enabled
    paras = [(p.start, p.end) for p in doc.paragraphs]
    entities = html_entities(text, doc.apostrophe) if "&" in text else []
    repairs = find_repairs(text, paras)
    if entities:  # "10Î&frac14;s": mojibake whose bytes were escaped as well
        extra = entity_mojibake(text, entities)
        if extra:
            repairs = sorted([r for r in repairs if not any(r.start < x.end and x.start < r.end for x in extra)]
                             + extra, key=lambda r: r.start)
            entities = [e for e in entities if not any(x.start <= e[0] and e[1] <= x.end for x in extra)]
    repairs = symbol_font(repairs, text)
    if enabled is None or "encoding/mojibake" in enabled:
        for r in repairs:
            if r.replacement is None:  # a symbol-font character with no known visible equivalent
                yield Finding("encoding/mojibake", Severity.ERROR, r.start, r.end,
                              f"mojibake ({r.how}): {r.text!r}, no visible equivalent known", r.text,
                              data={"codepage": r.codepage, "lossy": r.lossy})
                continue
            app = Applicability.SAFE if r.safe else Applicability.UNSAFE
            if r.how in ("", "twice"):  # copydesk's own repair
                how = "UTF-8 read " + ("twice, " if r.how else "") + "as " + _CP_NAMES.get(r.codepage, r.codepage)
                if r.lossy:
                    how += ", a byte lost"
            else:  # ftfy's explanation
                how = r.how
            msg = f"mojibake ({how}): {r.text!r} → {r.replacement!r}"
            if r.alternatives:
                msg += " (or " + ", ".join(repr(a) for a in r.alternatives) + ")"
            yield Finding("encoding/mojibake", Severity.ERROR, r.start, r.end, msg, r.text,
                          Fix.replace(r.start, r.end, r.replacement, app), r.alternatives,
                          data={"codepage": r.codepage, "lossy": r.lossy})
    if enabled is None or "encoding/control-character" in enabled:
        controls = find_controls(text, [(r.start, r.end) for r in repairs])
        mac = c1_readings(text, controls)
        for i, c, cp1252 in controls:
            if i in mac:
                reading = mac[i][0]
                yield Finding("encoding/control-character", Severity.WARNING, i, i + 1,
                              f"C1 control U+{ord(c):04X}: Mac Roman {reading!r} read as Latin-1", c,
                              Fix.replace(i, i + 1, reading, Applicability.UNSAFE),
                              data={"codepage": "mac_roman"})
            elif c == "\ufffd":
                yield Finding("encoding/control-character", Severity.WARNING, i, i + 1,
                              "replacement character U+FFFD: the original character was lost", c)
            elif cp1252 is not None:
                # ftfy's fix_c1_controls reading; safe unless the control sits inside a word, where the
                # byte may belong to another code page (Mac Roman: tur\x92stico)
                inword = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
                yield Finding("encoding/control-character", Severity.WARNING, i, i + 1,
                              f"C1 control U+{ord(c):04X}: Windows-1252 {cp1252!r} read as Latin-1", c,
                              Fix.replace(i, i + 1, cp1252, Applicability.UNSAFE if inword else Applicability.SAFE),
                              data={"codepage": "latin-1"})
            else:
                yield Finding("encoding/control-character", Severity.WARNING, i, i + 1,
                              f"C1 control character U+{ord(c):04X}", c)
    if enabled is None or "encoding/html-entity" in enabled:
        for start, end, rep in entities:
            ent = text[start:end]
            lost = " (an apostrophe lost as ¿)" if rep in ("’", "'") and unescape_html(ent) == "¿" else ""
            yield Finding("encoding/html-entity", Severity.WARNING, start, end,
                          f"HTML character reference {ent!r} in plain text → {rep!r}{lost}", ent,
                          Fix.replace(start, end, rep, Applicability.SAFE))
