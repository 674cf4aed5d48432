"""Modal screens of the review UI: help, diff, edit, add-to-glossary, quit."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from .plain import language_name

def help_rows(screen) -> list[tuple[str, str]]:
    """(keys, what they do) generated from the bindings of ``screen``, its article view and the
    app: the help screen has no list of its own to keep in step. Bindings with the same
    sentence (the alternatives 1 … 9) share one row."""
    from textual.binding import Binding

    app = screen.app
    rows: dict[str, list[str]] = {}
    sources = [screen.BINDINGS]
    try:
        sources.append(screen.query_one("#article").BINDINGS)
    except Exception:
        pass
    sources.append(app.BINDINGS)
    for bindings in sources:
        for b in bindings:
            if not isinstance(b, Binding):
                continue
            what = b.tooltip or b.description
            if not what:
                continue
            keys = []
            for k in b.key.split(","):
                k = k.strip()
                keys.append(b.key_display if b.key_display and len(b.key.split(",")) == 1 else app.get_key_display(
                    Binding(k, b.action)))
            rows.setdefault(what, []).extend(keys)
    out = []
    for what, keys in rows.items():
        ks = " … ".join((keys[0], keys[-1])) if len(keys) > 3 else " / ".join(keys)
        out.append((ks, what))
    out.append(("click", "select a finding in the article or the list"))
    out.append(("ctrl+p", "command palette (all themes, all commands)"))
    return out


def keys_table(rows: list[tuple[str, str]]) -> Table:
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold", no_wrap=True)
    t.add_column()
    for k, v in rows:
        t.add_row(k, v)
    return t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box"):
            yield Label("copydesk review — keys", classes="modal-title")
            yield VerticalScroll(Static(keys_table(self.rows)))
            yield Static(Text.from_markup(
                "[dim]Findings are highlighted by family (name, encoding, language, article). An accepted fix "
                "shows the old text dimmed, an arrow and the new text: Koeleba→Kuleba.\n"
                "Esc closes.[/dim]"), classes="modal-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


def diff_text(changes: list[tuple[int, str, str]]) -> Text:
    """A word diff, like ``git diff --word-diff``: for each changed line, the line with the
    removed words as [-old-] (red, struck) and the inserted ones as {+new+} (green, bold)."""
    from qa.services.review import word_diff

    t = Text(end="")
    if not changes:
        t.append("No changes yet: accept a fix first.", style="dim")
        return t
    for line, old, new in changes:
        t.append(f"line {line}\n", style="bold cyan")
        for op, piece in word_diff(old, new):
            if op == "=":
                t.append(piece)
            elif op == "-":
                t.append("[-", style="red")
                t.append(piece, style="bold red strike")
                t.append("-]", style="red")
            else:
                t.append("{+", style="green")
                t.append(piece, style="bold green")
                t.append("+}", style="green")
        t.append("\n\n")
    return t


class DiffScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,d", "dismiss", "Close")]

    def __init__(self, changes: list[tuple[int, str, str]], title: str) -> None:
        super().__init__()
        self.changes = changes
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            with VerticalScroll(id="diff-scroll"):
                yield Static(diff_text(self.changes), id="diff-text")
            yield Static("[dim]removed [-like this-], inserted {+like this+} · Esc closes[/dim]",
                         classes="modal-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class FilterScreen(ModalScreen):
    """Pick what the findings list shows: all, by status, family, severity or rule."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: list[tuple[str, object]], current) -> None:
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList

        with Vertical(id="filter-box", classes="modal-box"):
            yield Label("Show in the list", classes="modal-title")
            yield OptionList(*[label for label, _ in self.choices], id="filter-list")
            yield Static("[dim]↑ ↓ and Enter choose · Esc cancels[/dim]", classes="modal-foot")

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        ol = self.query_one("#filter-list", OptionList)
        ol.highlighted = next((k for k, (_, v) in enumerate(self.choices) if v == self.current), 0)
        ol.focus()

    def on_option_list_option_selected(self, event) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(False)


class SearchScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="modal-box"):
            yield Label("Search the findings (flagged text, fix, message, rule)", classes="modal-title")
            yield Input(value=self.value, id="search-input", placeholder="e.g. Kuleba")
            yield Static("[dim]Enter shows the matches · an empty search shows all · Esc cancels[/dim]",
                         classes="modal-foot")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
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
            lang = language_name(self.lang)
            article = "an" if lang[:1].lower() in "aeiou" else "a"
            yield Label(f"Accept ‘{self.form}’ as {article} {lang} spelling", classes="modal-title")
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
