"""``encoding/*``: mojibake (UTF-8 read through a wrong single-byte code page) and stray control characters."""
from __future__ import annotations

from typing import Iterable

from ..document import Document
from ..model import Applicability, Finding, Fix, Severity
from ..encoding_repair import c1_readings, find_repairs
from ..mojibake import find_controls
from ..registry import Example, check, rule

rule("encoding/mojibake", Severity.ERROR,
     "UTF-8 text that was decoded through a wrong single-byte code page (â€œ, Ã©, вЂњ, โ€œ, ‚Äú…).",
     "Runs of characters whose bytes in cp1252/latin-1, cp874 (Thai, with the cp1252 fallback), mac-roman, "
     "cp1251, cp1250, ISO-8859-2, KOI8-R, cp437, cp1257 or cp1253 form valid UTF-8 are decoded back. The code "
     "page is chosen per paragraph; a paragraph is repaired only when the mojibake explains more of it than the "
     "non-ASCII text left unexplained, so genuine Thai, Cyrillic, Greek or accented Latin is left alone. Where "
     "a byte the code page has no character for was lost, the candidates are ranked by context: the fix is safe "
     "when only one fits, otherwise unsafe with the others as alternatives. `data.codepage` names the code page.",
     examples=[
         Example("Blinken said it was โ€œdeeply concernedโ€ about the coup dรฉtat.", True,
                 "Blinken said it was “deeply concerned” about the coup détat."),
         Example("The draft communiquÃ© was â€œfinalâ€.", True, "The draft communiqué was “final”."),
         Example("Economists at a ZГјrich-based bank вЂ“ and others.", True,
                 "Economists at a Zürich-based bank – and others."),
         Example("The drone hit Zürich, São Paulo and Łódź – “again”, said Vučić.", False),
         Example("Президент заявив, що Рік тому Січень був холодним.", False, lang="uk"),
         Example("สวัสดีครับ รถไฟมาถึงกรุงเทพฯ แล้ว", False, lang="th"),
     ])
rule("encoding/control-character", Severity.WARNING,
     "A C1 control character (U+0080–U+009F) or a U+FFFD replacement character outside any repairable mojibake.",
     "C1 controls are usually Windows-1252 punctuation read as Latin-1 (\\x93 for “, \\x85 for …): the fix "
     "restores that reading (unsafe: a reviewer should look). U+FFFD marks bytes that were lost; there is "
     "nothing to restore automatically.",
     examples=[
         Example("\x84Handwerk bringt dich überall hin\x93, sagte er.", True,
                 "„Handwerk bringt dich überall hin“, sagte er.", lang="de"),
         Example("The text was lost here: \ufffd.", True),
         Example("An ordinary sentence – with “quotes” and an ellipsis…", False),
     ])


_CP_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "cp874": "Windows-874 (Thai)",
             "mac_roman": "Mac Roman", "cp1251": "Windows-1251", "cp1250": "Windows-1250",
             "iso8859_2": "ISO-8859-2", "koi8_r": "KOI8-R", "cp437": "code page 437",
             "cp1257": "Windows-1257", "cp1253": "Windows-1253"}


@check("encoding", rules=["encoding/mojibake", "encoding/control-character"], order=10)
def check_encoding(doc: Document) -> Iterable[Finding]:
    text = doc.text
    enabled = doc.shared.get("enabled")
    paras = [(p.start, p.end) for p in doc.paragraphs]
    repairs = find_repairs(text, paras)
    if enabled is None or "encoding/mojibake" in enabled:
        for r in repairs:
            app = Applicability.SAFE if r.safe else Applicability.UNSAFE
            how = r.how or "UTF-8 read as " + _CP_NAMES.get(r.codepage, r.codepage)
            if r.lossy and not r.how:
                how += ", a byte lost"
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
                yield Finding("encoding/control-character", Severity.WARNING, i, i + 1,
                              f"C1 control U+{ord(c):04X}: Windows-1252 {cp1252!r} read as Latin-1", c,
                              Fix.replace(i, i + 1, cp1252, Applicability.UNSAFE),
                              data={"codepage": "latin-1"})
            else:
                yield Finding("encoding/control-character", Severity.WARNING, i, i + 1,
                              f"C1 control character U+{ord(c):04X}", c)
