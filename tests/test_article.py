"""article/* rules: duplicated paragraphs, boilerplate, double spaces, doubled words."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import need_shared

from qa.engine.document import Document
from qa.engine.fixes import apply_fixes, select_fixes
from qa.rules.article import BOILERPLATE, check_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "eval-dev"


def _seed(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not files:
        need_shared(SEEDS / f"{prefix}_*.txt", f"seed {prefix}")
    return files[0].read_text(encoding="utf-8")


def _findings(text: str, rule: str | None = None, lang: str = "en"):
    out = list(check_article(Document(text=text, lang=lang)))
    return [f for f in out if rule is None or f.rule == rule]


def _fixed(text: str, rule: str, lang: str = "en") -> str:
    return apply_fixes(text, [f.fix for f in _findings(text, rule, lang)])


# --- seed 004 ---------------------------------------------------------------------------------
def test_seed_004_duplicates():
    text = _seed("004")
    dups = _findings(text, "article/duplicate-paragraph")
    # a headline repeated after its teaser (twice), and the repeated teaser+headline+body block (once)
    assert len(dups) == 3
    for f in dups:
        # the later copy is flagged; an identical text exists earlier
        assert text.index(f.text) < f.start
    block = [f for f in dups if "repeat the block" in f.message]
    assert len(block) == 1 and text[block[0].start:block[0].end].count("\n") >= 4
    fixed = _fixed(text, "article/duplicate-paragraph")
    long_lines = [" ".join(x.split()) for x in fixed.splitlines() if len(x.split()) >= 4]
    assert len(long_lines) == len(set(long_lines))  # no orphan headline left behind
    assert fixed.rstrip().endswith("Popular")
    assert "\n\n\n\n" not in fixed.replace("\u00a0", "")
    assert fixed.count("\n\n\n") == text.count("\n\n\n")  # no new blank-line pile-up


def test_seed_004_boilerplate():
    text = _seed("004")
    found = _findings(text, "article/boilerplate")
    lines = [f.text for f in found]
    assert "Related articles" in lines
    assert lines.count("Editor's choice") == 2  # the third goes with the repeated block it opens
    assert "Popular" in lines
    assert any(t.startswith("photo: ") for t in lines)
    assert any(t.startswith("source:") for t in lines)  # up to the URL (no rule looks inside URLs)
    kinds = {f.text: f.data["kind"] for f in found}
    assert kinds["Related articles"] == "navigation"
    assert next(k for t, k in kinds.items() if t.startswith("photo:")) == "caption"
    # no article sentence is taken for boilerplate
    for f in found:
        assert len(f.text.split()) <= 3 or f.data["kind"] in ("caption", "credit")


def test_seed_004_through_engine():
    text = _seed("004")
    from qa.engine.checker import Checker

    findings, _ = Checker(index=None, lang="en", select=["language", "article"]).check_text(text)
    rules = {f.rule for f in findings}
    assert {"article/duplicate-paragraph", "article/boilerplate"} <= rules
    assert not any(f.family == "language" for f in findings)
    # the source line names a URL: the finding must avoid it (the engine drops findings on URLs)
    assert any(f.rule == "article/boilerplate" and f.text.startswith("source:") for f in findings)
    # fixes never collide: every safe and unsafe fix applies, none is left out as overlapping
    fixes = select_fixes(findings, unsafe=True)
    assert fixes
    out = apply_fixes(text, fixes)
    removed = sum(e.end - e.start - len(e.replacement) for fx in fixes for e in fx.edits)
    assert len(text) - len(out) == removed
    for f in findings:
        if f.fix is not None and f.fix.edits[0].replacement == "":  # each deleted block: one copy fewer
            cut = text[f.fix.start:f.fix.end].strip()
            assert out.count(cut) < text.count(cut), f


def test_seed_000_is_clean():
    assert _findings(_seed("000")) == []


def test_dev_clean_articles_have_no_warnings():
    files = sorted((DEV / "clean").glob("*.txt")) if DEV.is_dir() else []
    if not files:
        need_shared(DEV / "clean", "development corpus")
    for path in files:
        found = [f for f in _findings(path.read_text(encoding="utf-8")) if f.severity != "info"]
        assert found == [], path.name


# --- duplicate paragraphs --------------------------------------------------------------------------
A = "Kyiv was quiet on Sunday morning after a night of air raid alerts."
B = "The talks resume on Monday in Geneva, the foreign ministry said."


def test_duplicate_removed_with_its_blank_line():
    text = f"{A}\n\n{B}\n\n{B}\n\nEnd of the story here today.\n"
    assert _fixed(text, "article/duplicate-paragraph") == f"{A}\n\n{B}\n\nEnd of the story here today.\n"


def test_duplicate_at_the_end_and_with_extra_blank_lines():
    text = f"{A}\n\n\n\n{B}\n\n   \n{A}\n"
    f = _findings(text, "article/duplicate-paragraph")
    assert len(f) == 1 and f[0].start == text.rindex(A)
    assert _fixed(text, "article/duplicate-paragraph") == f"{A}\n\n\n\n{B}\n"


def test_duplicate_with_different_whitespace_and_repeated_blocks():
    text = f"{A}\n\n{B}\n\n{A.replace(' ', '  ', 2)}\n\n{B}\n\n{B}\n"
    found = _findings(text, "article/duplicate-paragraph")
    assert len(found) == 2  # the repeated A+B block is one finding, the third B another
    assert _fixed(text, "article/duplicate-paragraph") == f"{A}\n\n{B}\n"


def test_crlf_duplicate():
    text = f"{A}\r\n\r\n{B}\r\n\r\n{B}\r\n"
    assert _fixed(text, "article/duplicate-paragraph") == f"{A}\r\n\r\n{B}\r\n"


def test_headline_repeated_as_first_sentence_is_not_flagged():
    text = ("Talks resume in Geneva\n\nTalks resume in Geneva on Monday, the foreign ministry said. "
            "Both delegations arrived on Sunday.\n")
    assert _findings(text, "article/duplicate-paragraph") == []
    # but a headline printed twice in a row is a repeat
    text2 = "Talks resume in Geneva\n\nTalks resume in Geneva\nBoth delegations arrived on Sunday.\n"
    found = _findings(text2, "article/duplicate-paragraph")
    assert [f.text for f in found] == ["Talks resume in Geneva"]
    assert _fixed(text2, "article/duplicate-paragraph") == "Talks resume in Geneva\nBoth delegations arrived on Sunday.\n"


def test_short_repeated_blocks_are_not_duplicates():
    text = f"{A}\n\n* * *\n\n{B}\n\n* * *\n\nNews\n\nNews\n"
    assert _findings(text, "article/duplicate-paragraph") == []


# --- boilerplate --------------------------------------------------------------------------------------
@pytest.mark.parametrize("line", [
    "Related articles", "Editor's choice", "Editor’s picks", "Popular", "Most read", "Read more",
    "Read more: Kyiv asks for air defence", "Share this article", "Advertisement", "ADVERTISEMENT",
    "Sign up for our newsletter", "Subscribe to our daily newsletter", "This website uses cookies.",
    "We use cookies to improve your experience. Accept all cookies",
    "Photo: Reuters", "photo: The president at the ceremony on Wednesday. AFP",
    "Zelensky in Brussels on Thursday. Photo: EPA", "source: Ukrinform with agencies", "Related:",
])
def test_boilerplate_lines(line):
    text = f"{A}\n{line}\n{B}\n"
    found = _findings(text, "article/boilerplate")
    assert len(found) == 1, line
    assert found[0].text == line
    assert found[0].fix.applicability.value == "unsafe"
    assert _fixed(text, "article/boilerplate") == f"{A}\n{B}\n"


@pytest.mark.parametrize("line", [
    "Readers can read more about the talks in our archive.",
    "The news came as a surprise to the ministers.",
    "Popular anger grew after the strike on the power plant.",
    "The photo was taken on Wednesday by a local resident.",
    "Sources said the talks could resume next week.",
    "He refused to share this article's conclusions with reporters.",
])
def test_not_boilerplate(line):
    assert _findings(f"{A}\n\n{line}\n", "article/boilerplate") == []


def test_boilerplate_per_language():
    assert _findings(f"{A}\nLees ook: Oekraïne wil meer luchtafweer\n", "article/boilerplate", "nl")
    assert _findings(f"{A}\nLesen Sie auch\n", "article/boilerplate", "de")
    assert _findings(f"{A}\nMehr zum Thema\n", "article/boilerplate", "en") == []


def test_boilerplate_paragraph_removed_without_blank_pile_up():
    text = f"{A}\n\nRelated articles\n\n{B}\n"
    assert _fixed(text, "article/boilerplate") == f"{A}\n\n{B}\n"
    text = f"{A}\n\nAdvertisement"
    assert _fixed(text, "article/boilerplate") == f"{A}\n"


def test_caption_and_credit_are_info_navigation_is_warning():
    found = {f.data["kind"]: f.severity.value for f in
             _findings(f"{A}\nPhoto: Reuters\nsource: TASS\nRelated articles\n", "article/boilerplate")}
    assert found == {"caption": "info", "credit": "info", "navigation": "warning"}


def test_boilerplate_table_examples_match():
    import regex

    for b in BOILERPLATE:
        assert b.example
        assert regex.fullmatch(b.pattern, b.example, regex.IGNORECASE), b.example


# --- double space ------------------------------------------------------------------------------------
def test_double_spaces():
    text = "The talks  resume on Monday.   Both sides\u00a0 agreed.\n"
    found = _findings(text, "article/double-space")
    assert [f.text for f in found] == ["  ", "   ", "\u00a0 "]
    assert _fixed(text, "article/double-space") == "The talks resume on Monday. Both sides agreed.\n"


@pytest.mark.parametrize("text", [
    "    Indented line.\n", "Trailing spaces   \n", "One\u00a0no-break space.\n", "Tab\t\tseparated\n",
    "A line\n\n  indented after a blank line\n",
])
def test_no_double_space(text):
    assert _findings(text, "article/double-space") == []


# --- doubled words ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("They met in in Geneva.", "They met in Geneva."),
    ("The the talks resumed.", "The talks resumed."),
    ("He said that the\nthe ministers agreed.", "He said that the ministers agreed."),
    ("It was a a surprise.", "It was a surprise."),
    ("Київ і і Харків.", "Київ і Харків."),
])
def test_doubled_word_positive(text, expected):
    found = _findings(text, "article/doubled-word")
    assert len(found) == 1
    assert found[0].fix.applicability.value == "safe"
    assert _fixed(text, "article/doubled-word") == expected


@pytest.mark.parametrize("text, lang", [
    ("He had had enough.", "en"),
    ("She said that that was wrong.", "en"),
    ("He gave her her book.", "en"),
    ("They flew to Walla Walla and Bora Bora.", "en"),
    ("The spa town of Baden-Baden.", "en"),
    ("Bye bye, he said, very very quietly.", "en"),
    ("The end.\n\nThe end is near.", "en"),  # across a blank line: another paragraph
    ("De man die die brief schreef.", "nl"),
    ("Nous nous sommes vus.", "fr"),
    ("Die Frau, die die Rede hielt.", "de"),
    ("the theory", "en"),
    ("ISO ISO", "en"),
])
def test_doubled_word_negative(text, lang):
    assert _findings(text, "article/doubled-word", lang) == []


# --- scaling: one article repeated (issue 23) ----------------------------------------------------
def _article_cpu(text: str) -> float:
    import time

    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        t = time.process_time()
        out = list(check_article(Document(text=text, lang="en")))
        best = min(best, time.process_time() - t)
    assert any(f.rule == "article/duplicate-paragraph" for f in out)
    return best


def test_repeated_article_costs_linear_time():
    # Every copy was compared with every earlier copy (O(N²)) and each boilerplate line copied
    # the text before it: 10× the repeats took ~100× the time. Linear work gives ~10×; the bound
    # leaves room for a noisy machine, and a quadratic cost is far above it.
    article = ("Talks resume in Geneva\n\nThe ministers met on Monday in Geneva to resume the talks.\n"
               "Related articles\n\nBoth sides said the talks had been useful, and a date was set.\n\n")
    small = _article_cpu(article * 300)
    large = _article_cpu(article * 3000)
    assert large / max(small, 1e-4) < 20, (small, large)


# --- doubled words in Dutch and German (issue 27) ------------------------------------------------
@pytest.mark.parametrize("text, lang", [
    # subject pronoun + the same word as reflexive or possessive
    ("Het is belangrijk dat je je niet vergist in de datum.", "nl"),
    ("Hij zette het slot erop, zodat je je fiets niet kwijtraakt.", "nl"),
    ("Als ze ze nodig hebben, bellen ze de gemeente.", "nl"),
    ("Kunt u u vóór vrijdag aanmelden bij de balie?", "nl"),
    ("Zij kamt elke ochtend haar haar voor de spiegel.", "nl"),
    ("Hij voelde door haar haar de wind.", "nl"),
    # pronoun + article, infinitive marker + preposition or separable prefix, idiom
    ("De vraag is of het het geld waard is.", "nl"),
    ("De bus moest stoppen om om te keren bij de brug.", "nl"),
    ("De raad besloot om om negen uur te beginnen.", "nl"),
    ("Ze hoorde via via dat de fabriek dichtging.", "nl"),
    # an acronym and the same letters as a word
    ("Volgens het OM om die reden geen vervolging.", "nl"),
    ("The IT it bought last year still works.", "en"),
    # German: noun + its verb, emphatic doubling, names
    ("Wenn hinter Fliegen Fliegen fliegen, fliegen Fliegen Fliegen nach.", "de"),
    ("„Hallo hallo“, rief der Moderator ins Publikum.", "de"),
    ("Das war sehr sehr knapp.", "de"),
    ("Die Wahl in Afghanistan gewann Abdullah Abdullah nicht.", "de"),
    ("Habt ihr ihr Geld schon abgeholt?", "de"),
    # English still keeps its correct doublings
    ("He had had enough, and he said that that was all.", "en"),
    # a quoted English phrase in Dutch copy
    ("Hij sprak over technologie voor Canada plus plus en de grens.", "nl"),
    # a verb-final clause and the main verb without a comma; verb "zijn" + possessive
    ("Voor hij het park uit was was zijn woede al gezakt.", "nl"),
    ("Alleen wie vee heeft heeft hier het recht te wonen.", "nl"),
    ("Daarvoor zijn zijn schouders te zwak.", "nl"),
    # a doubling standing alone as an exclamation
    ("Goed goed, ik maak het wat eenvoudiger.", "nl"),
    ("Er was te veel lawaai, genoeg genoeg, zei hij.", "nl"),
    ("Na na, so schlimm war es nicht.", "de"),
])
def test_doubled_word_correct_doublings_nl_de(text, lang):
    assert _findings(text, "article/doubled-word", lang) == []


@pytest.mark.parametrize("text, lang, expected", [
    ("Het overleg begint in de de raadzaal.", "nl", "Het overleg begint in de raadzaal."),
    ("De boer verkocht zijn land van van de familie.", "nl", "De boer verkocht zijn land van de familie."),
    ("De ouders halen hun hun kinderen op.", "nl", "De ouders halen hun kinderen op."),
    ("Hij at brood en en kaas.", "nl", "Hij at brood en kaas."),
    ("Nadat de bond een een detective had ingehuurd.", "nl", "Nadat de bond een detective had ingehuurd."),
    ("Het kan niet niet opnieuw gebeuren.", "nl", "Het kan niet opnieuw gebeuren."),
    ("De om om acht uur vertrokken trein.", "nl", "De om acht uur vertrokken trein."),  # no "te": a slip
    ("De trein was was vertraagd.", "nl", "De trein was vertraagd."),  # no clause before: a slip
    # a pronoun doubling after a preposition or opening a sentence is a slip
    ("Hij woont in het het oude huis.", "nl", "Hij woont in het oude huis."),
    ("Ze kwam met je je fiets aan.", "nl", "Ze kwam met je fiets aan."),
    ("Het het plan is klaar.", "nl", "Het plan is klaar."),
    # German: doubled verbs, adverbs and nouns are slips (not only function words)
    ("Die Ermittlungen sind sind noch nicht beendet.", "de", "Die Ermittlungen sind noch nicht beendet."),
    ("Er hat das Auto gestern gestern gekauft.", "de", "Er hat das Auto gestern gekauft."),
    ("Er hat das Auto gekauft gekauft.", "de", "Er hat das Auto gekauft."),
    ("Das geschah vor vier Jahren Jahren in Bonn.", "de", "Das geschah vor vier Jahren in Bonn."),
    ("Dann kam die Polizei Polizei zum Haus.", "de", "Dann kam die Polizei zum Haus."),
    ("Sind sind die Wahlen vorbei?", "de", "Sind die Wahlen vorbei?"),  # sentence start: no noun
    ("They they met in Geneva.", "en", "They met in Geneva."),
])
def test_doubled_word_slips_nl_de(text, lang, expected):
    found = _findings(text, "article/doubled-word", lang)
    assert len(found) == 1, found
    assert found[0].fix.applicability.value == "safe"
    assert _fixed(text, "article/doubled-word", lang) == expected


@pytest.mark.parametrize("text, lang", [
    ("Op de markt kocht ze appels een een peer.", "nl"),  # "appels en een peer"
    ("We had bread an an apple.", "en"),
])
def test_doubled_word_that_may_be_another_word_is_not_a_safe_fix(text, lang):
    found = _findings(text, "article/doubled-word", lang)
    assert len(found) == 1
    assert found[0].fix.applicability.value == "unsafe"


# --- reused headings and refrains are not duplicates; repeated bullet blocks are (issue 27) -----------
def _dups(text: str, lang: str = "en"):
    return _findings(text, "article/duplicate-paragraph", lang)


@pytest.mark.parametrize("text, lang", [
    # the title reused as a section heading, each time over different text
    ("Haie als Opfer der Schlagzeilen\n\nIn Australien berichtete die Presse über mehrere Unfälle mit Haien.\n\n"
     "Haie als Opfer der Schlagzeilen\nForscher weisen darauf hin, dass Menschen jährlich Millionen Haie töten.\n",
     "de"),
    ("Wat de gemeente wil\n\nDe raad stemde dinsdag over het plan voor de haven.\n\n"
     "Wat de gemeente wil\nVolgens de wethouder moet de haven over vijf jaar klaar zijn.\n", "nl"),
    # a refrain between different steps of help text
    ("To set up the printer:\n1. Open the Settings menu on the device.\nTap Save and wait for the beep.\n"
     "2. Choose the network you want to use.\nTap Save and wait for the beep.\n"
     "3. Enter the password of the network.\nTap Save and wait for the beep.\n", "en"),
    ("Step 1: Open the app on your phone.\n\nTap Save and wait for the beep.\n\n"
     "Step 2: Choose the network you want to use.\n\nTap Save and wait for the beep.\n\n"
     "Step 3: Enter the password.\n", "en"),
    ("Zo stel je de printer in:\n1. Open het menu Instellingen op het apparaat.\nTik op Opslaan en wacht op de piep.\n"
     "2. Kies het netwerk dat je wilt gebruiken.\nTik op Opslaan en wacht op de piep.\n", "nl"),
    ("So richten Sie den Drucker ein:\n1. Öffnen Sie das Menü Einstellungen.\nTippen Sie auf Speichern und warten Sie.\n"
     "Bestätigen Sie mit OK, wenn die Meldung kommt.\n2. Wählen Sie das Netzwerk aus der Liste.\n"
     "Tippen Sie auf Speichern und warten Sie.\nBestätigen Sie mit OK, wenn die Meldung kommt.\n"
     "3. Geben Sie das Passwort ein.\n", "de"),
])
def test_reused_heading_and_refrain_are_not_duplicates(text, lang):
    assert _dups(text, lang) == []


@pytest.mark.parametrize("text, lang", [
    # a repeated block of bullet points
    ("Die wichtigsten Punkte:\n- Die Steuer steigt um zwei Prozent im Jahr.\n- Rentner zahlen ab 2025 weniger.\n"
     "- Die Reform gilt ab Januar für alle Länder.\n\nDer Bundestag stimmt im März ab.\n\n"
     "- Die Steuer steigt um zwei Prozent im Jahr.\n- Rentner zahlen ab 2025 weniger.\n"
     "- Die Reform gilt ab Januar für alle Länder.\n", "de"),
    ("Key points:\n• Taxes rise by two per cent a year.\n• Pensioners pay less from 2025.\n"
     "• The reform applies to every region from January.\n\nParliament votes in March.\n\n"
     "• Taxes rise by two per cent a year.\n• Pensioners pay less from 2025.\n"
     "• The reform applies to every region from January.\n", "en"),
    # two bullet points repeated inside a list
    ("Key points:\n- Taxes rise by two per cent a year.\n- Pensioners pay less from 2025.\n"
     "- The reform applies to every region.\n- Taxes rise by two per cent a year.\n"
     "- Pensioners pay less from 2025.\n- Parliament votes in March.\n", "en"),
    # a heading printed twice in a row
    ("Wat de gemeente wil met de haven\n\nWat de gemeente wil met de haven\n\nDe raad stemde dinsdag.\n", "nl"),
    # a sentence repeated as its own paragraph is a duplicate even between different paragraphs
    ("De raad stemde dinsdag over het plan.\n\nDe wethouder is blij.\n\nDe raad stemde dinsdag over het plan.\n\n"
     "Het plan kost tien miljoen.\n", "nl"),
])
def test_repeated_blocks_are_still_duplicates(text, lang):
    assert len(_dups(text, lang)) == 1
