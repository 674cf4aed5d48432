"""Word counts of reports (audit summary, JSON): counted in slices, equal to a
count of the whole text's words."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from qa.model import results

_PLAIN = re.compile(r"\w+(?:[’'-]\w+)*")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1_ '’-\n\t.é", max_size=80), st.integers(1, 9))
def test_slices_count_every_word_once(text, size):
    old = results._SLICE
    results._SLICE = size  # tiny slices: every cut lands next to a word
    try:
        assert results.count_words(text) == len(_PLAIN.findall(text))
    finally:
        results._SLICE = old
