"""Widgets of the review screen: the article view, the findings list and the detail panel."""
from __future__ import annotations

import re
from bisect import bisect_right

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import OptionList, Static
from textual import events

from qa.model.findings import FAMILIES
from qa.project.records import ACCEPTED, ACKNOWLEDGED, ALTERNATIVE, EDITED, REJECTED
from qa.services.review import ReviewSession

from .plain import SEVERITY_WORDS, codepage_phrase, language_name, rule_title, source_phrase

ICONS = {None: "·", ACCEPTED: "✓", ALTERNATIVE: "✓", EDITED: "✎", REJECTED: "✗", ACKNOWLEDGED: "◦"}


def family_class(family: str) -> str:
    return f"article--{family}" if family in FAMILIES else "article--other"


def wrap_offsets(s: str, width: int) -> list[int]:
    """Start offsets of the rows of ``s`` word-wrapped at ``width`` cells (first is 0)."""
    width = max(4, width)
    n = len(s)
    # the arrow of an accepted fix ("Koeleba→Kuleba") is one cell wide like ASCII: keep the fast path
    if s.isascii() or s.replace("→", "-").isascii():
        if n <= width:
            return [0]
        starts, pos = [0], 0
        while n - pos > width:
            e = pos + width
            idx = s.rfind(" ", pos + 1, e + 1)
            pos = idx + 1 if idx > pos else e
            starts.append(pos)
        return starts
    cells = [get_character_cell_size(c) for c in s]
    if sum(cells) <= width:
        return [0]
    starts, pos = [0], 0
    while pos < n:
        w, e = 0, pos
        while e < n and w + cells[e] <= width:
            w += cells[e]
            e += 1
        if e >= n:
            break
        idx = s.rfind(" ", pos + 1, e + 1)
        pos = idx + 1 if idx > pos else max(e, pos + 1)
        if pos >= n:
            break
        starts.append(pos)
    return starts


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """The article, soft-wrapped, rendered line by line (Textual's line API):
    only visible rows are drawn, and a paragraph's rows are cached until a
    decision or the focus changes it, so stepping through findings costs the
    same on a 5,000-line article as on a short one."""

    COMPONENT_CLASSES = {
        "article--name", "article--encoding", "article--language", "article--article", "article--other",
        "article--current", "article--old", "article--new", "article--rejected",
    }
    BINDINGS = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: ReviewSession | None = None
        self.current = -1
        self._width = 0
        self._strips: dict[int, list[Strip]] = {}
        self._spans: dict[int, list[tuple[int, int, int]]] = {}
        self._breaks: list[list[int]] = []
        self._row_para: list[int] = []
        self._para_row0: list[int] = []

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _t: self.call_after_refresh(self._restyle))

    def _restyle(self) -> None:
        self._strips.clear()
        self.refresh()

    # ---- model -----------------------------------------------------------------------------
    def load(self, session: ReviewSession | None, current: int = 0) -> None:
        self.session = session
        self._strips.clear()
        self._spans.clear()
        if session is None:
            self._starts, self._ends, self._para_findings = [0], [0], [[]]
            self._text = ""
        else:
            text = self._text = session.text
            self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
            ends = []
            for k, s in enumerate(self._starts):
                e = self._starts[k + 1] - 1 if k + 1 < len(self._starts) else len(text)
                if e > s and text[e - 1] == "\r":
                    e -= 1
                ends.append(e)
            self._ends = ends
            self._para_findings = [[] for _ in self._starts]
            for i, f in enumerate(session.findings):
                s, e = session.span(i)
                for p in range(self.para_of(s), self.para_of(max(s, e - 1)) + 1):
                    self._para_findings[p].append(i)
        self.current = current if session and session.findings else -1
        self._rewrap(force=True)
        self.scroll_to(y=0, animate=False, immediate=True)

    def para_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def _edits_in(self, p: int) -> list[tuple[int, int, str, int]]:
        """Accepted edits shown in paragraph ``p``: (start, end, inserted text, finding)."""
        ss = self.session
        ls, le = self._starts[p], self._ends[p]
        out = []
        for fi in self._para_findings[p]:
            c = ss.choices[fi]
            if c is None or not c.changes_text:
                continue
            for ed in c.fix.edits:
                s, e = max(ed.start, ls), min(ed.end, le)
                if s > e:
                    continue
                rep = ed.replacement if ls <= ed.end <= le else ""
                if s == e and not rep:
                    continue
                # readable without colour or strikethrough too: "Koeleba→Kuleba" (old dimmed, new marked)
                disp = rep.replace("\n", "⏎")
                out.append((s, e, "→" + disp if e > s else disp, fi))
        out.sort()
        return out

    def _plain(self, p: int) -> tuple[str, list[tuple[int, int, str, int]]]:
        ls, le = self._starts[p], self._ends[p]
        edits = self._edits_in(p) if self.session is not None else []
        if not edits:
            return self._text[ls:le].replace("\t", " "), edits
        out, pos = [], ls
        for s, e, rep, _ in edits:
            out.append(self._text[pos:s])
            out.append(self._text[s:e])
            out.append(rep)
            pos = e
        out.append(self._text[pos:le])
        return "".join(out).replace("\t", " "), edits

    def _rewrap(self, force: bool = False, paras: list[int] | None = None) -> None:
        width = self.scrollable_content_region.width or self.size.width or 80
        if width != self._width:
            force = True
        self._width = width
        if force or not self._breaks:
            self._breaks = [wrap_offsets(self._plain(p)[0], width) for p in range(len(self._starts))]
            self._strips.clear()
        else:
            rows_changed = False
            for p in paras or []:
                new = wrap_offsets(self._plain(p)[0], width)
                rows_changed |= len(new) != len(self._breaks[p])
                self._breaks[p] = new
            if not rows_changed and self._row_para:  # same row count per paragraph: the row map stands
                self.refresh()
                return
        row_para: list[int] = []
        para_row0: list[int] = []
        for p, b in enumerate(self._breaks):
            para_row0.append(len(row_para))
            row_para.extend([p] * len(b))
        self._row_para, self._para_row0 = row_para, para_row0
        self.virtual_size = Size(width, len(row_para))
        self.refresh()

    def _build(self, p: int) -> tuple[Text, list[tuple[int, int, int]]]:
        """The styled display text of paragraph ``p`` and its finding spans (display offsets)."""
        ss = self.session
        plain, edits = self._plain(p)
        text = Text(plain, no_wrap=True, end="")
        ls, le = self._starts[p], self._ends[p]

        def dmap(o: int) -> int:
            o = min(max(o, ls), le)
            return o - ls + sum(len(rep) for s, e, rep, _ in edits if e <= o)

        spans: list[tuple[int, int, int]] = []
        if ss is None:
            return text, spans
        st = self.get_component_rich_style
        rejected = st("article--rejected")
        for fi in self._para_findings[p]:
            f = ss.findings[fi]
            c = ss.choices[fi]
            s, e = ss.span(fi)
            ds, de = dmap(s), dmap(e)
            spans.append((ds, max(de, ds + 1), fi))
            if c is None:
                text.stylize(st(family_class(f.family)), dmap(f.start), dmap(f.end))
            elif not c.changes_text:
                text.stylize(rejected, dmap(f.start), dmap(f.end))
        old, new = st("article--old"), st("article--new")
        shift = 0
        for s, e, rep, fi in edits:
            ds = s - ls + shift
            text.stylize(old, ds, ds + e - s)
            text.stylize(new, ds + e - s, ds + e - s + len(rep))
            shift += len(rep)
        if 0 <= self.current < len(ss.findings) and self.current in self._para_findings[p]:
            s, e = ss.span(self.current)
            ds, de = dmap(s), dmap(e)
            text.stylize(st("article--current"), ds, max(de, ds + 1) if de == ds else de)
        return text, spans

    def _para_strips(self, p: int) -> list[Strip]:
        got = self._strips.get(p)
        if got is not None:
            return got
        text, spans = self._build(p)
        breaks = self._breaks[p]
        lines = text.divide(breaks[1:]) if len(breaks) > 1 else [text]
        base = self.rich_style
        width = self._width
        console = self.app.console
        out = []
        for line in lines:
            segs = Segment.apply_style(line.render(console), base)
            out.append(Strip(list(segs)).adjust_cell_length(width, base))
        if len(out) < len(breaks):
            out += [Strip.blank(width, base)] * (len(breaks) - len(out))
        self._strips[p] = out
        self._spans[p] = spans
        return out

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= len(self._row_para):
            return Strip.blank(width, self.rich_style)
        p = self._row_para[row]
        strips = self._para_strips(p)
        k = row - self._para_row0[p]
        return strips[k] if k < len(strips) else Strip.blank(width, self.rich_style)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rewrap(force=True)
            self.show_current()

    # ---- updates ---------------------------------------------------------------------------
    def _paras_of(self, i: int) -> list[int]:
        if self.session is None or not 0 <= i < len(self.session.findings):
            return []
        s, e = self.session.span(i)
        return list(range(self.para_of(s), self.para_of(max(s, e - 1)) + 1))

    def set_current(self, i: int) -> None:
        old = self.current
        self.current = i
        for p in set(self._paras_of(old) + self._paras_of(i)):
            self._strips.pop(p, None)
        self.refresh()
        self.show_current()

    def changed(self, indices: list[int]) -> None:
        """Findings whose decision changed: re-lay out their paragraphs only."""
        paras = sorted({p for i in indices for p in self._paras_of(i)})
        for p in paras:
            self._strips.pop(p, None)
        self._rewrap(paras=paras)

    def row_of(self, offset: int) -> int:
        p = self.para_of(offset)
        ls = self._starts[p]
        edits = self._edits_in(p) if self.session else []
        d = offset - ls + sum(len(rep) for s, e, rep, _ in edits if e <= offset)
        return self._para_row0[p] + max(0, bisect_right(self._breaks[p], d) - 1)

    def show_current(self, _retry: bool = False) -> None:
        if self.session is None or not 0 <= self.current < len(self.session.findings):
            return
        h = self.scrollable_content_region.height
        if h < 3 and not _retry:  # not laid out yet (e.g. just after loading): try once the layout is done
            self.call_after_refresh(self.show_current, True)
            return
        h = max(h, 1)
        s, e = self.session.span(self.current)
        top, bottom = self.row_of(s), self.row_of(max(s, e - 1))
        y = self.scroll_offset.y
        if top >= y and bottom < y + h:
            return
        target = top - h // 3 if bottom - top < h // 2 else top
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        if self.session is None or not 0 <= row < len(self._row_para):
            return
        p = self._row_para[row]
        self._para_strips(p)
        k = row - self._para_row0[p]
        d = self._breaks[p][k] + event.x
        hits = [(e - s, fi) for s, e, fi in self._spans.get(p, []) if s <= d < e]
        if hits:
            self.post_message(self.Clicked(min(hits)[1]))


class FindingsList(ScrollView, can_focus=False, inherit_bindings=False):
    """Findings in document order (all, or those of the filter): status icon, line,
    ``old → new``, rule. Drawn with the line API, one cached row per finding, so a
    decision or a cursor move re-renders one or two rows, not all 1,000 (an
    OptionList re-measures every option after a prompt changes). The highlight
    only follows the screen's current finding (:meth:`show`); a click posts
    :class:`Selected`, nothing else feeds back."""

    COMPONENT_CLASSES = {"findings--highlighted"}

    class Selected(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: ReviewSession | None = None
        self.rows: list[int] = []
        self.row_of: dict[int, int] = {}
        self.highlighted: int | None = None
        self._cache: dict[int, Strip] = {}

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _t: self.call_after_refresh(self._restyle))

    def _restyle(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        k = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if self.session is None or not 0 <= k < len(self.rows):
            return Strip.blank(width, self.rich_style)
        got = self._cache.get(k)
        if got is not None and got.cell_length == width:
            return got
        style = self.rich_style
        if k == self.highlighted:
            style = style + self.get_component_rich_style("findings--highlighted")
        text = self.prompt(self.rows[k])
        text.truncate(width, overflow="ellipsis")
        segs = Segment.apply_style(text.render(self.app.console), style)
        strip = Strip(list(segs)).adjust_cell_length(width, style)
        self._cache[k] = strip
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))

    def prompt(self, i: int) -> Text:
        ss = self.session
        f = ss.findings[i]
        c = ss.choices[i]
        old, new = ss.old_new(i)
        old = _short(old)
        t = Text(no_wrap=True, overflow="ellipsis", end="")
        icon = ICONS.get(c.status if c else None, "?")
        t.append(f"{icon} ", style=_icon_style(c.status if c else None))
        t.append(f"{f.line:>4}  ")
        if c is not None and c.status in (REJECTED, ACKNOWLEDGED):
            t.append(old, style="dim strike" if c.status == REJECTED else "dim")
        elif new is not None:
            t.append(old, style="dim strike" if c is not None else "")
            t.append(" → ")
            t.append(_short(new) if new else "∅", style="bold")
        else:
            t.append(old)
        t.append(f"  {f.rule.split('/', 1)[-1]}", style="dim")
        return t

    def load(self, session: ReviewSession | None, rows: list[int] | None = None) -> None:
        self.session = session
        self.rows = list(range(len(session.findings))) if session is not None and rows is None else (rows or [])
        self.row_of = {i: k for k, i in enumerate(self.rows)}
        self.highlighted = None
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width or 40, len(self.rows))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def show(self, i: int) -> None:
        """Highlight finding ``i`` (no highlight when the filter hides it) and scroll it into view."""
        k = self.row_of.get(i)
        old = self.highlighted
        if old == k:
            return
        self.highlighted = k
        for r in (old, k):
            if r is not None:
                self._cache.pop(r, None)
                self.refresh_line(r)
        if k is not None:
            h = max(1, self.scrollable_content_region.height)
            y = self.scroll_offset.y
            if k < y:
                self.scroll_to(y=k, animate=False, immediate=True)
            elif k >= y + h:
                self.scroll_to(y=k - h + 1, animate=False, immediate=True)

    def refresh_line(self, k: int) -> None:
        y = k - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def changed(self, indices: list[int]) -> None:
        for i in indices:
            k = self.row_of.get(i)
            if k is not None:
                self._cache.pop(k, None)
                if len(indices) < 20:
                    self.refresh_line(k)
        if len(indices) >= 20:
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        k = self.scroll_offset.y + event.y
        if 0 <= k < len(self.rows):
            self.post_message(self.Selected(self.rows[k]))


def _icon_style(status: str | None) -> str:
    return {ACCEPTED: "bold green", ALTERNATIVE: "bold green", EDITED: "bold green", REJECTED: "bold red",
            ACKNOWLEDGED: "bold"}.get(status, "")


def _short(s: str, n: int = 28) -> str:
    s = s.replace("\r", "").replace("\n", "⏎").replace("\t", " ")
    if s and not s.strip(" "):
        s = s.replace(" ", "␣")  # show a whitespace-only span
    return s if len(s) <= n else s[: n - 1] + "…"


STATUS_WORDS = {None: "pending", ACCEPTED: "accepted", ALTERNATIVE: "accepted (alternative)",
                EDITED: "accepted (edited)", REJECTED: "rejected (false alarm)", ACKNOWLEDGED: "acknowledged"}


def headline(session: ReviewSession, i: int, term=None) -> str:
    """What the finding is, in a reviewer's words: "Dutch spelling of Кулеба",
    "Garbled characters: Thai code page (cp874), one byte lost"."""
    f = session.findings[i]
    data = f.data or {}
    if f.rule == "encoding/mojibake" and data.get("codepage"):
        return "Garbled characters (mojibake): text saved as UTF-8 was read in the " + \
            codepage_phrase(data.get("codepage"), data.get("lossy"))
    if data.get("source"):
        phrase = source_phrase(data.get("source"), term, session.language, f.text)
        if phrase:
            right = session.proposed(i)
            return phrase[0].upper() + phrase[1:] + (f"; {language_name(session.language)} uses ‘{right}’"
                                                     if right else "")
    if data.get("kind") == "typo":
        return "Looks like a misspelt name"
    if data.get("kind") == "skeleton":
        return "Looks like a misspelt name (same consonants as a known one)"
    if "language" in data:
        return f"A paragraph in {language_name(data['language'])}, not {language_name(session.language)}"
    return rule_title(f.rule)


DATA_WORDS = {"word": "word", "suggestion": "suggested", "words": "words"}


def detail_text(session: ReviewSession, i: int, glossary=None) -> Text:
    """The detail panel's content for finding ``i``, in plain language."""
    f = session.findings[i]
    c = session.choices[i]
    term = None
    if f.term and glossary is not None:
        term = next((x for x in glossary.terms if x.id == f.term), None)
    t = Text(end="")
    t.append(headline(session, i, term) + "\n", style="bold")
    sev = SEVERITY_WORDS.get(str(f.severity), str(f.severity))
    t.append(f"{sev} · line {f.line}, column {f.column} · rule {f.rule}\n", style="dim")
    t.append(f.message + "\n")
    t.append("status: ", style="dim")
    word = STATUS_WORDS.get(c.status if c else None, "?")
    if c is not None and c.scope == "rule":
        word += ", with all of its rule"
    t.append(word + "\n", style=_icon_style(c.status if c else None) or "")
    old, new = session.old_new(i)
    if new is not None:
        tag = "fix" if c is None or c.status == ACCEPTED else "your fix"
        app = ""
        if f.fix is not None and (c is None or c.status == ACCEPTED):
            app = " (safe)" if str(f.fix.applicability) == "safe" else " (check it)"
        t.append(f"{tag}{app}: ", style="dim")
        t.append(_short(old, 60), style="dim strike")
        t.append(" → ")
        t.append((_short(new, 60) if new else "(delete)") + "\n", style="bold")
    elif f.fix is None:
        t.append("no fix: acknowledge (a), reject (r) or edit (e)\n", style="dim")
    if f.alternatives:
        t.append("alternatives: ", style="dim")
        t.append("  ".join(f"[{n}] {a}" for n, a in enumerate(f.alternatives[:9], 1)) + "\n")
    data = dict(f.data or {})
    if "language" in data:
        conf = data.pop("confidence", None)
        t.append("language: ", style="dim")
        t.append(language_name(data.pop("language"))
                 + (f" ({conf:.0%} sure)" if isinstance(conf, (int, float)) else "")
                 + f"; the article is {language_name(session.language)}\n")
    if f.term:
        t.append("glossary: ", style="dim")
        t.append(f.term, style="bold")
        if term is not None:
            t.append(f" ({term.kind})\n")
            for lang, forms in term.forms.items():
                t.append(f"  {language_name(lang)}: ", style="dim")
                t.append(", ".join(forms) + "\n")
            for lang, forms in term.native.items():
                t.append(f"  in {language_name(lang)} script: ", style="dim")
                t.append(", ".join(forms) + "\n")
            for lang, forms in term.wrong.items():
                t.append(f"  wrong in {language_name(lang)}: ", style="dim")
                t.append(", ".join(forms) + "\n")
            if term.note:
                t.append("  note: ", style="dim")
                t.append(term.note + "\n")
            if term.path:
                t.append(f"  from {term.path.rsplit('/', 1)[-1]}, line {term.line}\n", style="dim")
        else:
            t.append("\n")
    for k, v in data.items():
        if k in DATA_WORDS and isinstance(v, (str, int, float)) and not isinstance(v, bool):
            t.append(f"{DATA_WORDS[k]}: ", style="dim")
            t.append(f"{v}\n")
    return t


class DetailPanel(Static):
    pass
