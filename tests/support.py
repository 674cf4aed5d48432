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
