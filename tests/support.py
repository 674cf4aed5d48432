"""What several test modules share (imported as ``support``; fixtures are in conftest.py).

The development data (``../shared``: seeds, eval-dev, real-dev, external test
cases) is not part of the project. A test that needs it calls
:func:`need_shared`: without the data it skips with the reason, and with
``COPYDESK_REQUIRE_SHARED=1`` (set by ``.ci/run``) a missing file fails the
test instead, so a run that lost its real inputs cannot pass green.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL_DEV = SHARED / "eval-dev"
REQUIRE_ENV = "COPYDESK_REQUIRE_SHARED"


def need_shared(path: Path, what: str | None = None) -> Path:
    """``path`` (under ``../shared``), or skip -- fail with ``COPYDESK_REQUIRE_SHARED=1``."""
    if not path.exists():
        reason = f"{what or 'test data'} not found: {path}"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the development data is required)", pytrace=False)
        pytest.skip(reason)
    return path


def seed(prefix: str) -> Path:
    """The seed article ``../shared/seeds/PREFIX_*.txt``."""
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return need_shared(found[0] if found else SEEDS / f"{prefix}_*.txt", f"seed {prefix}")


# the article and glossary of the review-session, TUI and --serve tests
GLOSSARY = """# glossary used by the review tests
[glossary]
name = "review test"
format = 1

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
forms.nl = "Dmytro Koeleba"  # the Dutch press spelling
native.uk = "Дмитро Кулеба"

[[term]]
id = "vladimir-putin"
kind = "person"
forms.en = "Vladimir Putin"
native.ru = "Владимир Путин"

[[term]]
id = "antony-blinken"
kind = "person"
forms.en = "Antony Blinken"

[[term]]
id = "lena-klinken"
kind = "person"
forms.en = "Lena Klinken"

[[term]]
id = "luhansk"
kind = "place"
forms.en = "Luhansk"
native.uk = "Луганськ"
native.ru = "Луганск"
"""

ARTICLE = (
    "Kyiv rejects Moscow demands\n"
    "\n"
    "Ukrainian Foreign Minister Koeleba said on Tuesday that Poetin has no right to make demands about NATO. "
    "According to Koeleba, the talks must include Kyiv.\n"
    "\n"
    "US Secretary of State Glinken met his counterparts in Riga. Putins statements were called "
    "â€œdangerousâ€ by several ministers.\n"
    "\n"
    "Fighting continued in Lugansk and Donetsk, where separatists shelled the front line.\n"
)


# ---- the review app's pilot tests ----------------------------------------------------------
def sync(fn):
    """Run an async pilot test with asyncio (no pytest-asyncio needed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def app_for(art, g, select=("name",), **kw):
    from tui.app import create_app

    return create_app([str(art)], [str(g)], "en", select=list(select) if select else None, **kw)


async def settle(pilot) -> None:
    """Wait until the article is checked and shown (the check runs in a worker)."""
    app = pilot.app
    for _ in range(400):
        await pilot.pause(0.02)
        if not app.workers._workers and app.review.session is not None \
                and not app.review.query_one("#main").loading:
            break
    await app.workers.wait_for_complete()
    await pilot.pause()


def big_article(path: Path, paragraphs: int = 2500) -> None:
    import random

    rnd = random.Random(7)
    subj = ["The council", "A spokesman", "The minister", "Local officials", "The committee", "The mayor"]
    verb = ["said", "announced", "confirmed", "warned", "reported", "argued"]
    obj = ["the budget", "new schools", "the flooding", "road repairs", "the harbour", "tax changes"]
    tail = ["would be discussed next week", "had been delayed again", "was a priority", "remained uncertain"]
    out = []
    for i in range(paragraphs):
        if i % 5 == 0:
            out.append(f"Foreign Minister Koeleba told Glinken that talks on {rnd.choice(obj)} would go on, day {i}.")
        else:
            out.append(f"{rnd.choice(subj)} {rnd.choice(verb)} on day {i} that {rnd.choice(obj)} {rnd.choice(tail)}, "
                       f"and {rnd.choice(obj)} {rnd.choice(tail)}.")
        out.append("")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
