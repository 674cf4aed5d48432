"""Memory stays bounded on a long article: what a check allocates grows in
proportion to the text (no words x spans tables, no whole-text token lists),
measured with tracemalloc, not with a clock."""
from __future__ import annotations

import random
import tracemalloc



from qa.engine.checker import Checker
from qa.text.cache import compile_glossary, read_sources

SENTENCES = [
    "Officials in Kyiv said on Tuesday that talks with Moscow would resume next week.",
    "President Volodymyr Zelensky met Secretary of State Antony Blinken in Kiev.",
    "The mayor of Kharkov, Igor Terekhov, said 13.000 people had left the city.",
    "Read more at https://example.com/news/article-{n}.html or write to desk@example.org.",
    "Foreign minister Dmytro Kouleba told reporters the the plan was ready.",
    "De Oekraïense regering heeft woensdag nieuwe afspraken gemaakt over de bouw van schuilkelders.",
    "Shelling hit Zaporizhzhia and Odesa overnight, the regional governor said.",
    "Sergei Lavrov and Glinken spoke by phone about grain exports from Mykolaiv.",
    "Prices rose 1,5 million hryvnias in Lviv, according to the statistics office.",
]


def article(n_bytes: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    paras, size, k = [], 0, 0
    while size < n_bytes:
        para = " ".join(rng.choice(SENTENCES).format(n=k + j) for j in range(rng.randint(2, 6)))
        if k % 50 == 7 and paras:
            para = paras[rng.randrange(len(paras))]  # a repeated paragraph now and then
        paras.append(para)
        size += len(para) + 2
        k += 1
    return "\n\n".join(paras) + "\n"


def traced_peak(text: str) -> int:
    """Peak bytes allocated while checking ``text`` with every rule (a fresh index, warmed up)."""
    _glossary, index = compile_glossary(read_sources(None), "en")
    checker = Checker(index=index, lang="en")
    checker.check_text(article(20_000, seed=1))  # word lists, tables and caches: loaded before
    tracemalloc.start()
    try:
        findings, _ = checker.check_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert findings  # the article has errors of every family: the rules did run
    return peak


def test_memory_grows_linearly_with_the_article():
    small, large = article(250_000), article(1_000_000)
    p_small, p_large = traced_peak(small), traced_peak(large)
    per_mb = p_large / (len(large) / 1e6) / 2**20
    # four times the text: at most ~4x the memory (a words x spans table would be 16x)
    assert p_large <= 4.6 * p_small, (p_small / 2**20, p_large / 2**20)
    # and a modest multiple of the text itself (the findings, matches and spans)
    assert per_mb <= 34, per_mb  # 27 MB per MB now; 38 before the long-article fixes
