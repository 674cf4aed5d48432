"""language/* rules and qa.text.langid: real behaviour on seeds, the dev corpus and look-alikes."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from support import need_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.engine.document import Document
from qa.engine.fixes import apply_fixes
from qa.text.langid import detect, detect_document_language
from qa.rules.language import check_language, find_untranslated, number_format_findings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "eval-dev"


def _seed(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not files:
        need_shared(SEEDS / f"{prefix}_*.txt", f"seed {prefix}")
    return files[0].read_text(encoding="utf-8")


def _lang_findings(text: str, lang: str = "en", index=None):
    return list(check_language(Document(text=text, lang=lang, index=index)))


def _untranslated(text: str, lang: str = "en"):
    return [f for f in _lang_findings(text, lang) if f.rule == "language/untranslated"]


# Paragraphs written for these tests (not taken from the corpus).
EN_BEFORE = "The ministers met in Brussels on Thursday to discuss the budget for the coming year.\n\n"
EN_AFTER = "\n\nThe talks will continue next week in Luxembourg, officials said.\n"
NL = ("De burgemeester van Charkiv heeft dinsdag gevraagd om extra generatoren voor de ziekenhuizen in de "
      "stad. Volgens hem is het stroomnet na de aanvallen van de afgelopen weken zo zwak dat elke nieuwe "
      "aanval tot lange stroomuitval kan leiden, en de gemeente wil het geld vooral aan noodstroom besteden.")
IT = ("Il presidente ucraino ha chiesto ai partner europei di accelerare la consegna dei sistemi di difesa "
      "aerea, sostenendo che ogni settimana di ritardo costa vite umane e danni alle infrastrutture "
      "energetiche del paese.")
RU = ("Президент Украины попросил европейских партнёров ускорить поставки систем противовоздушной обороны, "
      "заявив, что каждая неделя задержки стоит человеческих жизней.")
EN_LONG = ("Andrii Yermak, the head of the presidential office, arrived in the Belgian capital a day early to "
           "brief ambassadors. According to two diplomats who attended, he put air defence at the top of his "
           "list and warned that every week of delay would be counted in damaged power plants.")


# --- langid ---------------------------------------------------------------------------
def test_detect_without_letters_is_empty():
    assert detect("") == []
    assert detect("123 456 !!! -- 2021") == []


def test_detect_maps_to_iso_639_1():
    zh = detect("中华人民共和国外交部发言人今天在记者会上表示")
    assert zh and zh[0][0] == "zh"
    assert detect(NL)[0][0] == "nl"


def test_detect_is_independent_of_call_order():
    texts = [NL, IT, RU, EN_LONG, "Meeting Lavrov, Glinken", "wil meer geld voor defensie",
             "Talks with Medvedev", "Ja", "Der Bundestag tagt"]
    first = {t: detect(t) for t in texts}
    rng = random.Random(7)
    for _ in range(3):
        order = texts[:]
        rng.shuffle(order)
        for t in order:
            assert detect(t) == first[t]


@settings(max_examples=25, deadline=None)
@given(st.permutations(["Poetin wil meer geld voor defensie", "Meeting Lavrov, Glinken", NL, EN_LONG,
                        "Het kabinet wil de steun aan Oekraïne volgend jaar verhogen."]))
def test_verdicts_do_not_depend_on_order(order):
    ref = {t: [(f.start, f.end, f.message) for f in _untranslated(EN_BEFORE + t + EN_AFTER)] for t in sorted(order)}
    for t in order:
        got = [(f.start, f.end, f.message) for f in _untranslated(EN_BEFORE + t + EN_AFTER)]
        assert got == ref[t]


def test_document_language():
    assert detect_document_language(Document(text=NL + "\n\n" + NL)) == "nl"
    assert detect_document_language(Document(text=EN_LONG + "\n\n" + EN_BEFORE)) == "en"
    assert detect_document_language(Document(text="12 34 !!\n\n2021")) is None
    # one foreign paragraph does not change the article's language
    assert detect_document_language(Document(text=EN_LONG + "\n\n" + NL + "\n\n" + EN_LONG.replace("day", "week")
                                             + "\n\n" + EN_LONG.replace("two", "three"))) == "en"


# --- seeds and dev corpus ------------------------------------------------------------------
def test_seed_000_machine_translation_is_not_flagged():
    text = _seed("000")
    assert "Meeting Lavrov, Glinken" in text
    assert [f for f in _lang_findings(text) if f.rule == "language/untranslated"] == []
    assert _lang_findings(text) == []  # 13,000 is already English


def test_seed_004_scraped_article_is_not_flagged():
    assert _lang_findings(_seed("004")) == []


def _dev():
    if not (DEV / "labels.json").is_file():
        need_shared(DEV / "labels.json", "development corpus")
    return json.loads((DEV / "labels.json").read_text(encoding="utf-8"))


def _dev_index():
    from qa.text.glossary import load_glossaries
    from qa.text.index import GlossaryIndex

    return GlossaryIndex.build(load_glossaries([DEV / "glossary.toml"]), "en")  # a broken glossary fails the test


def test_dev_corpus_foreign_paragraphs_are_found():
    labels = _dev()
    index = _dev_index()
    missed, total = [], 0
    for name, labs in sorted(labels.items()):
        foreign = [lab for lab in labs if lab["cat"].startswith("foreign:")]
        if not foreign:
            continue
        text = (DEV / "corrupt" / name).read_text(encoding="utf-8")
        found = [f for f in _lang_findings(text, index=index) if f.rule == "language/untranslated"]
        for lab in foreign:
            total += 1
            span = lab["end"] - lab["start"]
            ok = [f for f in found
                  if min(f.end, lab["end"]) - max(f.start, lab["start"]) >= 0.5 * span
                  and f.data["language"] == lab["cat"].split(":", 1)[1]]
            if not ok:
                missed.append((name, lab["cat"]))
    assert total > 0
    assert missed == [], f"missed {len(missed)}/{total}: {missed}"


def test_dev_corpus_no_false_alarms():
    labels = _dev()
    index = _dev_index()
    for path in sorted((DEV / "clean").glob("*.txt")):
        assert _lang_findings(path.read_text(encoding="utf-8"), index=index) == [], path.name
    # nor outside the foreign labels of the corrupted copies
    for name, labs in sorted(labels.items()):
        text = (DEV / "corrupt" / name).read_text(encoding="utf-8")
        spans = [(lab["start"], lab["end"]) for lab in labs if lab["cat"].startswith("foreign:")]
        for f in _lang_findings(text, index=index):
            assert any(f.start < e and s < f.end for s, e in spans), (name, f.rule, f.text[:60])


def test_dev_corpus_through_the_engine():
    labels = _dev()
    from qa.engine.checker import Checker

    checker = Checker(index=_dev_index(), lang="en", select=["language"])
    name = next(n for n, labs in sorted(labels.items()) if any(lab["cat"].startswith("foreign:") for lab in labs))
    findings, lang = checker.check_text((DEV / "corrupt" / name).read_text(encoding="utf-8"))
    assert lang == "en"
    assert any(f.rule == "language/untranslated" for f in findings)


# --- untranslated: positives -------------------------------------------------------------
@pytest.mark.parametrize("para, lang", [(NL, "nl"), (IT, "it"), (RU, "ru")])
def test_foreign_paragraph_is_flagged(para, lang):
    text = EN_BEFORE + para + EN_AFTER
    found = _untranslated(text)
    assert len(found) == 1
    f = found[0]
    assert text[f.start:f.end] == para
    assert f.data["language"] == lang and f.data["confidence"] >= 0.9
    assert f.fix is None
    assert f.message.startswith("paragraph is in ") and f.message.endswith("not English")


def test_message_names_language_and_confidence():
    f = _untranslated(EN_BEFORE + NL + EN_AFTER)[0]
    assert f.message == "paragraph is in Dutch (p=1.00), not English"
    assert f.data["confidence"] == 1.0


def test_short_foreign_sentence_with_enough_words_is_flagged():
    found = _untranslated(EN_BEFORE + "Het kabinet wil de steun aan Oekraïne volgend jaar verhogen." + EN_AFTER)
    assert [f.data["language"] for f in found] == ["nl"]


def test_foreign_heading_next_to_foreign_paragraph_is_flagged():
    text = EN_BEFORE + "Poetin wil meer geld voor defensie\n\n" + NL + EN_AFTER
    found = _untranslated(text)
    assert [text[f.start:f.end][:20] for f in found] == ["Poetin wil meer geld", NL[:20]]
    assert all(f.data["language"] == "nl" for f in found)


def test_english_heading_next_to_foreign_paragraph_is_not_flagged():
    text = EN_BEFORE + "Putin wants more money for defence\n\n" + NL + EN_AFTER
    assert [f.data["language"] for f in _untranslated(text)] == ["nl"]
    assert _untranslated(text)[0].text == NL


def test_untranslated_sentence_inside_a_paragraph():
    para = ("The ministers met in Brussels on Thursday and agreed on a new package of aid for Ukraine. "
            "De ministers spraken ook over de bescherming van de energie-infrastructuur en de levering van "
            "luchtafweer aan het land. The next meeting is planned for March.")
    text = EN_BEFORE + para + EN_AFTER
    found = _untranslated(text)
    assert len(found) == 1
    assert text[found[0].start:found[0].end].startswith("De ministers spraken")
    assert text[found[0].start:found[0].end].endswith("aan het land.")
    assert found[0].message.startswith("sentence is in Dutch")


def test_other_target_language():
    text = NL + "\n\n" + EN_LONG + "\n\n" + NL.replace("donderdag", "vrijdag") + "\n"
    found = _untranslated(text, "nl")
    assert [(f.data["language"], f.text) for f in found] == [("en", EN_LONG)]
    assert found[0].message.endswith("not Dutch")


# --- untranslated: look-alikes that stay clean ------------------------------------------------
LOOKALIKES = {
    "heading": "Meeting Lavrov, Glinken",
    "name_only": "Mariupol, Sevastopol, Odesa",
    "name_list": "Volodymyr Zelensky, Andrzej Duda, Kaja Kallas",
    "byline": "By Jane Smith and Oleksandr Kovalenko",
    "caption": "Volodymyr Zelensky and Andrzej Duda in Rzeszów on Tuesday.",
    "source": "source: Ukrinform with Interfax-Ukraine and agencies",
    "quoted_french": ("It was what the French call « la rentrée », the return to work after the long summer "
                      "holidays, and the ministers in Paris came back to a crowded agenda."),
    "quoted_dutch": ("The prime minister called it a matter of “gedoogbeleid”, a Dutch word for tolerating "
                     "what is formally forbidden, and said the coalition would not change course."),
    "ukrainian_russian_names": (
        "Oleksandr Syrskyi, Valerii Zaluzhnyi and Kyrylo Budanov met Andrei Belousov's envoys, while "
        "Mykhailo Podolyak and Dmytro Kuleba spoke with Oleksii Reznikov and Yulia Svyrydenko in "
        "Zaporizhzhia, Kharkiv and Dnipro."),
    "german_words": (
        "The Bundestag debated the Zeitenwende again on Thursday, and Olaf Scholz told the Bundesrat that "
        "the Sondervermögen for the Bundeswehr would be spent by the end of the Legislaturperiode, a promise "
        "the Ampel coalition has made before."),
    "short_foreign_quote": "“Slava Ukraini!” the crowd shouted.",
    "dateline": "KYIV, 12 March (Reuters) -",
}


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_clean(name):
    assert _lang_findings(EN_BEFORE + LOOKALIKES[name] + EN_AFTER) == []


def test_raw_langdetect_would_misjudge_the_heading():
    # the reason for the short-text rule: langdetect alone calls this heading non-English
    assert detect("Meeting Lavrov, Glinken")[0][0] != "en"
    assert _lang_findings("Meeting Lavrov, Glinken\n") == []


def test_clearly_english_paragraphs_skip_langdetect():
    doc = Document(text=(EN_LONG + "\n\n") * 50 + NL + "\n", lang="en")
    found = find_untranslated(doc)
    assert len(found) == 1
    assert doc.results.language_stats.detected == 1  # only the Dutch paragraph


def test_unknown_target_language_is_not_checked():
    assert _untranslated(EN_BEFORE + NL + EN_AFTER, "ga") == []  # Irish: langdetect does not know it


# --- number format ---------------------------------------------------------------------------
def _numbers(text: str, lang: str = "en"):
    return list(number_format_findings(Document(text=text, lang=lang)))


@pytest.mark.parametrize("text, expected, safe", [
    ("There are at least 13.000 deaths.", "There are at least 13,000 deaths.", True),
    ("Some 1.500.000 people fled.", "Some 1,500,000 people fled.", True),
    ("The deal is worth 1,5 million euros.", "The deal is worth 1.5 million euros.", True),
    ("Prices rose 2,75% in May.", "Prices rose 2.75% in May.", True),
    ("Growth was 0,5 per cent.", "Growth was 0.5 per cent.", True),
    ("A 3.000-strong force crossed.", "A 3,000-strong force crossed.", True),
    ("The road is 3,5 km long.", "The road is 3.5 km long.", False),
])
def test_number_format_positives(text, expected, safe):
    found = _numbers(text)
    assert len(found) == 1
    assert (found[0].fix.applicability.value == "safe") is safe
    assert apply_fixes(text, [f.fix for f in found]) == expected


@pytest.mark.parametrize("text", [
    "The war began in 2014.",
    "Version 3.1.2 was released.",
    "The column drove 1.500 kilometres.",  # 1.5 or 1,500? ambiguous alone
    "The meeting starts at 13.00.",
    "The server 192.168.1.1 answered.",
    "Inflation was 3.5 percent.",
    "Items 1,2,3 were approved.",
    "The decree of 1.12.2021 applies.",
    "A batting average of 0.500.",
    "It cost 1,500 million dollars.",  # English thousands
    "Chapters 1,5 and 7 are missing.",  # no unit: not a clear decimal
    "See www.example.com/a/13.000 for details.",
])
def test_number_format_negatives(text):
    assert _numbers(text) == []


def test_ambiguous_group_flagged_unsafe_when_text_shows_dot_thousands():
    text = "The column drove 1.500 kilometres; 13.000 people fled."
    found = {f.text: f.fix.applicability.value for f in _numbers(text)}
    assert found == {"1.500": "unsafe", "13.000": "safe"}


def test_one_thousand_is_unsafe():
    assert [f.fix.applicability.value for f in _numbers("It lasted 1.000 days.")] == []
    assert [f.fix.applicability.value for f in _numbers("It lasted 1.000 days; 13.000 died.")] == ["unsafe", "safe"]


def test_number_format_dutch_and_german_targets():
    text = "Er vielen 13,000 doden en 1,500,000 vluchtelingen; het kost 1.5 miljoen euro, in 2014 om 13.00."
    got = {f.text: (f.fix.edits[0].replacement, f.fix.applicability.value) for f in _numbers(text, "nl")}
    assert got == {"13,000": ("13.000", "unsafe"), "1,500,000": ("1.500.000", "safe"), "1.5": ("1,5", "safe")}
    assert [f.text for f in _numbers("Das kostet 2.5 Milliarden Euro.", "de")] == ["2.5"]
    assert [f.text for f in _numbers("Cela coûte 1.5 milliard d'euros.", "fr")] == ["1.5"]
    assert _numbers("Er vielen 13.000 doden.", "nl") == []


def test_numbers_inside_untranslated_paragraph_are_left_alone():
    para = NL.replace("elke nieuwe aanval", "elke nieuwe aanval op 13.000 woningen")
    assert para != NL and "13.000" in para  # the number is really in the Dutch paragraph
    found = _lang_findings(EN_BEFORE + para + EN_AFTER)
    assert [f.rule for f in found] == ["language/untranslated"]


def test_rust_backend_agrees_with_langdetect(eval_dev):
    """langdetect-rs is used when installed: it must give langdetect's answers exactly."""
    pytest.importorskip("langdetect_rs")
    from qa.text.langid import detect

    paragraphs = []
    for f in sorted(eval_dev.glob("*/*.txt"))[:20]:
        paragraphs += [p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    paragraphs += [NL, IT, RU, EN_LONG, "Talks with Lavrov, Glinken", "1234", ""]
    assert len(paragraphs) > 100
    for p in paragraphs:
        assert detect(p, backend="rust") == detect(p, backend="python"), p[:80]


# --- issue 27: quotations, citations, links and name lists are carried on purpose --------------------
DE_BEFORE = ("Der ukrainische Präsident hat sich am Dienstag erneut an die westlichen Partner gewandt und "
             "mehr Unterstützung für die Luftverteidigung gefordert.\n\n")
DE_AFTER = "\n\nDie Bundesregierung äußerte sich zunächst nicht zu der Forderung.\n"
NL_BEFORE = ("De Oekraïense president heeft dinsdag opnieuw een beroep gedaan op de westerse partners en om "
             "meer steun voor de luchtverdediging gevraagd.\n\n")
NL_AFTER = "\n\nHet kabinet wilde nog niet reageren op het verzoek.\n"
EN_PROSE = ("The president said on Tuesday that the country would need many more air defence systems before "
            "the winter, and he asked the partners to speed up the deliveries that had been promised in the "
            "spring, because every week of delay would cost lives.")


def _severities(text: str, lang: str):
    return [f.severity.value for f in _untranslated(text, lang)]


@pytest.mark.parametrize("before, after, lang", [(DE_BEFORE, DE_AFTER, "de"), (NL_BEFORE, NL_AFTER, "nl")])
def test_untranslated_prose_without_quotes_or_link_is_still_an_error(before, after, lang):
    assert _severities(before + EN_PROSE + after, lang) == ["error"]


@pytest.mark.parametrize("before, after, lang", [(DE_BEFORE, DE_AFTER, "de"), (NL_BEFORE, NL_AFTER, "nl")])
@pytest.mark.parametrize("unit, kind", [
    # a quoted statement (German, Dutch and English quotation marks)
    ("„" + EN_PROSE + "“", "quotation"),
    ("“" + EN_PROSE + "”", "quotation"),
    # an embedded post with its link
    (EN_PROSE + " https://twitter.com/example/status/1234567890 — Example Office (@example) 4 October 2022",
     "link"),
    # a paper's title with its citation
    ("Kowalski J, Smith K, et al. (2021). Long-term effects of economic sanctions on the trade networks of "
     "the countries of Eastern Europe and Central Asia. Journal of Economic Studies 45(3): 211–230.", "citation"),
])
def test_foreign_text_carried_on_purpose_is_info(before, after, lang, unit, kind):
    found = _untranslated(before + unit + after, lang)
    assert found, "still reported"
    assert all(f.severity.value == "info" for f in found)
    assert {f.data["kind"] for f in found} == {kind}


RESULTS = "\n".join(f"{a}\t{i % 5} - {b}\t{(i * 3) % 6}" for i, (a, b) in enumerate([
    ("Rangers", "Flyers"), ("Blue Jackets", "Capitals"), ("Maple Leafs", "Senators"), ("Red Wings", "Blues"),
    ("Mighty Ducks", "Blackhawks"), ("Stars", "Kings"), ("Sharks", "Wild"), ("Lightning", "Hurricanes"),
    ("Penguins", "Devils"), ("Oilers", "Avalanche"), ("Canucks", "Coyotes"), ("Bruins", "Islanders")]))


def test_results_table_of_foreign_team_names_is_a_name_list():
    found = _untranslated(DE_BEFORE + "Ergebnisse des ersten Spieltags:\n\n" + RESULTS + DE_AFTER, "de")
    assert found and all(f.severity.value == "info" and f.data["kind"] == "name list" for f in found)
    assert _severities(NL_BEFORE + "Uitslagen van de eerste speeldag:\n\n" + RESULTS + NL_AFTER, "nl") \
        in ([], ["info"])


def test_quoted_dutch_paragraph_in_english_copy_is_info():
    found = _untranslated(EN_BEFORE + "The packaging promises:\n\n“" + NL + "”" + EN_AFTER, "en")
    assert found and [f.severity.value for f in found] == ["info"]
    assert [f.severity.value for f in _untranslated(EN_BEFORE + NL + EN_AFTER, "en")] == ["error"]


def test_english_list_of_ordinary_lines_is_not_a_name_list():
    text = ("The president said on Tuesday that the country needs more help.\n"
            "He asked the partners to speed up the deliveries that were promised.\n"
            "Every week of delay would cost lives and damage the power plants.\n"
            "The ministers will meet again next week to discuss the matter.")
    assert _severities(DE_BEFORE + text + DE_AFTER, "de") == ["error"]


@pytest.mark.parametrize("unit, kind", [
    ("Manchester United 2 - 1 Tottenham Hotspur, Arsenal 0 - 0 Newcastle United, Aston Villa 3 - 2 "
     "Crystal Palace, West Ham United 1 - 4 Leicester City", "name list"),  # one results line
    (RESULTS, "name list"),
    ("„" + EN_PROSE + "“", "quotation"),
    ("Smith K, et al. Trade after sanctions. Journal of Economic Studies 45(3): 211–230.", "citation"),
    (EN_PROSE + " (via @example)", "link"),
    (EN_PROSE, None),  # plain prose
    ("Manchester United beat Tottenham Hotspur two to one on Sunday, and the manager said that the team "
     "had finally found its rhythm after a difficult start to the season.", None),
])
def test_quoted_kind(unit, kind):
    from qa.rules.language import quoted_kind

    doc = Document(text=DE_BEFORE + unit + DE_AFTER, lang="de")
    start = len(DE_BEFORE)
    assert quoted_kind(doc, start, start + len(unit)) == kind


# --- short English units in German / Dutch copy (the target's word list knows most English words) ---
DE_PARA = ("Der Minister hat am Montag in Berlin mit Kollegen aus der Europäischen Union gesprochen. Es ging um "
           "Munition, Stromversorgung und den Wiederaufbau von Schulen.")
NL_PARA = ("De minister heeft maandag in Den Haag gesproken met collega's uit de Europese Unie. Het ging over "
           "munitie, stroomvoorziening en de wederopbouw van scholen.")
SHORT_EN = "He said the government would not accept any deal that was made without the consent of its people."


@pytest.mark.parametrize("lang, para", [("de", DE_PARA), ("nl", NL_PARA)])
def test_short_english_paragraph_in_german_and_dutch_copy_is_flagged(lang, para):
    text = para + "\n\n" + SHORT_EN + "\n\n" + para.replace("Schulen", "Brücken").replace("scholen", "bruggen") + "\n"
    found = _untranslated(text, lang)
    assert [(f.data["language"], f.text) for f in found] == [("en", SHORT_EN)]


@pytest.mark.parametrize("lang, sentence", [
    # short units with many English words that stay in the target language
    ("de", "Das Meeting mit dem Team war ein Deal, sagte der Manager der Firma nach dem Event in Berlin."),
    ("de", "Die Fans feierten das Comeback ihres Teams im Stadion, der Coach sprach von einem Happy End."),
    ("nl", "De manager van het team sprak na de meeting van een goede deal voor de fans en de sponsors."),
    ("nl", "Het was een mooi weekend voor de band: de show in Amsterdam was snel uitverkocht, zei de manager."),
])
def test_short_target_units_with_english_loanwords_stay_clean(lang, sentence):
    para = DE_PARA if lang == "de" else NL_PARA
    assert _untranslated(para + "\n\n" + sentence + "\n\n" + para + "\n", lang) == []
