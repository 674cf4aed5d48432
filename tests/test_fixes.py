"""Applying fixes changes nothing outside the edits (property tests)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from qa.engine.fixes import FixConflict, apply_edits, apply_fixes
from qa.model.findings import Edit, Fix

# text with every kind of line ending and non-ASCII characters
texts = st.lists(st.sampled_from(list("ab ÉéłКу“”’\r\n\t—") + ["\r\n", "Koeleba"]), max_size=40).map("".join)


@st.composite
def text_and_disjoint_fixes(draw):
    """A text, fixes that cannot clash by construction (each starts at least one
    code point after the previous one ends), and the expected output spliced by
    hand from the same cut points -- no overlap logic of the product's."""
    text = draw(texts)
    n = len(text)
    cuts, pos = [], 0
    while pos < n and len(cuts) < 6 and draw(st.booleans()):
        a = draw(st.integers(pos, n))
        b = draw(st.integers(a, min(n, a + 5)))
        if a == b and (a == n or a == pos and cuts):  # an insertion never touches the previous edit or the end
            break
        cuts.append((a, b, draw(st.text(alphabet="xyzŁ’\n", max_size=4))))
        pos = b + 1
    expected, at = "", 0
    for a, b, rep in cuts:
        expected += text[at:a] + rep
        at = b
    expected += text[at:]
    fixes = [Fix.replace(a, b, rep) for a, b, rep in cuts]
    order = draw(st.permutations(range(len(fixes))))
    return text, [fixes[k] for k in order], expected


@given(text_and_disjoint_fixes())
@settings(max_examples=300, deadline=None)
def test_only_the_edited_spans_change(case):
    text, fixes, expected = case
    assert apply_fixes(text, fixes) == expected  # in any order given, every other code point kept


@pytest.mark.parametrize("text, fixes, expected", [
    # overlapping: the fix that starts first is applied, the other left out
    ("abcdef", [Fix.replace(2, 4, "Y"), Fix.replace(1, 3, "X")], "aXdef"),
    # an insertion where another edit starts, ends, or inserts too: which comes first is a guess
    ("abc", [Fix.replace(0, 1, "X"), Fix.replace(0, 0, "i")], "iabc"),
    ("abc", [Fix.replace(0, 2, "X"), Fix.replace(2, 2, "i")], "Xc"),
    ("abc", [Fix.replace(1, 1, "i"), Fix.replace(1, 1, "j")], "aibc"),
    # touching spans without an insertion do not clash
    ("abcd", [Fix.replace(0, 2, "X"), Fix.replace(2, 4, "Y")], "XY"),
    # an insertion one code point away does not clash either
    ("abc", [Fix.replace(0, 1, "X"), Fix.replace(2, 2, "i")], "Xbic"),
])
def test_clashing_fixes_written_out(text, fixes, expected):
    assert apply_fixes(text, fixes) == expected


@given(texts)
@settings(max_examples=100, deadline=None)
def test_no_fix_is_identity_and_line_endings_survive(text):
    assert apply_fixes(text, []) == text
    assert apply_edits(text, []) == text


words = st.sampled_from(["Koeleba", "said", "“no”", "Kuleba’s", "łódź", "", "  "])
line_endings = st.sampled_from(["\n", "\r\n", "\r"])


@given(st.lists(st.tuples(st.lists(words, max_size=5), line_endings), min_size=1, max_size=8),
       st.sets(st.integers(0, 40), max_size=6))
@settings(max_examples=200, deadline=None)
def test_line_endings_survive_word_fixes(lines, picks):
    """Fixing words inside lines keeps every line ending (LF, CRLF, CR) where it was."""
    text, spans = "", []
    for ws, end in lines:
        for k, w in enumerate(ws):
            text += " " if k else ""
            if w.strip():
                spans.append((len(text), len(text) + len(w)))
            text += w
        text += end
    fixes = [Fix.replace(a, b, "X") for i, (a, b) in enumerate(spans) if i in picks]
    out = apply_fixes(text, fixes)
    import re

    assert re.findall(r"\r\n|\r|\n", out) == re.findall(r"\r\n|\r|\n", text)
    assert out.count("X") == len(fixes)


def test_overlapping_fixes_are_never_half_applied():
    text = "abcdef"
    two_edit = Fix((Edit(0, 1, "A"), Edit(3, 4, "D")))
    clash = Fix.replace(3, 5, "XY")
    assert apply_fixes(text, [two_edit, clash]) == "AbcDef"
    assert apply_fixes(text, [clash]) == "abcXYf"


def test_strict_edits_raise_on_overlap():
    with pytest.raises(FixConflict):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")], strict=True)


def test_crlf_file_round_trip_through_cli(tmp_path, mini_glossary_path):
    from qa.cli.main import main

    p = tmp_path / "a.txt"
    raw = "Title\r\n\r\nMinister Koeleba said \u201cno\u201d.\r\nLast line without newline"
    p.write_bytes(raw.encode("utf-8"))
    assert main(["fix", "--in-place", "--glossary", str(mini_glossary_path), str(p)]) == 0
    assert p.read_bytes() == raw.replace("Koeleba", "Kuleba").encode("utf-8")
    assert (tmp_path / "a.txt.orig").read_bytes() == raw.encode("utf-8")


@given(text_and_disjoint_fixes(), st.data())
@settings(max_examples=200, deadline=None)
def test_shift_map_maps_untouched_offsets(case, data):
    """An offset outside every applied edit lands on the same character after the fixes."""
    from qa.engine.fixes import shift_map

    text, fixes, expected = case
    shift = shift_map(text, fixes)
    spans = [(f.start, f.end) for f in fixes]
    free = [i for i in range(len(text)) if not any(s <= i < e or s == e == i for s, e in spans)]
    if free:
        i = data.draw(st.sampled_from(free))
        assert expected[shift(i)] == text[i]
