"""``copydesk review``: a terminal UI to accept, reject or edit each finding.

The UI is a thin layer over :class:`qa.review.ReviewSession` (decisions,
undo, applying fixes, HTER, saving) and :mod:`qa.records` (review records).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Sequence

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from qa.records import ACCEPTED, ACKNOWLEDGED, REJECTED
from qa.review import Conflict, ExternalChange, ReviewSession, learn_form

from .screens import DiffScreen, EditScreen, HelpScreen, LearnScreen, QuitScreen
from .widgets import ArticleView, DetailPanel, FindingsList, detail_text

ARTICLE_SUFFIXES = (".txt", ".md")


def expand_queue(paths: Sequence[str | Path]) -> list[tuple[Path, bool]]:
    """(article, explicit) for each path; a folder gives its *.txt / *.md articles
    (hidden folders such as .copydesk skipped)."""
    out: list[tuple[Path, bool]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for x in sorted(p.rglob("*")):
                rel = x.relative_to(p).parts
                if x.is_file() and x.suffix in ARTICLE_SUFFIXES and not any(s.startswith(".") for s in rel):
                    out.append((x, False))
        else:
            out.append((p, True))
    return out


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("j,down", "next", "Next"),
        Binding("k,up", "prev", "Prev"),
        Binding("a", "accept", "Accept"),
        Binding("r", "reject", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("u", "undo", "Undo"),
        Binding("A", "accept_all", "All alike"),
        Binding("d", "diff", "Diff"),
        Binding("g", "learn", "Glossary"),
        Binding("s", "save", "Save"),
        Binding("n", "next_article", "Next art.", show=False),
        Binding("p", "prev_article", "Prev art.", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        *[Binding(str(n), f"alternative({n})", f"Alt {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.session: ReviewSession | None = None
        self.current = -1
        self.message = ""
        self.hter: float | None = None

    # ---- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("copydesk review", id="topbar")
        with Horizontal(id="main"):
            yield ArticleView(id="article")
            with Vertical(id="side"):
                yield FindingsList(id="findings")
                yield DetailPanel("", id="detail")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#findings", FindingsList).can_focus = False
        self.query_one("#article", ArticleView).focus()
        self.query_one("#main").loading = True
        self.set_status("Checking…")
        self.set_interval(2.0, self.autosave_record)
        self.rapp.scan()  # started here, not in App.on_mount: the result must not arrive before this set-up

    @property
    def rapp(self) -> "ReviewApp":
        return self.app  # type: ignore[return-value]

    # ---- showing a session ----------------------------------------------------------------
    def show_session(self, session: ReviewSession | None, current: int | None = None, note: str = "") -> None:
        self.session = session
        self.query_one("#main").loading = False
        article = self.query_one("#article", ArticleView)
        flist = self.query_one("#findings", FindingsList)
        if session is None or not session.findings:
            self.current = -1
            article.load(session)
            flist.load(session)
            self.query_one("#detail", DetailPanel).update(
                Text("No findings in this article." if session is not None else "No article with findings.",
                     style="dim"))
        else:
            if current is None:
                current = next((i for i, c in enumerate(session.choices) if c is None), 0)
            current = min(max(0, current), len(session.findings) - 1)
            self.current = -1
            article.load(session, current)
            flist.load(session)
            self.select(current)
        extra = ""
        if session is not None and session.resumed:
            extra = f"resumed {session.resumed} decision{'s' if session.resumed != 1 else ''} from the review record"
        self.message = "  ".join(x for x in (note, extra) if x)
        self.refresh_bars()
        self.update_hter()

    def select(self, i: int) -> None:
        ss = self.session
        if ss is None or not ss.findings:
            return
        i = min(max(0, i), len(ss.findings) - 1)
        if i == self.current:
            return
        self.current = i
        self.query_one("#article", ArticleView).set_current(i)
        flist = self.query_one("#findings", FindingsList)
        if flist.highlighted != i:
            flist.highlighted = i
        self.update_detail()
        self.refresh_bars()

    def update_detail(self) -> None:
        if self.session is None or self.current < 0:
            return
        # the panel has a fixed size: no layout pass needed (that pass costs more than the rest of a keypress)
        self.query_one("#detail", DetailPanel).update(
            detail_text(self.session, self.current, self.rapp.glossary), layout=False)

    def refresh_bars(self) -> None:
        ss = self.session
        app = self.rapp
        q = app.queue
        pos = f"article {app.pos + 1}/{len(q)}{'+' if app.scanning else ''}" if q else "no articles"
        if ss is None:
            top = f" copydesk review  ·  {pos}"
        else:
            n = len(ss.findings)
            where = f"  ·  finding {self.current + 1}/{n}" if n else ""
            unsaved = "  ·  ● unsaved" if ss.has_changes else ""
            decided = f"{ss.decided}/{n} decided"
            last = ss.last_save
            if last is not None and not ss.has_changes:
                # reopened after a review save: the accepted findings are gone from the text
                decided = (f"{last.get('decided', 0)}/{last.get('findings', 0)} decided, saved "
                           f"({last.get('fixes_applied', 0)} fixes applied)")
                if n > ss.decided:
                    decided += f"  ·  {n - ss.decided} new pending"
            top = f" {ss.path.name}  ·  {decided}{where}  ·  {pos}  ·  {ss.language or '?'}{unsaved}"
        self.query_one("#topbar", Static).update(Text(top, no_wrap=True, overflow="ellipsis"), layout=False)
        self.set_status(self.message)

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
        self.query_one("#status", Static).update(Text("  ·  ".join(parts), no_wrap=True, overflow="ellipsis"), layout=False)

    def update_hter(self) -> None:
        ss = self.session
        if ss is None:
            return
        self.hter = None
        self._hter_worker(ss, ss.accepted_fixes())

    @work(thread=True, exclusive=True, group="hter")
    def _hter_worker(self, ss: ReviewSession, fixes) -> None:
        from qa.review import Hter

        if ss._hter is None:
            ss._hter = Hter(ss.text)
        value = ss._hter.score(fixes)
        self.app.call_from_thread(self._set_hter, ss, value)

    def _set_hter(self, ss: ReviewSession, value: float) -> None:
        if ss is self.session:
            self.hter = value
            self.set_status(self.message)

    def after_change(self, indices: list[int], message: str = "", advance: bool = False) -> None:
        if not indices:
            return
        self.query_one("#article", ArticleView).changed(indices)
        self.query_one("#findings", FindingsList).changed(indices)
        self.message = message
        self.update_detail()
        self.update_hter()
        if advance and self.current + 1 < len(self.session.findings):
            # on to the next pending finding (or simply the next one when none is pending after this)
            choices = self.session.choices
            nxt = next((j for j in range(self.current + 1, len(choices)) if choices[j] is None), self.current + 1)
            self.select(nxt)
        self.refresh_bars()

    # ---- events ------------------------------------------------------------------------------
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "findings" and event.option_index != self.current:
            self.select(event.option_index)

    def on_article_view_clicked(self, event: ArticleView.Clicked) -> None:
        self.select(event.index)

    # ---- actions -----------------------------------------------------------------------------
    def _ready(self) -> bool:
        return self.session is not None and 0 <= self.current < len(self.session.findings)

    def action_next(self) -> None:
        if self._ready():
            self.select(self.current + 1)

    def action_prev(self) -> None:
        if self._ready():
            self.select(self.current - 1)

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

    def action_undo(self) -> None:
        if self.session is None:
            return
        changed = self.session.undo()
        if not changed:
            self.set_status("nothing to undo")
            return
        self.after_change(changed, f"undone ({len(changed)} decision{'s' if len(changed) != 1 else ''})")
        self.select(changed[0])

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

    def action_diff(self) -> None:
        if self.session is None:
            return
        ss = self.session
        self.app.push_screen(DiffScreen(ss.diff(), f"Changes to {ss.path.name} — HTER "
                                        f"{ss.hter():.1f}%"))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

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
        self.rapp.sessions.pop(ss.path, None)
        self.rapp.open_article(self.rapp.pos, note=msg, current=self.current)

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
            app.reset_checker()
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


def _clip(s: str, n: int = 30) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n - 1] + "…"


class ReviewApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "copydesk review"
    BINDINGS = [Binding("ctrl+t", "toggle_theme", "Theme", show=False)]

    def __init__(self, paths: Sequence[str | Path], glossary: Sequence[str] | None = None, lang: str = "en",
                 learn_into: str | Path | None = None, select: Sequence[str] | None = None,
                 ignore: Sequence[str] | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.paths = [str(p) for p in paths]
        self.glossary_paths = list(glossary) if glossary else None
        self.lang = lang
        if learn_into is None and self.glossary_paths and Path(self.glossary_paths[0]).suffix == ".toml":
            learn_into = self.glossary_paths[0]
        self.learn_into = Path(learn_into) if learn_into else None
        self.select_rules, self.ignore_rules = select, ignore
        self.checker = None
        self.glossary = None
        self._terms: dict = {}
        self.queue: list[Path] = []
        self.pos = 0
        self.scanning = True
        self.sessions: dict[Path, ReviewSession] = {}
        self.open_time: float | None = None  # seconds from mount to the first article shown
        self._t0 = 0.0
        if theme:
            self.theme = theme

    def get_default_screen(self) -> Screen:
        return ReviewScreen()

    @property
    def review(self) -> ReviewScreen:
        """The main screen (the bottom of the screen stack)."""
        return self.screen_stack[0]  # type: ignore[return-value]

    def on_load(self) -> None:
        self._t0 = time.perf_counter()

    # ---- the checker -----------------------------------------------------------------------
    def make_checker(self):
        from qa.cli import make_checker
        from qa.glossary import shipped_glossary_files

        paths = list(self.glossary_paths) if self.glossary_paths else None
        if self.learn_into is not None and self.learn_into.exists():
            base = paths if paths is not None else [str(p) for p in shipped_glossary_files()]
            if not any(Path(p).resolve() == self.learn_into.resolve() for p in base):
                paths = base + [str(self.learn_into)]
        ns = argparse.Namespace(glossary=paths, lang=self.lang, select=self.select_rules, ignore=self.ignore_rules)
        checker = make_checker(ns)
        self.checker = checker
        self.glossary = checker.glossary
        self._terms = {t.id: t for t in checker.glossary.terms} if checker.glossary is not None else {}
        return checker

    def reset_checker(self) -> None:
        self.checker = None

    def glossary_term(self, term_id: str):
        return self._terms.get(term_id)

    # ---- the queue -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="scan")
    def scan(self) -> None:
        try:
            checker = self.checker or self.make_checker()
        except Exception as e:  # GlossaryError, LanguageError, SelectionError
            self.call_from_thread(self.exit, None, 2, f"copydesk: error: {e}")
            return
        shown = False
        for path, explicit in expand_queue(self.paths):
            if not explicit:
                try:
                    s = ReviewSession.open(path, checker)
                except (OSError, UnicodeDecodeError):
                    continue
                if s.pending == 0:
                    continue
                self.sessions[path] = s
            self.call_from_thread(self.queue.append, path)
            if not shown:
                shown = True
                self.call_from_thread(self.open_article, 0)
        self.scanning = False
        if not shown:
            self.call_from_thread(self._nothing)
        else:
            self.call_from_thread(self.review.refresh_bars)

    def _nothing(self) -> None:
        self.review.show_session(None, note="no findings to review in " + ", ".join(self.paths))

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

    @work(thread=True, exclusive=True, group="open")
    def _open_worker(self, path: Path, note: str, current: int | None) -> None:
        try:
            checker = self.checker or self.make_checker()
            s = ReviewSession.open(path, checker)
        except Exception as e:
            self.call_from_thread(self._open_failed, path, e)
            return
        self.call_from_thread(self._show, s, note, current)

    def _open_failed(self, path: Path, e: Exception) -> None:
        self.review.query_one("#main").loading = False
        self.review.show_session(None, note=f"{path.name}: cannot open: {e}")

    def _show(self, s: ReviewSession, note: str = "", current: int | None = None) -> None:
        self.sessions[s.path] = s
        self.review.show_session(s, current, note)
        if self.open_time is None:
            self.open_time = time.perf_counter() - self._t0

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


def create_app(paths: Sequence[str | Path], glossary: Sequence[str] | None = None, lang: str = "en",
               learn_into: str | Path | None = None, select=None, ignore=None, theme: str | None = None) -> ReviewApp:
    """The review app (for tests and ``copydesk review``)."""
    return ReviewApp(paths, glossary, lang, learn_into, select, ignore, theme)


def run_review(args) -> int:
    app = create_app(args.paths, getattr(args, "glossary", None), getattr(args, "lang", "en"),
                     getattr(args, "learn_into", None), getattr(args, "select", None), getattr(args, "ignore", None))
    rc = app.run()
    return app.return_code if app.return_code is not None else (rc or 0)
