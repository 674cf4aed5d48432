"""Builders of the same paragraph pairs as XLIFF 1.2, XLIFF 2.0, TMX and PO (test helper)."""
from __future__ import annotations

from xml.sax.saxutils import escape


def _po(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def xliff12(pairs, src="nl", tgt="en") -> str:
    units = "".join(f'      <trans-unit id="p{i}">\n        <source>{escape(s)}</source>\n'
                    f'        <target state="translated">{escape(t)}</target>\n      </trans-unit>\n'
                    for i, (s, t) in enumerate(pairs, 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
            f'  <file original="article.txt" source-language="{src}" target-language="{tgt}" datatype="plaintext">\n'
            f'    <body>\n{units}    </body>\n  </file>\n</xliff>\n')


def xliff20(pairs, src="nl", tgt="en") -> str:
    units = "".join(f'    <unit id="p{i}">\n      <segment>\n        <source>{escape(s)}</source>\n'
                    f'        <target>{escape(t)}</target>\n      </segment>\n    </unit>\n'
                    for i, (s, t) in enumerate(pairs, 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="{src}" trgLang="{tgt}">\n'
            f'  <file id="f1">\n{units}  </file>\n</xliff>\n')


def tmx(pairs, src="nl", tgt="en") -> str:
    tus = "".join(f'    <tu tuid="p{i}">\n      <tuv xml:lang="{src}"><seg>{escape(s)}</seg></tuv>\n'
                  f'      <tuv xml:lang="{tgt}"><seg>{escape(t)}</seg></tuv>\n    </tu>\n'
                  for i, (s, t) in enumerate(pairs, 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            f'  <header creationtool="copydesk-tests" creationtoolversion="1" segtype="paragraph" o-tmf="none" '
            f'adminlang="en" srclang="{src}" datatype="plaintext"/>\n  <body>\n{tus}  </body>\n</tmx>\n')


def po(pairs, src="nl", tgt="en") -> str:
    head = f'msgid ""\nmsgstr ""\n"Language: {tgt}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    out = [head]
    for i, (s, t) in enumerate(pairs, 1):
        # long targets wrapped over two strings, as PO editors write them
        cut = t.find(" ", len(t) // 2)
        parts = [t] if cut < 0 else [t[:cut + 1], t[cut + 1:]]
        out.append(f'\nmsgctxt "p{i}"\nmsgid "{_po(s)}"\nmsgstr ""\n' + "".join(f'"{_po(p)}"\n' for p in parts))
    return "".join(out)


BUILDERS = {"xlf": xliff12, "xliff": xliff20, "tmx": tmx, "po": po}
