"""``copydesk review``: a terminal UI to accept, reject or edit each finding.

The UI is a thin layer over :class:`qa.services.review.ReviewSession` (decisions,
undo, applying fixes, HTER, saving) and :mod:`qa.project.records` (review records).
"""
from __future__ import annotations

import sys
import time
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Sequence

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from qa.project.project import Project
from qa.sources.items import InputError
from qa.project.records import ACCEPTED, ACKNOWLEDGED, REJECTED
from qa.services.review import (Conflict, ExternalChange, ReviewOptions, ReviewSession, changed_paragraphs,
                                learn_form)

from .plain import language_name
from .screens import (DiffScreen, EditScreen, FilterScreen, HelpScreen, LearnScreen, QuitScreen, SearchScreen,
                      help_rows)
from .widgets import ArticleView, DetailPanel, FindingsList, detail_text



def expand_queue(paths: Sequence[str | Path], project: Project | None = None) -> list[tuple[Path, bool]]:
    """(article, explicit) for each path, through the source layer: a folder
    gives its .txt / .md articles (hidden folders such as .copydesk skipped,
    the project's ``exclude`` patterns applied)."""
    from qa.sources.items import TEXT_SUFFIXES, expand

    given = {str(p) for p in paths}
    items = project.items([str(p) for p in paths], files_only=True) if project is not None \
        else expand([str(p) for p in paths], suffixes=TEXT_SUFFIXES)
    return [(Path(it.path), it.path in given) for it in items if it.kind in ("file", "error")]


def timed(fn):
    """Record how long an action's handler takes, for the responsiveness test and benchmark:
    (name, wall ms, CPU ms of this thread — the part other processes on the machine cannot inflate)."""
    import functools

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        t, c = time.perf_counter(), time.thread_time()
        try:
            return fn(self, *args, **kwargs)
        finally:
            self.key_times.append((fn.__name__, (time.perf_counter() - t) * 1000, (time.thread_time() - c) * 1000))
            if len(self.key_times) > 5000:
                del self.key_times[:1000]

    return wrapper


class HterScored(Message):
    """Posted by the HTER worker thread."""

    def __init__(self, session: ReviewSession, value: float) -> None:
        self.session, self.value = session, value
        super().__init__()


def B(keys: str, action: str, description: str, tooltip: str, show: bool = True, key_display: str | None = None):
    """A binding; ``tooltip`` is the sentence the help screen shows (generated from the bindings)."""
    return Binding(keys, action, description, show=show, tooltip=tooltip, key_display=key_display)


class ReviewScreen(Screen):
    # The footer shows the keys with show=True in this order; at 80 columns every one of them fits
    # (tests/test_tui.py checks it), the rest are on the help screen (?).
    BINDINGS = [
        B("j,down", "next", "Next", "next finding", show=False),
        B("k,up", "prev", "Prev", "previous finding", show=False),
        B("a", "accept", "Accept", "accept the fix (on a finding without one: acknowledge it)"),
        B("r", "reject", "Reject", "reject: a false alarm, never raised again for this article"),
        B("e", "edit", "Edit", "edit the replacement (Enter accepts the edited text, Esc cancels)"),
        B("u", "undo", "Undo", "undo the last decision"),
        B("J,space", "next_pending", "Next pending", "jump to the next pending finding", show=False),
        B("K", "prev_pending", "Prev pending", "jump to the previous pending finding", show=False),
        B("A", "accept_all", "All alike", "accept every pending finding with the same rule, text and fix",
          show=False),
        B("R", "reject_rule", "Reject rule", "reject every pending finding of this rule in this article",
          show=False),
        B("f", "filter", "Filter", "filter the list by family, rule, severity or status"),
        B("slash", "search", "Search", "search the findings (text, fix, message); Esc clears", key_display="/"),
        B("d", "diff", "Diff", "word diff of the changes so far", show=False),
        B("g", "learn", "Glossary", "add the flagged form to the glossary as accepted (a false alarm)",
          show=False),
        B("s", "save", "Save", "save the article (the original is kept as FILE.orig)"),
        B("n", "next_article", "Next article", "next article of the queue", show=False),
        B("p", "prev_article", "Prev article", "previous article of the queue", show=False),
        B("question_mark", "help", "Help", "this help", key_display="?"),
        B("q", "quit", "Quit", "quit (asks first when accepted fixes are not saved)"),
        *[B(str(n), f"alternative({n})", f"Alt {n}", "accept alternative N", show=False) for n in range(1, 10)],
    ]

    # the one source of truth for the finding under the cursor: the article, the list, the
    # header and the detail panel follow it (watch_current); nothing feeds back into it
    current: reactive[int] = reactive(-1, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.session: ReviewSession | None = None
        self.message = ""
        self.hter: float | None = None
        self.rows: list[int] = []  # the findings the list shows (all, or those of the filter)
        self.filter: tuple[str, str] | None = None  # (kind, value): family/rule/severity/status/search
        self.key_times: list[tuple[str, float, float]] = []
        self.shown = 0  # how often the current finding was (re)shown: an idle app leaves it alone

    # ---- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("copydesk review", id="topbar")
        with Horizontal(id="main"):
            yield ArticleView(id="article")
            with Vertical(id="side"):
                yield FindingsList(id="findings")
                yield DetailPanel("", id="detail")
                yield Static("", id="source")  # review --source: the aligned source segment
        yield Static("", id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#findings", FindingsList).can_focus = False
        self.query_one("#article", ArticleView).focus()
        self.query_one("#main").loading = True
        self.set_status("Checking…")
        self.set_interval(2.0, self.autosave_record)
        self.call_after_refresh(self._painted)
        self.rapp.scan()  # started here, not in App.on_mount: the result must not arrive before this set-up

    def _painted(self) -> None:
        if self.rapp.paint_time is None:
            self.rapp.paint_time = time.perf_counter() - self.rapp.started
            self.rapp.paint_cpu = time.process_time() - self.rapp.started_cpu

    @property
    def rapp(self) -> "ReviewApp":
        return self.app  # type: ignore[return-value]

    # ---- showing a session ----------------------------------------------------------------
    def show_session(self, session: ReviewSession | None, current: int | None = None, note: str = "") -> None:
        if session is not self.session:
            self.filter = None
        self.session = session
        self.query_one("#main").loading = False
        article = self.query_one("#article", ArticleView)
        if session is None or not session.findings:
            self.set_reactive(ReviewScreen.current, -1)
            self.rows = []
            article.load(session)
            self.query_one("#findings", FindingsList).load(session, [])
            self.query_one("#detail", DetailPanel).update(
                Text("No findings in this article." if session is not None else "No article with findings.",
                     style="dim"))
        else:
            if current is None:
                current = next((i for i, c in enumerate(session.choices) if c is None), 0)
            current = min(max(0, current), len(session.findings) - 1)
            self.set_reactive(ReviewScreen.current, current)
            article.load(session, current)
            self._apply_filter(keep=current)
        extra = ""
        if session is not None and session.resumed:
            extra = f"resumed {session.resumed} decision{'s' if session.resumed != 1 else ''} from the review record"
        self.message = "  ".join(x for x in (note, extra) if x)
        self.refresh_bars()
        self.update_hter()

    def _apply_filter(self, keep: int | None = None) -> None:
        """Recompute the rows the list shows and put the cursor on ``keep`` or the nearest row."""
        ss = self.session
        if ss is None:
            return
        self.rows = [i for i in range(len(ss.findings)) if self._matches(i)]
        self.query_one("#findings", FindingsList).load(ss, self.rows)
        want = self.current if keep is None else keep
        if self.rows and want not in self.rows:
            k = bisect_left(self.rows, want)
            want = self.rows[min(k, len(self.rows) - 1)]
        self.set_reactive(ReviewScreen.current, want)
        self._show_current(-1, want)

    def _matches(self, i: int) -> bool:
        if self.filter is None:
            return True
        kind, value = self.filter
        f = self.session.findings[i]
        c = self.session.choices[i]
        if kind == "family":
            return f.family == value
        if kind == "rule":
            return f.rule == value
        if kind == "severity":
            return str(f.severity) == value
        if kind == "status":
            return (c is None) if value == "pending" else (c is not None)
        if kind == "search":
            v = value.casefold()
            old, new = self.session.old_new(i)
            return v in f"{old}\n{new or ''}\n{f.message}\n{f.rule}\n{f.term or ''}".casefold()
        return True

    def select(self, i: int) -> None:
        ss = self.session
        if ss is None or not ss.findings:
            return
        self.current = min(max(0, i), len(ss.findings) - 1)

    def watch_current(self, old: int, new: int) -> None:
        self._show_current(old, new)

    def _show_current(self, old: int, new: int) -> None:
        """Make the article, the list, the detail panel and the header show finding ``new``."""
        ss = self.session
        if ss is None or not 0 <= new < len(ss.findings):
            return
        self.shown += 1
        self.query_one("#article", ArticleView).set_current(new)
        self.query_one("#findings", FindingsList).show(new)
        self.update_detail()
        self.refresh_bars()

    def update_detail(self) -> None:
        if self.session is None or not 0 <= self.current < len(self.session.findings):
            return
        # the panel has a fixed size: no layout pass needed (that pass costs more than the rest of a keypress)
        self.query_one("#detail", DetailPanel).update(
            detail_text(self.session, self.current, self.rapp.glossary), layout=False)
        self.update_source()

    def update_source(self) -> None:
        """``review --source``: the source segment aligned with the current finding, beside the target."""
        pane = self.query_one("#source", Static)
        ss = self.session
        seg = ss.source_segment(self.current) if ss is not None and 0 <= self.current < len(ss.findings) else None
        pane.display = ss is not None and ss.source is not None
        if seg is None:
            pane.update("")
            return
        t = Text(end="")
        t.append(f"source ({language_name(seg.lang)}): ", style="dim")
        t.append(seg.text.strip())
        pane.update(t)

    def refresh_bars(self) -> None:
        ss = self.session
        app = self.rapp
        q = app.queue
        pos = f"article {app.pos + 1}/{len(q)}{'+' if app.scanning else ''}" if q else "no articles"
        if ss is None:
            top = f" copydesk review  ·  {pos}"
        else:
            n = len(ss.findings)
            where = f"  ·  finding {self.current + 1}/{n}" if n and self.current >= 0 else ""
            if self.filter is not None and n:
                where += f" ({len(self.rows)} shown: {self.filter_label()})"
            unsaved = "  ·  ● unsaved" if ss.has_changes else ""
            decided = f"{ss.decided}/{n} decided"
            last = ss.last_save
            if last is not None and not ss.has_changes:
                # reopened after a review save: the accepted findings are gone from the text
                decided = (f"saved ({last.get('fixes_applied', 0)} fixes applied)  ·  {ss.decided}/{n} decided")
            if len(q) < 2 and not app.scanning:
                pos = ""
            parts = [ss.path.name, where.strip(" ·"), decided, pos, language_name(ss.language), unsaved.strip(" ·")]
            top = " " + "  ·  ".join(x for x in parts if x)
        self.query_one("#topbar", Static).update(Text(top, no_wrap=True, overflow="ellipsis"), layout=False)
        self.set_status(self.message)

    def filter_label(self) -> str:
        if self.filter is None:
            return "all"
        kind, value = self.filter
        return f"‘{value}’" if kind == "search" else f"{kind} {value}"

    def set_status(self, message: str) -> None:
        self.message = message
        ss = self.session
        parts = []
        if ss is not None:
            h = "…" if self.hter is None else f"{self.hter:.1f}%"
            cnt = ss.counts()
            acc = sum(v for k, v in cnt.items() if k not in ("pending", REJECTED, ACKNOWLEDGED))
            parts.append(f"HTER {h}")
            parts.append(f"✓{acc} ✗{cnt.get(REJECTED, 0)} ◦{cnt.get(ACKNOWLEDGED, 0)} ·{cnt.get('pending', 0)}")
        if message:
            parts.append(message)
        line = "  ·  ".join(parts)
        bar = self.query_one("#status", Static)
        # a message longer than the line wraps onto a second (or third) row instead of being cut off;
        # only then is a layout pass needed
        width = max(10, (bar.size.width or self.app.size.width) - 2)
        rows = min(3, -(-len(line) // width)) if line else 1
        bar.update(Text(line, overflow="fold"), layout=rows != self._status_rows)
        if rows != self._status_rows:
            bar.styles.height = rows
        self._status_rows = rows

    _status_rows = 1

    def update_hter(self) -> None:
        ss = self.session
        if ss is None:
            return
        self.hter = None
        self._hter_worker(ss, ss.accepted_fixes())

    @work(thread=True, exclusive=True, group="hter", description="HTER")  # no repr of the args (slow)
    def _hter_worker(self, ss: ReviewSession, fixes) -> None:
        self.post_message(HterScored(ss, ss.hter(fixes)))

    @on(HterScored)
    def _set_hter(self, event: HterScored) -> None:
        if event.session is self.session:
            self.hter = event.value
            self.set_status(self.message)

    def after_change(self, indices: list[int], message: str = "", advance: bool = False) -> None:
        if not indices:
            return
        self.query_one("#article", ArticleView).changed(indices)
        self.query_one("#findings", FindingsList).changed(indices)
        self.message = message
        self.update_detail()
        self.update_hter()
        if advance:
            nxt = self._next_pending(+1, wrap=False)
            if nxt is None:  # none pending after this: simply the next row
                nxt = self._step(+1)
            if nxt is not None:
                self.current = nxt
        self.refresh_bars()

    def _step(self, d: int) -> int | None:
        rows = self.rows
        if not rows:
            return None
        if d > 0:
            k = bisect_right(rows, self.current)
            return rows[k] if k < len(rows) else None
        k = bisect_left(rows, self.current) - 1
        return rows[k] if k >= 0 else None

    def _next_pending(self, d: int, wrap: bool = True) -> int | None:
        ss = self.session
        rows = self.rows
        if ss is None or not rows:
            return None
        k = bisect_right(rows, self.current) if d > 0 else bisect_left(rows, self.current) - 1
        order = list(range(k, len(rows))) + (list(range(0, k)) if wrap else []) if d > 0 else \
            list(range(k, -1, -1)) + (list(range(len(rows) - 1, k, -1)) if wrap else [])
        for r in order:
            if ss.choices[rows[r]] is None and rows[r] != self.current:
                return rows[r]
        return None

    # ---- events ------------------------------------------------------------------------------
    @on(FindingsList.Selected)
    def _list_clicked(self, event: FindingsList.Selected) -> None:
        # only a click on a row selects; the highlight merely follows ``current``
        self.current = event.index

    @on(ArticleView.Clicked)
    def _article_clicked(self, event: ArticleView.Clicked) -> None:
        self.current = event.index

    # ---- actions -----------------------------------------------------------------------------
    def _ready(self) -> bool:
        return self.session is not None and 0 <= self.current < len(self.session.findings)

    @timed
    def action_next(self) -> None:
        if self._ready():
            nxt = self._step(+1)
            if nxt is not None:
                self.current = nxt

    @timed
    def action_prev(self) -> None:
        if self._ready():
            prv = self._step(-1)
            if prv is not None:
                self.current = prv

    @timed
    def action_next_pending(self) -> None:
        self._jump_pending(+1)

    @timed
    def action_prev_pending(self) -> None:
        self._jump_pending(-1)

    def _jump_pending(self, d: int) -> None:
        if not self._ready():
            return
        j = self._next_pending(d)
        if j is None:
            self.set_status("no other pending finding" + (" in this filter" if self.filter else ""))
        else:
            self.current = j

    @timed
    def _decide(self, status: str, replacement: str | None = None) -> None:
        if not self._ready():
            return
        ss, i = self.session, self.current
        f = ss.findings[i]
        if status == ACCEPTED and f.fix is None:
            status = ACKNOWLEDGED
        try:
            changed = ss.decide(i, status, replacement)
        except Conflict as e:
            self.set_status(f"cannot accept: {e}")
            self.app.bell()
            return
        word = {ACCEPTED: "accepted", REJECTED: "rejected", ACKNOWLEDGED: "acknowledged"}.get(status, status)
        self.after_change(changed, f"{word} ‘{_clip(f.text)}’", advance=True)

    def action_accept(self) -> None:
        self._decide(ACCEPTED)

    def action_reject(self) -> None:
        self._decide(REJECTED)

    @timed
    def action_alternative(self, n: int) -> None:
        if not self._ready():
            return
        ss, i = self.session, self.current
        alts = ss.findings[i].alternatives
        if not 1 <= n <= len(alts):
            self.set_status(f"no alternative {n} for this finding")
            return
        self._decide("alternative", alts[n - 1])

    def action_edit(self) -> None:
        if not self._ready():
            return
        ss, i = self.session, self.current
        c = ss.choices[i]
        s, e = ss.span(i)
        old = ss.text[s:e]
        value = c.replacement if c is not None and c.replacement is not None else (ss.proposed(i) or old)

        def done(result: str | None) -> None:
            if result is None:
                self.set_status("edit cancelled")
                return
            self._decide("edited", result)

        self.app.push_screen(EditScreen(old, value, f"‘{_clip(old)}’ (line {ss.findings[i].line})"), done)

    @timed
    def action_undo(self) -> None:
        if self.session is None:
            return
        changed = self.session.undo()
        if not changed:
            self.set_status("nothing to undo")
            return
        self.after_change(changed, f"undone ({len(changed)} decision{'s' if len(changed) != 1 else ''})")
        self.current = changed[0]

    @timed
    def action_accept_all(self) -> None:
        if not self._ready():
            return
        ss, i = self.session, self.current
        f = ss.findings[i]
        new = ss.proposed(i)
        try:
            changed = ss.accept_all_like(i)
        except Conflict as e:
            self.set_status(f"cannot accept: {e}")
            return
        if not changed:
            self.set_status("nothing pending like this one")
            return
        self.after_change(changed, f"accepted {len(changed)} × ‘{_clip(f.text)}’ → ‘{_clip(new or '')}’",
                          advance=True)

    @timed
    def action_diff(self) -> None:
        if self.session is None:
            return
        ss = self.session
        self.app.push_screen(DiffScreen(changed_paragraphs(ss), f"Changes to {ss.path.name} — HTER "
                                        f"{ss.hter():.1f}%"))

    @timed
    def action_reject_rule(self) -> None:
        if not self._ready():
            return
        ss, i = self.session, self.current
        rule = ss.findings[i].rule
        changed = ss.reject_rule(i)
        if not changed:
            self.set_status("nothing pending of this rule")
            return
        self.after_change(changed, f"rejected all {len(changed)} pending of {rule} in this article (u undoes)",
                          advance=True)

    def action_filter(self) -> None:
        ss = self.session
        if ss is None or not ss.findings:
            return
        from collections import Counter

        fs = ss.findings
        choices: list[tuple[str, tuple[str, str] | None]] = [(f"all findings ({len(fs)})", None)]
        pend = ss.pending
        choices.append((f"status: pending ({pend})", ("status", "pending")))
        choices.append((f"status: decided ({len(fs) - pend})", ("status", "decided")))
        for kind, key in (("family", lambda f: f.family), ("severity", lambda f: str(f.severity)),
                          ("rule", lambda f: f.rule)):
            for value, n in sorted(Counter(key(f) for f in fs).items()):
                label = f"{kind}: {value} ({n})"
                if kind == "rule":
                    label = f"rule: {value} ({n})"
                choices.append((label, (kind, value)))

        def done(choice) -> None:
            if choice is False:  # cancelled
                return
            self.filter = choice
            self._apply_filter()
            self.message = f"showing {len(self.rows)} of {len(fs)}: {self.filter_label()}"
            self.refresh_bars()

        self.app.push_screen(FilterScreen(choices, self.filter), done)

    def action_search(self) -> None:
        ss = self.session
        if ss is None or not ss.findings:
            return

        def done(query: str | None) -> None:
            if query is None:
                return
            query = query.strip()
            self.filter = ("search", query) if query else None
            self._apply_filter()
            self.message = (f"{len(self.rows)} finding{'s' if len(self.rows) != 1 else ''} match ‘{query}’"
                            if query else "search cleared")
            self.refresh_bars()

        cur = self.filter[1] if self.filter and self.filter[0] == "search" else ""
        self.app.push_screen(SearchScreen(cur), done)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(help_rows(self)))

    @timed
    def action_save(self) -> None:
        if self.session is None:
            return
        ss = self.session
        try:
            res = ss.save()
        except ExternalChange as e:
            self.set_status(str(e))
            self.app.notify(str(e), severity="error", timeout=8)
            return
        except OSError as e:
            self.set_status(f"not saved: {e}")
            self.app.notify(f"not saved: {e}", severity="error", timeout=8)
            return
        if res.changed:
            kept = f"; original kept as {res.original.name}" if res.original else ""
            msg = f"saved {ss.path.name}: {res.fixes} fix{'es' if res.fixes != 1 else ''} applied{kept}"
        else:
            msg = f"no text changes; decisions recorded in {res.record.name}"
        self.app.notify(msg, timeout=4)
        self.rapp.reopen_current(note=msg, current=self.current)

    def action_learn(self) -> None:
        if not self._ready():
            return
        app = self.rapp
        ss, i = self.session, self.current
        f = ss.findings[i]
        target = app.learn_into
        if target is None:
            self.set_status("no glossary to learn into: start with --learn-into FILE (the shipped glossaries "
                            "are not edited)")
            self.app.bell()
            return
        if f.family == "language" or len(f.text) > 60 or "\n" in f.text:
            self.set_status("only a flagged word or name can be added to the glossary")
            return
        lang = ss.language if ss.language and ss.language != "auto" else "en"
        term = app.glossary_term(f.term) if f.term else None
        term_here = term is not None and Path(term.path).resolve() == Path(target).resolve() \
            and f.rule != "name/near-miss"
        kind = term.kind if term is not None else "term"
        form = f.text

        def done(choice: str | None) -> None:
            if choice is None:
                self.set_status("not added to the glossary")
                return
            try:
                msg = learn_form(target, form, lang, f.term if choice == "term" else None, kind=kind,
                                 note="" if choice == "term" else f"accepted in review of {ss.path.name}")
            except Exception as e:  # GlossaryError, OSError
                self.set_status(f"glossary not changed: {e}")
                return
            try:
                ss.decide(i, REJECTED)
            except Conflict:
                pass
            ss.write_record()
            app.reload_glossaries()
            app.sessions.pop(ss.path, None)
            app.open_article(app.pos, note=msg, current=i)

        self.app.push_screen(LearnScreen(form, lang, f.term, term_here, str(target)), done)

    def action_next_article(self) -> None:
        self.rapp.step_article(+1)

    def action_prev_article(self) -> None:
        self.rapp.step_article(-1)

    def action_quit(self) -> None:
        self.rapp.request_quit()

    def autosave_record(self) -> None:
        ss = self.session
        if ss is not None and ss.record_dirty:
            try:
                ss.write_record()
            except OSError as e:
                self.set_status(f"review record not written: {e}")


def describe_error(e: BaseException) -> str:
    """A reviewer-readable reason for a file that cannot be opened (no Python exception text)."""
    if isinstance(e, InputError):
        return str(e)
    if isinstance(e, UnicodeDecodeError):
        return (f"not UTF-8 text (byte 0x{e.object[e.start]:02x} at position {e.start}); "
                "convert the file to UTF-8 and open it again")
    if isinstance(e, FileNotFoundError):
        return "no such file"
    if isinstance(e, IsADirectoryError):
        return "a folder, not a file"
    if isinstance(e, PermissionError):
        return "permission denied"
    if isinstance(e, OSError):
        return (e.strerror or "cannot be read").lower()
    msg = str(e).strip() or type(e).__name__
    return msg.splitlines()[0]


def _clip(s: str, n: int = 30) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n - 1] + "…"


class ReviewApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "copydesk review"
    BINDINGS = [Binding("ctrl+t", "toggle_theme", "Theme", show=False)]

    def __init__(self, project: Project, options: ReviewOptions) -> None:
        super().__init__()
        self.project = project
        self.options = options
        learn_into, theme = options.learn_into, options.theme
        self.meta = dict(options.meta)  # kept in each review record (e.g. the MT engine), for audit --reviews
        self.paths = [str(p) for p in options.paths]
        self.lang = project.lang
        glossary_paths = [p for p, _t in project.settings.glossaries]
        if learn_into is None and glossary_paths and Path(glossary_paths[0]).suffix == ".toml":
            learn_into = glossary_paths[0]
        self.learn_into = Path(learn_into) if learn_into else None
        self.glossary = None
        self._terms: dict = {}
        self.queue: list[Path] = []
        self.pos = 0
        self.scanning = True
        self.sessions: dict[Path, ReviewSession] = {}
        self.open_time: float | None = None  # seconds from start to the first article shown
        self.paint_time: float | None = None  # seconds from start to the first paint of the screen
        self.started = 0.0  # perf_counter() when the app loaded
        self.started_cpu = 0.0  # process_time() then
        self.paint_cpu: float | None = None  # CPU seconds of this process from start to the first paint
        if theme:
            self.theme = theme

    def get_default_screen(self) -> Screen:
        return ReviewScreen()

    @property
    def review(self) -> ReviewScreen:
        """The main screen (the bottom of the screen stack)."""
        return self.screen_stack[0]  # type: ignore[return-value]

    def on_load(self) -> None:
        self.started = time.perf_counter()
        self.started_cpu = time.process_time()

    # ---- the project -----------------------------------------------------------------------
    def ready_project(self) -> Project:
        """The project with its glossary compiled (the first call compiles it: workers call
        this, never the UI thread) and the glossary's terms at hand for the detail panel."""
        glossary = self.project.checker.glossary
        if glossary is not self.glossary:
            self.glossary = glossary
            self._terms = {t.id: t for t in glossary.terms} if glossary is not None else {}
        return self.project

    def reload_glossaries(self) -> None:
        """Read the glossaries again (the reviewer added a form to ``--learn-into``)."""
        from qa.text.glossary import shipped_glossary_files

        paths = [p for p, _t in self.project.settings.glossaries] or [str(p) for p in shipped_glossary_files()]
        if self.learn_into is not None and self.learn_into.exists() \
                and not any(Path(p).resolve() == self.learn_into.resolve() for p in paths):
            paths.append(str(self.learn_into))
        self.project = self.project.reloaded(paths)

    def glossary_term(self, term_id: str):
        return self._terms.get(term_id)

    # ---- the queue (workers post messages; the handlers below run on the app's thread) ----------
    class Queued(Message):
        def __init__(self, path: Path, session: ReviewSession | None = None) -> None:
            self.session = session  # opened by the scan (an article of a folder), or None
            self.path = path
            super().__init__()

    class ScanDone(Message):
        def __init__(self, found: bool) -> None:
            self.found = found
            super().__init__()

    class SetupFailed(Message):
        def __init__(self, error: str) -> None:
            self.error = error
            super().__init__()

    class Opened(Message):
        def __init__(self, session: ReviewSession, note: str, current: int | None) -> None:
            self.session, self.note, self.current = session, note, current
            super().__init__()

    class OpenFailed(Message):
        def __init__(self, path: Path, error: BaseException) -> None:
            self.path, self.error = path, error
            super().__init__()

    @work(thread=True, exclusive=True, group="scan")
    def scan(self) -> None:
        try:
            project = self.ready_project()
        except Exception as e:  # GlossaryError, LanguageError, SelectionError
            self.post_message(self.SetupFailed(str(e)))
            return
        found = False
        for path, explicit in expand_queue(self.paths, self.project):
            if not explicit:
                try:
                    s = self.open_session(path, project)
                except (OSError, UnicodeDecodeError, InputError):
                    continue
                if s.pending == 0:
                    continue
            else:
                s = None
            found = True
            self.post_message(self.Queued(path, s))
        self.post_message(self.ScanDone(found))

    @on(SetupFailed)
    def _setup_failed(self, event: SetupFailed) -> None:
        self.exit(None, 2, f"copydesk: error: {event.error}")

    @on(Queued)
    def _queued(self, event: Queued) -> None:
        if event.session is not None:
            self.sessions[event.path] = event.session
        self.queue.append(event.path)
        if len(self.queue) == 1:
            self.open_article(0)
        else:
            self.review.refresh_bars()

    @on(ScanDone)
    def _scan_done(self, event: ScanDone) -> None:
        self.scanning = False
        if not event.found:
            self.review.show_session(None, note="no findings to review in " + ", ".join(self.paths))
        else:
            self.review.refresh_bars()

    def open_session(self, path: Path, project: Project) -> ReviewSession:
        """Read and check one article (in a worker thread): with its source under ``--source``."""
        o = self.options
        return ReviewSession.open(path, project, meta=self.meta, source=o.source, source_lang=o.source_lang)

    def reopen_current(self, note: str = "", current: int | None = None) -> None:
        """Check the current article again (after a save) and show it."""
        if self.queue:
            self.sessions.pop(self.queue[self.pos], None)
            self.open_article(self.pos, note=note, current=current)

    def open_article(self, pos: int, note: str = "", current: int | None = None) -> None:
        if not self.queue:
            return
        self.pos = pos % len(self.queue)
        path = self.queue[self.pos]
        cached = self.sessions.get(path)
        if cached is not None and not cached.changed_on_disk():
            self._show(cached, note, current)
            return
        self.review.query_one("#main").loading = True
        self.review.set_status(f"checking {path.name}…")
        self._open_worker(path, note, current)

    @work(thread=True, exclusive=True, group="open", description="open article")
    def _open_worker(self, path: Path, note: str, current: int | None) -> None:
        try:
            project = self.ready_project()
            s = self.open_session(path, project)
        except Exception as e:
            self.post_message(self.OpenFailed(path, e))
            return
        self.post_message(self.Opened(s, note, current))

    @on(Opened)
    def _opened(self, event: Opened) -> None:
        self._show(event.session, event.note, event.current)

    @on(OpenFailed)
    def _open_failed(self, event: OpenFailed) -> None:
        self.review.query_one("#main").loading = False
        self.review.show_session(None, note=f"{event.path.name}: cannot open: {describe_error(event.error)}")

    def _show(self, s: ReviewSession, note: str = "", current: int | None = None) -> None:
        self.sessions[s.path] = s
        self.review.show_session(s, current, note)
        if self.open_time is None:
            self.open_time = time.perf_counter() - self.started

    def step_article(self, step: int) -> None:
        if len(self.queue) < 2:
            self.review.set_status("no other article in the queue" + (" (still scanning)" if self.scanning else ""))
            return
        self.review.autosave_record()
        self.open_article(self.pos + step)

    # ---- quitting ----------------------------------------------------------------------------
    def unsaved(self) -> list[ReviewSession]:
        return [s for s in self.sessions.values() if s.has_changes]

    def request_quit(self) -> None:
        pending = self.unsaved()
        if not pending:
            self._flush_records()
            self.exit(0)
            return
        names = ", ".join(s.path.name for s in pending[:3]) + ("…" if len(pending) > 3 else "")
        n = sum(sum(1 for c in s.choices if c is not None and c.changes_text) for s in pending)

        def done(choice: str | None) -> None:
            if choice == "save":
                for s in pending:
                    try:
                        s.save()
                    except (ExternalChange, OSError) as e:
                        self.review.set_status(str(e))
                        self.notify(str(e), severity="error", timeout=8)
                        return
                self._flush_records()
                self.exit(0)
            elif choice == "quit":
                self._flush_records()
                self.exit(0)

        self.push_screen(QuitScreen(
            f"{n} accepted fix{'es' if n != 1 else ''} not saved to {names}.\n"
            "Quitting without saving keeps your decisions in the review record: reopen the article to resume."),
            done)

    def _flush_records(self) -> None:
        for s in self.sessions.values():
            if s.record_dirty:
                try:
                    s.write_record()
                except OSError:
                    pass

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def make_app(project: Project, options: ReviewOptions) -> ReviewApp:
    """The review app: the one factory, used by ``copydesk review`` (and so by every
    browser of ``--serve``, which runs that command) and by the tests."""
    return ReviewApp(project, options)


def create_app(paths: Sequence[str | Path], glossary: Sequence[str] | None = None, lang: str = "en",
               learn_into: str | Path | None = None, select=None, ignore=None, theme: str | None = None,
               source: str | None = None, source_lang: str | None = None,
               meta: dict[str, str] | None = None) -> ReviewApp:
    """The review app from plain options, without a configuration file (tests and
    scripts): builds the project and options as ``copydesk review`` does, then
    :func:`make_app`."""
    extra = [str(learn_into)] if learn_into and Path(learn_into).exists() else []
    project = Project.from_options(glossary=glossary, lang=lang, select=select, ignore=ignore, no_config=True,
                                   extra_glossaries=extra)
    options = ReviewOptions(tuple(str(p) for p in paths), learn_into=str(learn_into) if learn_into else None,
                            meta=dict(meta or {}), source=source, source_lang=source_lang, theme=theme,
                            glossary=tuple(glossary or ()), lang=lang, select=tuple(select or ()),
                            ignore=tuple(ignore or ()), no_config=True)
    return make_app(project, options)


def run_review(project: Project, options: ReviewOptions) -> int:
    """``copydesk review``: the paths were checked to exist by the CLI."""
    if options.serve:
        from .serve import serve

        return serve(options)
    app = make_app(project, options)
    rc = app.run()
    if app.return_code == 1:
        # the app itself exits with 0 (done) or 2 (a setup error); Textual ends an app
        # with 1 after an unhandled exception (it has shown the traceback), and 1 means
        # "findings" to a caller: an internal error has its own code (EXIT_INTERNAL)
        print("copydesk: internal error in the review UI (see the traceback above; please report this)",
              file=sys.stderr)
        return 3
    return app.return_code if app.return_code is not None else (rc or 0)
