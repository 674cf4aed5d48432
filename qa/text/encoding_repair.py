"""All encoding repairs of a text: ftfy's, and copydesk's own lossy ones on top.

ftfy (``fix_and_explain``) knows many more mixed-up encodings than we do (Windows
code pages 1250–1257, Mac Roman, cp437, CESU-8 emoji, text encoded twice, UTF-8
mixed with correct text) and names the steps it took. It repairs whole strings,
though, and gives no spans; so each line that may hold mojibake is fixed by ftfy
and the result aligned with the original to get one run per repaired
stretch, each explained by ftfy again on its own.

ftfy falls short where a byte was lost: it writes U+FFFD (``â€�`` → ``�``),
or guesses a NBSP (``concernedâ€ today`` → ``concerned†today``), and it cannot
read cp874 (Thai) with lost bytes at all. copydesk's own repairs
(:mod:`qa.text.mojibake`) rank the bytes that could have been lost by context; where
both read the same stretch, ftfy wins unless it had to guess a lost byte.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable

import ftfy
from ftfy import chardata

from qa.text.mojibake import Repair, _word_score, find_mojibake

__all__ = ["find_repairs", "ftfy_repairs", "explain_steps", "c1_readings"]

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # entities are their own rule (encoding/html-entity)
    fix_c1_controls=False,  # lone C1 controls: encoding/control-character, with Mac Roman readings
    fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False,  # not errors in an article
    fix_line_breaks=False, remove_terminal_escapes=False, remove_control_chars=False,
    normalization=None,
)

# ftfy's encoding names -> copydesk's code-page labels (``data.codepage``) and readable names
_LABEL = {
    "latin-1": "latin-1", "sloppy-windows-1252": "cp1252", "sloppy-windows-1251": "cp1251",
    "sloppy-windows-1250": "cp1250", "sloppy-windows-1253": "cp1253", "sloppy-windows-1254": "cp1254",
    "sloppy-windows-1257": "cp1257", "iso-8859-2": "iso8859_2", "macroman": "mac_roman", "cp437": "cp437",
}
_NAME = {
    "latin-1": "Latin-1", "sloppy-windows-1252": "Windows-1252", "sloppy-windows-1251": "Windows-1251",
    "sloppy-windows-1250": "Windows-1250", "sloppy-windows-1253": "Windows-1253",
    "sloppy-windows-1254": "Windows-1254", "sloppy-windows-1257": "Windows-1257",
    "iso-8859-2": "ISO-8859-2", "macroman": "Mac Roman", "cp437": "code page 437",
}
_LOSSY_STEPS = {"restore_byte_a0", "replace_lossy_sequences"}


def _gate() -> tuple[re.Pattern, ...]:
    """A cheap test for a line ftfy might change: a character that is a UTF-8 lead byte in one of
    ftfy's code pages followed by one that is a continuation byte, a C1 control, a surrogate or U+FFFD."""
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs)

    leads, conts = set(), set()
    for enc in chardata.CHARMAP_ENCODINGS:
        for b in range(0x80, 0x100):
            ch = bytes([b]).decode(enc, errors="replace")
            if ch == "\ufffd" or ord(ch) < 0x80:
                continue
            (conts if b <= 0xBF else leads if 0xC2 <= b <= 0xF4 else set()).add(ch)
    cls = lambda s: "".join(re.escape(c) for c in sorted(s))  # noqa: E731
    # a lead followed by a space only for the bytes C2–C5 (à, Š, ń, ą... whose second byte A0 or 80–85
    # became a space or was lost): "é " and "ó " are ordinary text
    low = set()
    for enc in chardata.CHARMAP_ENCODINGS:
        for b in range(0xC2, 0xC6):
            ch = bytes([b]).decode(enc, errors="replace")
            if ch != "\ufffd":
                low.add(ch)
    # three patterns, not one alternation: each alone keeps re's fast scan for its first character
    return (re.compile(f"[{cls(leads)}][{cls(conts)}?\ufffd]"), re.compile(f"[{cls(low)}]\\s"),
            re.compile("[\x80-\x9f\ud800-\udfff]"))


_GATES = _gate()


def _gated(s: str, pos: int = 0, end: int | None = None) -> list[int]:
    """Where a line ftfy might change shows itself, in order."""
    end = len(s) if end is None else end
    return sorted(m.start() for g in _GATES for m in g.finditer(s, pos, end))
_LINE = re.compile(r"[^\r\n]+")


def explain_steps(steps) -> tuple[str, str]:
    """ftfy's explanation -> (message, code-page label): "UTF-8 read as Windows-1252"."""
    encs = [p for a, p in steps if a == "encode"]
    applied = {p for a, p in steps if a in ("apply", "transcode")}
    cesu = any(a == "decode" and p == "utf-8-variants" for a, p in steps)
    if encs:
        names = [_NAME.get(e, e) for e in encs]
        how = ("CESU-8" if cesu else "UTF-8") + " read as " + names[0]
        if len(names) > 1:  # encoded twice: ftfy undoes the last misreading first
            how = ("CESU-8" if cesu else "UTF-8") + " read twice, as " + (
                names[0] if len(set(names)) == 1 else " and then ".join(reversed(names)))
        label = _LABEL.get(encs[0], encs[0])
    elif "decode_inconsistent_utf8" in applied:
        how, label = "UTF-8 read as Windows-1252", "cp1252"
    elif "fix_surrogates" in {p for a, p in steps if a == "apply"}:
        how, label = "UTF-16 surrogates", "utf-16"
    else:
        how, label = ", ".join(p for _, p in steps) or "mixed-up encoding", "unknown"
    if "restore_byte_a0" in applied:
        how += ", a no-break space lost"
    if "replace_lossy_sequences" in applied:
        how += ", a byte lost"
    return how, label


_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=8192)
def _fix(s: str):
    """ftfy's encoding fix of ``s`` and its steps. The same as ``fix_and_explain`` with our config
    (whose only other enabled step is fix_surrogates), without its outer loop: that loop reruns the
    whole encoding fix once more to see that nothing changes."""
    if not _SURROGATE.search(s):
        r = ftfy.fix_encoding_and_explain(s, _CONFIG)
        if not _SURROGATE.search(r.text):
            return r.text, tuple(tuple(x) for x in (r.explanation or ()))
    r = ftfy.fix_and_explain(s, _CONFIG)
    return r.text, tuple(tuple(x) for x in (r.explanation or ()))


_TOKEN = re.compile(r"[^\x00-\x7f]+|[A-Za-z0-9]+|[\x00-\x7f]")


def _opcodes(ka: list[str], kb: list[str], reach: int = 8):
    """difflib-style opcodes for two skeletons that differ only by local edits (ftfy's are: a space
    or a ? taken into a run). Linear: at a difference, the nearest point where two tokens agree
    again within ``reach`` tokens on each side; difflib is quadratic on long repetitive lines."""
    i = j = 0
    n, m = len(ka), len(kb)
    eq_i = eq_j = 0
    while i < n and j < m:
        if ka[i] == kb[j]:
            i, j = i + 1, j + 1
            continue
        if i > eq_i:
            yield "equal", eq_i, i, eq_j, j
        best = None
        for total in range(1, 2 * reach + 1):
            for di in range(max(0, total - reach), min(total, reach) + 1):
                dj = total - di
                a, b = i + di, j + dj
                if a <= n and b <= m and (a == n and b == m or a < n and b < m and ka[a] == kb[b]
                                          and (a + 1 >= n or b + 1 >= m or ka[a + 1] == kb[b + 1])):
                    best = (a, b)
                    break
            if best:
                break
        a, b = best if best else (n, m)
        yield "replace", i, a, j, b
        i, j = a, b
        eq_i, eq_j = i, j
    if i > eq_i:
        yield "equal", eq_i, i, eq_j, j
    if i < n or j < m:
        yield "replace", i, n, j, m


def _align(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Changed stretches between ``a`` (original) and ``b`` (ftfy's fix): (a0, a1, b0, b1).

    ftfy keeps ASCII and rewrites runs of non-ASCII characters, so both sides are cut into
    tokens (a run of non-ASCII characters, or one ASCII character) and the token sequences
    are aligned; a character-level diff would match stray letters across words."""
    # the common head and tail first
    p, n = 0, min(len(a), len(b))
    while p < n and a[p] == b[p]:
        p += 1
    while p > 0 and (ord(a[p - 1]) >= 0x80 or a[p - 1].isalnum()):
        p -= 1  # back to a token boundary
    q = 0
    while q < n - p and a[len(a) - 1 - q] == b[len(b) - 1 - q]:
        q += 1
    while q > 0 and (ord(a[len(a) - q]) >= 0x80 or a[len(a) - q].isalnum()):
        q -= 1
    ta = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(a, p, len(a) - q)]
    tb = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(b, p, len(b) - q)]
    # ASCII is what ftfy keeps: align on it, every non-ASCII run standing for "some run" (matching the
    # actual runs would pair a correct “quoted” with a repaired one further on)
    key = lambda t: t[2] if t[2].isascii() else "\0"  # noqa: E731
    ka, kb = [key(t) for t in ta], [key(t) for t in tb]
    ops = []
    for op, i1, i2, j1, j2 in _opcodes(ka, kb):
        if op != "equal":
            ops.append((i1, i2, j1, j2))
            continue
        for d in range(i2 - i1):  # equal skeletons: the non-ASCII runs that ftfy rewrote
            if ta[i1 + d][2] != tb[j1 + d][2]:
                ops.append((i1 + d, i1 + d + 1, j1 + d, j1 + d + 1))
    ops.sort()
    merged: list[list[int]] = []
    for i1, i2, j1, j2 in ops:  # neighbouring changes are one run
        if merged and merged[-1][1] == i1 and merged[-1][3] == j1:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    out = []
    for i1, i2, j1, j2 in merged:
        a0 = ta[i1][0] if i1 < len(ta) else len(a) - q
        a1 = ta[i2 - 1][1] if i2 > i1 else a0
        b0 = tb[j1][0] if j1 < len(tb) else len(b) - q
        b1 = tb[j2 - 1][1] if j2 > j1 else b0
        # trim what both sides share ("é\x85" → "é…" is a change of "\x85" only), never to nothing
        while a1 - a0 > 1 and b1 - b0 > 1 and a[a0] == b[b0]:
            a0, b0 = a0 + 1, b0 + 1
        while a1 - a0 > 1 and b1 - b0 > 1 and a[a1 - 1] == b[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
        out.append((a0, a1, b0, b1))
    # the skeleton takes every non-ASCII run for "some run", so where ftfy took a space into a run and
    # so joined two runs ("â€ Ægir" → "†Ægir": a lost no-break space guessed), it can pair the wrong
    # runs and shift every run after it ("â€" → "†Ægir", " Ã†gir" → ""). Each pair must be a
    # possible ftfy edit; where one is not, the stretch from the first such pair to the last is aligned
    # again character by character (then the whole line), under the same model.
    bad = [k for k, (a0, a1, b0, b1) in enumerate(out) if _derive(a[a0:a1], b[b0:b1]) is None]
    if not bad:
        return out
    first, last = out[bad[0]], out[bad[-1]]
    for lo, hi, blo, bhi in ((first[0], last[1], first[2], last[3]), (p, len(a) - q, p, len(b) - q)):
        runs = _derive(a[lo:hi], b[blo:bhi])
        if runs is not None:
            keep = [r for r in out if r[1] <= lo or r[0] >= hi]
            return sorted(keep + [(lo + a0, lo + a1, blo + b0, blo + b1) for a0, a1, b0, b1 in runs])
    return out  # no reading under the model (an edit of ftfy's we do not know): the skeleton's alignment


_TAKEN = frozenset(" ?")  # ASCII that ftfy takes into a run: a lost no-break space, a lost byte
_MAX_READ = 24  # characters of mojibake for one character: a 4-byte character encoded three times
_MAX_DERIVE = 600  # characters: beyond this the character-level alignment is not tried


def _lead_chars() -> frozenset[str]:
    """Characters that are a UTF-8 lead byte (C2–F4) in one of ftfy's code pages."""
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs)

    out = set()
    for enc in chardata.CHARMAP_ENCODINGS:
        for b in range(0xC2, 0xF5):
            ch = bytes([b]).decode(enc, errors="replace")
            if ch != "\ufffd" and ord(ch) >= 0x80:
                out.add(ch)
    return frozenset(out)


_LEADS = _lead_chars()


def _one_for_one(x: str, y: str) -> bool:
    """One character ftfy rewrites as one: a lead whose next byte was lost ("Ã nos" → "à nos"),
    a C1 control read in its code page ("é\x85" → "é…"), a surrogate, or U+FFFD for what it gives up on."""
    return x != y and (x in _LEADS and ord(y) >= 0x80 or 0x80 <= ord(x) <= 0x9F or 0xD800 <= ord(x) <= 0xDFFF
                       or y == "\ufffd")


def _derive(x: str, y: str) -> list[tuple[int, int, int, int]] | None:
    """``y`` read from ``x`` the way ftfy's encoding fixes read: every character of ``y`` is either
    the same character of ``x``, or the reading of two or more characters of ``x`` that begin with a
    non-ASCII one and hold nothing ASCII but a space or ? (a lost byte), or the one-for-one reading
    of a C1 control or a surrogate. The changed stretches (x0, x1, y0, y1) of the reading that keeps
    the most characters as they were, or None when there is no such reading. Small dynamic
    programme over (i, j); ``y`` never outgrows the part of ``x`` read, so only j <= i is visited."""
    n, m = len(x), len(y)
    if m > n or n > _MAX_DERIVE:
        return None
    if x == y:
        return []
    inf = n + 1
    # cost[i][j]: fewest characters of x rewritten to read y[:j] from x[:i]; back[i][j]: (i0, j0, kept)
    cost = [dict() for _ in range(n + 1)]
    back = [dict() for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        row = cost[i]
        if not row:
            continue
        for j, c in list(row.items()):
            if j == m:
                continue
            xi, yj = (x[i], y[j]) if i < n else ("", y[j])
            if not xi:
                continue
            steps = []
            if xi == yj:
                steps.append((i + 1, 0, True))
            elif _one_for_one(xi, yj):
                steps.append((i + 1, 1, False))
            if ord(xi) >= 0x80 and ord(yj) >= 0x80:
                for k in range(i + 1, min(n, i + _MAX_READ)):
                    ck = x[k]
                    if ord(ck) < 0x80 and ck not in _TAKEN:
                        break
                    steps.append((k + 1, k + 1 - i, False))
            for i2, add, kept in steps:
                if c + add < cost[i2].get(j + 1, inf):
                    cost[i2][j + 1] = c + add
                    back[i2][j + 1] = (i, j, kept)
    if m not in cost[n]:
        return None
    steps = []
    i, j = n, m
    while (i, j) != (0, 0):
        i0, j0, kept = back[i][j]
        steps.append((i0, i, j0, j, kept))
        i, j = i0, j0
    runs: list[list[int]] = []
    for i0, i1, j0, j1, kept in reversed(steps):
        if kept:
            continue
        if runs and runs[-1][1] == i0 and runs[-1][3] == j0:
            runs[-1][1], runs[-1][3] = i1, j1
        else:
            runs.append([i0, i1, j0, j1])
    return [tuple(r) for r in runs]


def ftfy_repairs(text: str, spans: Iterable[tuple[int, int]] | None = None,
                 known: list[Repair] | None = None) -> list[Repair]:
    """ftfy's repairs of ``text``, one :class:`Repair` per changed stretch, line by line
    (``spans`` is accepted for symmetry with :func:`find_mojibake`; lines never cross paragraphs)."""
    out: list[Repair] = []
    hits = _gated(text)
    if not hits:
        return out
    line_starts = _line_starts(text)
    known = known or []
    known_starts = [r.start for r in known]
    k = 0
    while k < len(hits):  # one pass over the text; ftfy only on the lines it hits
        g = hits[k]
        ls = line_starts[bisect.bisect_right(line_starts, g) - 1]
        m = _LINE.match(text, ls)
        le = m.end() if m else len(text)
        while k < len(hits) and hits[k] < le:
            k += 1
        line, base = text[ls:le], ls  # the whole line: ftfy judges a line by all of it
        if known and _explained(line, ls, known, known_starts):
            continue
        fixed, steps = _fix(line)
        if fixed == line:
            continue
        for a0, a1, b0, b1 in _align(line, fixed):
            orig, rep = line[a0:a1], fixed[b0:b1]
            if orig and all(0x80 <= ord(c) <= 0x9F for c in orig):
                continue  # lone C1 controls: encoding/control-character decides their reading
            # the line's plan when it read the whole line; otherwise the run's own explanation
            use = steps
            if not (steps and steps[0][0] == "encode"):
                own, own_steps = _fix(orig) if orig else (rep, ())
                if own == rep and own_steps:
                    use = own_steps
            how, label = explain_steps(use)
            lossy = rep.count("\ufffd") > orig.count("\ufffd") or any(p in _LOSSY_STEPS for _, p in use) \
                or (" " in orig and " " not in rep)  # a space taken for a lost no-break space
            out.append(Repair(base + a0, base + a1, orig, rep, label, (), not lossy, lossy, how))
    return out


def _explained(line: str, ls: int, own: list[Repair], starts: list[int]) -> bool:
    """copydesk's own repairs leave nothing on ``line`` that could be mojibake: ftfy is not asked
    (it is the costly part; where it would read the line otherwise, copydesk's reading is kept
    anyway unless ftfy's is lossless, and a lossless reading of the same bytes is the same)."""
    k = bisect.bisect_left(starts, ls)
    mine = []
    while k < len(own) and own[k].end <= ls + len(line):
        mine.append(own[k])
        k += 1
    if not mine:
        return False
    out, pos = [], 0
    for r in mine:
        out.append(line[pos:r.start - ls])
        out.append(r.replacement)
        pos = r.end - ls
    out.append(line[pos:])
    return not _gated("".join(out))


_BREAK = re.compile(r"\r\n?|\n")


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def _blank(s: str) -> bool:
    return all(c.isspace() for c in s)


def find_repairs(text: str, paragraphs: Iterable[tuple[int, int]] | None = None) -> list[Repair]:
    """ftfy's repairs and copydesk's own lossy ones, merged, in order (code-point offsets)."""
    paras = list(paragraphs) if paragraphs is not None else None
    own = find_mojibake(text, paras)
    ft = ftfy_repairs(text, paras, own)
    if not ft:
        return own
    # a repair that only drops a character before a space ("MISUTÂ\xa0AJIKKO") needs other mojibake on its line
    line_starts = _line_starts(text)

    def line_of(i: int) -> int:
        return bisect.bisect_right(line_starts, i)

    solid = {line_of(r.start) for r in ft if not _blank(r.replacement)}
    ft = [r for r in ft if not _blank(r.replacement) or line_of(r.start) in solid]
    # a run of copydesk's that reads more than ftfy's runs inside it (a lost byte next to them: "ÅÃ³dÅº"
    # → "Łódź", where ftfy reads only "Ã³") replaces them
    wider: set[int] = set()
    ft.sort(key=lambda r: (r.start, r.end))
    ft_starts = [r.start for r in ft]
    for o in own:
        i = bisect.bisect_left(ft_starts, o.start)
        while i > 0 and ft[i - 1].end > o.start:
            i -= 1
        inside = []
        while i < len(ft) and ft[i].start < o.end:
            if ft[i].end > o.start:
                inside.append(i)
            i += 1
        if inside and all(o.start <= ft[i].start and ft[i].end <= o.end for i in inside) \
                and sum(ft[i].end - ft[i].start for i in inside) < o.end - o.start and _clean(o.replacement):
            wider.update(inside)
    ft = [r for i, r in enumerate(ft) if i not in wider]
    own_starts = [r.start for r in own]
    drop_own: set[int] = set()
    keep: list[Repair] = []
    for r in ft:
        k = bisect.bisect_left(own_starts, r.start)
        while k > 0 and own[k - 1].end > r.start:
            k -= 1
        hits = []
        while k < len(own) and own[k].start < r.end:
            if own[k].end > r.start:
                hits.append(k)
            k += 1
        if not hits:
            keep.append(r)
        elif any(ord(c) >= 0x80 and c != "\ufffd" and c in r.text for c in r.replacement) and \
                any((own[i].start, own[i].end) == (r.start, r.end) and _clean(own[i].replacement) for i in hits):
            pass  # ftfy left part of the run as it was ("міÑта»"); copydesk read all of it
        elif r.lossy and _covers(r, [own[i] for i in hits]) and all(_clean(own[i].replacement) for i in hits) \
                and not _absorbed_word(text, r, [own[i] for i in hits]):
            # ftfy had to guess a lost byte: copydesk's ranked reading wins, ftfy's is an alternative
            for i in hits:
                o = own[i]
                if (o.start, o.end) == (r.start, r.end) and r.replacement != o.replacement \
                        and "\ufffd" not in r.replacement and r.replacement not in o.alternatives:
                    o.alternatives = o.alternatives + (r.replacement,)
        else:
            keep.append(r)
            drop_own.update(hits)
    keep += [o for i, o in enumerate(own) if i not in drop_own]
    keep.sort(key=lambda r: (r.start, r.end))
    return keep


def _clean(s: str) -> bool:
    """ftfy finds nothing more to repair in ``s`` (a reading of text encoded twice that is still mojibake)."""
    return not _gated(s) or _fix(s)[0] == s


def _covers(r: Repair, hits: list[Repair]) -> bool:
    """copydesk's repairs read every character of ftfy's run that can be mojibake (not a space, nor
    an ASCII letter or digit: ftfy's alignment can take a plain word between two broken runs into
    one run, "â€ â€˜singleâ€™")."""
    return all(c.isspace() or (c.isascii() and c.isalnum()) or any(o.start <= i < o.end for o in hits)
               for i, c in enumerate(r.text, r.start))


def _absorbed_word(text: str, r: Repair, hits: list[Repair]) -> bool:
    """ftfy read "Ã s" as "às" (the space was the no-break space of à); copydesk kept the space.
    ftfy's reading wins when it makes a known word."""
    if not r.text.endswith(" ") or r.replacement.endswith(" ") or "\ufffd" in r.replacement:
        return False
    m = _WORD.match(text, r.end)
    word = r.replacement.split()[-1] + m.group() if r.replacement.split() else ""
    letter = next((c for c in r.replacement if ord(c) >= 0x80 and c.isalpha()), "")
    return bool(letter and m.group()) and _word_score(word, letter) >= 2.0


# --------------------------------------------------------------------------- C1 controls
_WORD = re.compile(r"\w*")
_MAC_LETTERS = {chr(b): bytes([b]).decode("mac_roman") for b in range(0x80, 0xA0)}


def c1_readings(text: str, controls: list[tuple[int, str, str | None]]) -> dict[int, tuple[str, str]]:
    """For C1 controls inside a word, the reading of the byte in Mac Roman where it makes a known word
    (``tur\\x92stico`` → turístico, not tur’stico): offset -> (reading, code page). ftfy's fix_c1_controls
    always reads Windows-1252; once one control in the text is shown to be Mac Roman, the other
    in-word ones whose Mac Roman reading is a letter follow it."""
    out: dict[int, tuple[str, str]] = {}
    inword = []
    for i, c, cp1252 in controls:
        if c == "\ufffd" or not (0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()):
            continue
        mac = _MAC_LETTERS.get(c, "")
        if not mac.isalpha():
            continue
        inword.append((i, mac, cp1252))
    proven = False
    for i, mac, cp1252 in inword:
        a = i
        while a > 0 and (text[a - 1].isalnum() or text[a - 1] == "_"):
            a -= 1
        lw = text[a:i]
        rw = _WORD.match(text, i + 1).group()
        mac_score = _word_score(lw + mac + rw, mac)
        cp_score = _word_score(lw + cp1252 + rw, cp1252) if cp1252 and cp1252.isalpha() else 0.0
        if mac_score > 0 and mac_score > cp_score:
            out[i] = (mac, "mac_roman")
            proven = True
    if proven:
        for i, mac, cp1252 in inword:
            if i not in out and not (cp1252 or "").isalpha():
                out[i] = (mac, "mac_roman")
    return out


# --------------------------------------------------------------------------- HTML entities inside mojibake
def entity_mojibake(text: str, entities: list[tuple[int, int, str]]) -> list[Repair]:
    """Mojibake that only shows once its HTML references are decoded ("10Î&frac14;s" → "10μs",
    as ftfy's unescape_html then fix_encoding do): repairs in ``text``'s offsets, spanning the references."""
    out: list[Repair] = []
    for m in re.finditer(r"\S+", text):
        inside = [e for e in entities if m.start() <= e[0] and e[1] <= m.end()]
        if not inside:
            continue
        pieces, starts, ends, pos = [], [], [], m.start()
        for s, e, rep in inside:  # the word with its references decoded, and where each character came from
            for i in range(pos, s):
                pieces.append(text[i]); starts.append(i); ends.append(i + 1)
            for c in rep:
                pieces.append(c); starts.append(s); ends.append(e)
            pos = e
        for i in range(pos, m.end()):
            pieces.append(text[i]); starts.append(i); ends.append(i + 1)
        word = "".join(pieces)
        for r in find_repairs(word):
            a, b = starts[r.start], ends[r.end - 1]
            if any(a <= s and e <= b for s, e, _ in inside):
                out.append(Repair(a, b, text[a:b], r.replacement, r.codepage, r.alternatives, r.safe, r.lossy,
                                  (r.how if r.how not in ("", "twice") else "UTF-8 read as " + r.codepage)
                                  + ", then HTML-escaped"))
    return out


# --------------------------------------------------------------------------- symbol-font characters
# Word writes the bullets and arrows of its lists in the Symbol or Wingdings font as private-use
# characters U+F020–U+F0FF (the font's byte + F000). Read back as UTF-8 through Windows-1252 they are
# three characters (`ï‚·`), which ftfy leaves alone or decodes to the invisible private-use character.
# A reader sees a bullet or an arrow: the visible equivalent here (the usual Word list glyphs), an
# unsafe fix since the font is not known; a private-use character outside the table is flagged
# without a fix. No library maps these fonts (ftfy and unicodedata know them only as private use).
SYMBOL_FONT_VISIBLE: dict[str, str] = {
    "\uf0b7": "•",  # Symbol bullet: Word's first-level bullet
    "\uf0a7": "▪",  # Wingdings small square: Word's third-level bullet
    "\uf0d8": "➢",  # Wingdings arrowhead bullet
    "\uf0fc": "✓",  # Wingdings check mark
    "\uf0e0": "→",  # Wingdings right arrow
    "\uf0e8": "➔",  # Wingdings heavy right arrow
    "\uf076": "❖",  # Wingdings diamond bullet
    "\uf06e": "■",  # Wingdings black square
    "\uf06f": "□",  # Wingdings white square
    "\uf071": "❑",  # Wingdings shadowed square
    "\uf0ae": "→", "\uf0ac": "←", "\uf0ad": "↑", "\uf0af": "↓",  # Symbol arrows
    "\uf0de": "⇒", "\uf0dc": "⇐", "\uf0db": "⇔",  # Symbol double arrows
    "\uf02d": "−",  # Symbol minus (Word's dash bullet)
}
_PUA_SYMBOL = re.compile("[\uf020-\uf0ff]")


def _symbol_mojibake_pattern() -> re.Pattern:
    forms = set()
    for cp in range(0xF020, 0xF100):
        raw = chr(cp).encode("utf-8")
        for enc in ("sloppy-windows-1252", "latin-1"):
            forms.add(raw.decode(enc))
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


_SYMBOL_MOJIBAKE: re.Pattern | None = None


def symbol_font(repairs: list[Repair], text: str) -> list[Repair]:
    """``repairs`` with symbol-font characters made visible: the undetected `ï‚·` forms added and
    every repair that would write a private-use character given its visible equivalent (unsafe) or
    no replacement (``replacement`` None: flag only)."""
    global _SYMBOL_MOJIBAKE
    raw = _PUA_SYMBOL.search(text) is not None  # the character itself, pasted from a Word document
    if not raw and "ï" not in text and not any(_PUA_SYMBOL.search(r.replacement) for r in repairs):
        return repairs
    if _SYMBOL_MOJIBAKE is None:
        import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs)

        _SYMBOL_MOJIBAKE = _symbol_mojibake_pattern()
    out = list(repairs)
    if "ï" in text:
        for m in _SYMBOL_MOJIBAKE.finditer(text):
            if any(r.start < m.end() and m.start() < r.end for r in repairs):
                continue
            ch = m.group().encode("sloppy-windows-1252" if m.group().isprintable() else "latin-1").decode("utf-8")
            out.append(Repair(m.start(), m.end(), m.group(), ch, "cp1252" if m.group().isprintable() else "latin-1",
                              how="UTF-8 read as Windows-1252" if m.group().isprintable() else "UTF-8 read as Latin-1"))
    if raw:
        taken = [(r.start, r.end) for r in out]
        for m in _PUA_SYMBOL.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                out.append(Repair(m.start(), m.end(), m.group(), m.group(), "symbol-font",
                                  how="left by a pasted Word document"))
    out.sort(key=lambda r: r.start)
    for r in out:
        if _PUA_SYMBOL.search(r.replacement):
            chars = _PUA_SYMBOL.findall(r.replacement)
            visible = r.replacement
            for c in chars:
                visible = visible.replace(c, SYMBOL_FONT_VISIBLE.get(c, c))
            names = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))
            r.how = (r.how or "UTF-8 read as " + r.codepage) + f", a symbol-font character ({names}, Symbol/Wingdings)"
            r.safe = False
            r.replacement = None if _PUA_SYMBOL.search(visible) else visible
    return out
