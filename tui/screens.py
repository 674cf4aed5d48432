"""Modal screens of the review UI: help, diff, edit, add-to-glossary, quit."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

KEYS = [
    ("j / ↓", "next finding"),
    ("k / ↑", "previous finding"),
    ("a", "accept the fix (acknowledge a finding without one)"),
    ("r", "reject: a false alarm, never raised again for this article"),
    ("1 – 9", "accept alternative N"),
    ("e", "edit the replacement (Enter accepts the edited text)"),
    ("u", "undo the last decision"),
    ("A", "accept every pending finding with the same text and fix"),
    ("d", "diff of the changes so far"),
    ("g", "add the flagged form to the glossary (false alarm)"),
    ("s", "save the article (the original is kept as FILE.orig)"),
    ("n / p", "next / previous article of the queue"),
    ("PgUp / PgDn", "scroll the article"),
    ("click", "select a finding in the article or the list"),
    ("ctrl+t", "toggle dark / light theme"),
    ("?", "this help"),
    ("q", "quit (asks first when there are unsaved decisions)"),
]


def keys_table() -> Table:
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold", no_wrap=True)
    t.add_column()
    for k, v in KEYS:
        t.add_row(k, v)
    return t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box"):
            yield Label("copydesk review — keys", classes="modal-title")
            yield VerticalScroll(Static(keys_table()))
            yield Static(Text.from_markup(
                "[dim]Highlights: [b]name[/b], [b]encoding[/b], [b]language[/b], [b]article[/b] findings each "
                "have a colour; accepted fixes show the old text struck through and the new text after it.\n"
                "Press Esc to close.[/dim]"), classes="modal-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


def diff_text(lines: list[str]) -> Text:
    t = Text(end="")
    if not lines:
        t.append("No changes yet: accept a fix first.", style="dim")
        return t
    for ln in lines:
        ln = ln.rstrip("\n").rstrip("\r")
        if ln.startswith(("+++", "---")):
            t.append(ln + "\n", style="bold")
        elif ln.startswith("@@"):
            t.append(ln + "\n", style="cyan")
        elif ln.startswith("+"):
            t.append(ln + "\n", style="green")
        elif ln.startswith("-"):
            t.append(ln + "\n", style="red")
        else:
            t.append(ln + "\n")
    return t


class DiffScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,d", "dismiss", "Close")]

    def __init__(self, lines: list[str], title: str) -> None:
        super().__init__()
        self.lines = lines
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            with VerticalScroll(id="diff-scroll"):
                yield Static(diff_text(self.lines), id="diff-text")
            yield Static("[dim]Esc closes[/dim]", classes="modal-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class EditScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, old: str, value: str, what: str) -> None:
        super().__init__()
        self.old, self.value, self.what = old, value, what

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-box", classes="modal-box"):
            yield Label(f"Replace {self.what}", classes="modal-title")
            yield Static(Text(self.old if len(self.old) < 300 else self.old[:299] + "…", style="strike"))
            yield Input(value=self.value, id="edit-input")
            yield Static("[dim]Enter accepts the edited text · Esc cancels[/dim]", classes="modal-foot")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LearnScreen(ModalScreen[str | None]):
    """Choose how to record a flagged form as accepted: on its term, or as a new term."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("1", "choose('term')", show=False),
                Binding("2", "choose('new')", show=False)]

    def __init__(self, form: str, lang: str, term: str | None, term_here: bool, target: str) -> None:
        super().__init__()
        self.form, self.lang, self.term, self.term_here, self.target = form, lang, term, term_here, target

    def compose(self) -> ComposeResult:
        with Vertical(id="learn-box", classes="modal-box"):
            yield Label(f"Accept ‘{self.form}’ as a {self.lang} spelling", classes="modal-title")
            yield Static(f"into {self.target}")
            with Horizontal(classes="buttons"):
                if self.term and self.term_here:
                    yield Button(f"1 on term {self.term}", id="term", variant="primary")
                yield Button("2 as a new term", id="new")
                yield Button("Cancel", id="cancel")
            yield Static("[dim]The finding is rejected and the glossary reloaded.[/dim]", classes="modal-foot")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_choose(self, which: str) -> None:
        if which == "term" and not (self.term and self.term_here):
            return
        self.dismiss(which)

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuitScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "choose('cancel')", "Cancel"), Binding("s", "choose('save')", show=False),
                Binding("q", "choose('quit')", show=False)]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box", classes="modal-box"):
            yield Label("Unsaved decisions", classes="modal-title")
            yield Static(self.message)
            with Horizontal(classes="buttons"):
                yield Button("s Save and quit", id="save", variant="primary")
                yield Button("q Quit without saving", id="quit", variant="error")
                yield Button("Esc Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, which: str) -> None:
        self.dismiss(which)
