"""The language rule's masked word lists: the fast path (findall between spans)
against the plain definition (every word of the unit that overlaps no span)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from qa.rules.language import _Spans
from qa.text.langid import WORD


def _plain(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[str]:
    return [m.group() for m in WORD.finditer(text, start, end)
            if not any(s < m.end() and m.start() < e for s, e in spans)]


_ALPHABET = "ab'’ .-1é\n"


@st.composite
def _case(draw):
    text = draw(st.text(alphabet=_ALPHABET, min_size=0, max_size=60))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        s = draw(st.integers(0, max(n, 0)))
        e = draw(st.integers(s, min(n, s + 12)))
        if e > s:
            spans.append((s, e))
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n))
    return text, start, end, spans


@settings(max_examples=1500, deadline=None)
@given(_case())
def test_unmasked_words_are_the_words_that_overlap_no_span(case):
    text, start, end, spans = case
    sp = _Spans(spans)
    assert sp.unmasked_words(text, start, end) == _plain(text, start, end, spans)
    assert [m.group() for m in sp.unmasked(text, start, end)] == _plain(text, start, end, spans)


def test_a_name_span_inside_a_longer_word_drops_the_whole_word():
    text = "Today Putin’s aides met; Putin spoke."
    i = text.index("Putin")
    sp = _Spans([(i, i + 5), (text.index("Putin", i + 1), text.index("Putin", i + 1) + 5)])
    assert sp.unmasked_words(text, 0, len(text)) == ["Today", "aides", "met", "spoke"]
