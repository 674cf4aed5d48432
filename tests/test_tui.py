"""The review UI (tui/): pilot tests of every key, and snapshots of the main screens."""
from __future__ import annotations

import time
from pathlib import Path

import pytest


from qa.project.records import ACCEPTED, ALTERNATIVE, EDITED, REJECTED, filter_rejected, load_record, record_path  # noqa: E402
from support import ARTICLE, GLOSSARY, app_for, big_article, seed, settle, sync  # noqa: E402
from tui.app import create_app  # noqa: E402


@pytest.fixture
def desk(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    return tmp_path, g, art


def cur(app):
    return app.review.current


@sync
async def test_accept_reject_and_last_finding_stays(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s = app.review.session
        assert len(s.findings) == 6 and cur(app) == 0
        await pilot.press("a")
        assert s.choices[0].status == ACCEPTED and cur(app) == 1
        await pilot.press("r")
        assert s.choices[1].status == REJECTED and cur(app) == 2
        await pilot.press("k", "up", "j", "down")
        assert cur(app) == 2
        for _ in range(6):
            await pilot.press("a")
        assert cur(app) == 5 and s.pending == 0
        await pilot.press("j", "a")
        assert cur(app) == 5
        assert "6/6 decided" in str(app.review.query_one("#topbar").render())
        await settle(pilot)
        assert "HTER" in str(app.review.query_one("#status").render())


@sync
async def test_alternative_and_edit(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s = app.review.session
        await pilot.press("j", "j", "j")
        assert s.findings[cur(app)].text == "Glinken"
        await pilot.press("2")  # no second alternative: nothing happens
        assert s.choices[3] is None
        await pilot.press("1")
        assert s.choices[3].status == ALTERNATIVE and s.choices[3].replacement == "Klinken"
        assert cur(app) == 4  # accepting moves on
        await pilot.press("k", "k", "k")
        assert cur(app) == 1
        await pilot.press("e")
        await pilot.pause()
        inp = app.screen.query_one("#edit-input")
        assert inp.value == "Putin"
        inp.value = ""
        await pilot.press(*"Vladimir Putin", "enter")
        await pilot.pause()
        assert s.choices[1].status == EDITED and s.choices[1].replacement == "Vladimir Putin"
        assert "that Vladimir Putin has" in s.result_text()
        # Esc cancels an edit
        await pilot.press("e", "escape")
        assert s.choices[2] is None and cur(app) == 2


@sync
async def test_undo_and_accept_all(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s = app.review.session
        await pilot.press("A")
        assert [i for i, c in enumerate(s.choices) if c] == [0, 2]
        assert s.result_text().count("Kuleba") == 2
        await pilot.press("r")
        await pilot.press("u")
        assert s.choices[1] is None and cur(app) == 1
        await pilot.press("u")
        assert s.decided == 0 and cur(app) == 0
        await pilot.press("u")  # nothing left to undo
        assert "nothing to undo" in str(app.review.query_one("#status").render())


@sync
async def test_save_writes_file_original_and_record(desk):
    tmp, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("A", "r", "a", "a", "a")  # Koeleba×2, reject Poetin, Glinken, Putins, Lugansk
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DiffScreen"
        await pilot.press("escape", "s")
        await settle(pilot)
        new = art.read_text(encoding="utf-8")
        assert new == (ARTICLE.replace("Koeleba", "Kuleba").replace("Glinken", "Blinken")
                       .replace("Putins", "Putin’s").replace("Lugansk", "Luhansk"))
        assert (tmp / "article.txt.orig").read_text(encoding="utf-8") == ARTICLE
        rec = load_record(art)
        assert rec is not None and rec.saved_sha256
        # reopened after save: only the rejected finding is left, and it is decided
        s = app.review.session
        assert [f.text for f in s.findings] == ["Poetin"] and s.pending == 0
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    # copydesk check honours the rejection
    from qa.sources.items import read_text
    text = read_text(art)[0]
    assert filter_rejected(art, text, s.findings) == []


@sync
async def test_quit_with_unsaved_asks(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "q")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "QuitScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReviewScreen" and app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("q")  # quit without saving
        await pilot.pause()
    assert art.read_text(encoding="utf-8") == ARTICLE
    # decisions are kept in the review record for next time
    assert load_record(art).decisions[0].status == ACCEPTED


@sync
async def test_quit_save_and_quit(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
    assert "Minister Kuleba said" in art.read_text(encoding="utf-8")


@sync
async def test_resume_from_record(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "r", "q", "q")
        await pilot.pause()
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s = app.review.session
        assert s.resumed == 2 and s.choices[0].status == ACCEPTED and s.choices[1].status == REJECTED
        assert cur(app) == 2  # the first pending finding
        assert "resumed 2 decisions" in str(app.review.query_one("#status").render())


@sync
async def test_refuses_to_save_after_external_change(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        art.write_text(ARTICLE.replace("Fighting", "Shelling"), encoding="utf-8")
        await pilot.press("s")
        await pilot.pause()
        assert "changed on disk" in str(app.review.query_one("#status").render())
    assert "Shelling continued" in art.read_text(encoding="utf-8")
    assert not (art.parent / "article.txt.orig").exists()


@sync
async def test_glossary_learning(desk):
    tmp, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "j", "j")  # accept Koeleba #1, go to Glinken
        s = app.review.session
        assert s.findings[cur(app)].text == "Glinken"
        await pilot.press("g")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "LearnScreen"
        await pilot.press("2")  # as a new term
        await settle(pilot)
        s = app.review.session
        assert "Glinken" not in [f.text for f in s.findings]
        assert s.choices[0].status == ACCEPTED  # earlier decisions survive the reload
        assert "glinken" in g.read_text(encoding="utf-8")
        assert "# glossary used by the review tests" in g.read_text(encoding="utf-8")


@sync
async def test_learning_needs_a_target(desk):
    _, g, art = desk
    app = create_app([str(art)], None, "en", select=["name"])  # shipped glossary, no --learn-into
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.review.session.findings  # the shipped glossary knows Koeleba, Poetin, Lugansk
        await pilot.press("g")
        assert "--learn-into" in str(app.review.query_one("#status").render())


@sync
async def test_folder_queue_and_navigation(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    d = tmp_path / "desk"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.txt").write_text("A clean article about the weather.\n", encoding="utf-8")
    (d / "c.txt").write_text("Talks in Lugansk ended.\n", encoding="utf-8")
    app = create_app([str(d)], [str(g)], "en", select=["name"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [p.name for p in app.queue] == ["a.txt", "c.txt"]
        await pilot.press("a", "n")
        await settle(pilot)
        assert app.review.session.path.name == "c.txt"
        await pilot.press("p")
        await settle(pilot)
        s = app.review.session
        assert s.path.name == "a.txt" and s.choices[0].status == ACCEPTED  # kept in memory


@sync
async def test_all_families_and_mouse(desk):
    """Every rule family (the article's mojibake included) and mouse clicks."""
    _, g, art = desk
    app = app_for(art, g, select=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        s = app.review.session
        fams = {f.family for f in s.findings}
        assert {"name", "encoding"} <= fams
        for _ in range(len(s.findings)):
            await pilot.press("a")
        assert s.pending == 0
        await pilot.click("#findings", offset=(5, 0))
        assert cur(app) == 0
        out = s.result_text()
        assert "“dangerous”" in out


@sync
async def test_help_screen(desk):
    _, g, art = desk
    app = app_for(art, g)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("a")  # keys of the main screen do nothing under the help screen
        assert app.review.session.decided == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReviewScreen"


def test_seed_000_opens(tmp_path):
    """The seed article opens with the shipped glossary and shows its findings."""
    seeds = [seed("000")]
    art = tmp_path / "000.txt"
    art.write_bytes(seeds[0].read_bytes())
    app = create_app([str(art)])

    async def run():
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            s = app.review.session
            assert app.queue and s is not None and s.path.name == "000.txt"
            assert len(s.findings) >= 6  # the shipped name rules alone find six

    import asyncio

    asyncio.run(run())


# ---- snapshots --------------------------------------------------------------------------------
def snap_desk(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    return g, art


def test_snapshot_main_80x24(tmp_path, snap_compare):
    g, art = snap_desk(tmp_path)
    assert snap_compare(app_for(art, g), terminal_size=(80, 24), run_before=settle, press=["a", "r"])


def test_snapshot_main_120x40(tmp_path, snap_compare):
    g, art = snap_desk(tmp_path)
    assert snap_compare(app_for(art, g), terminal_size=(120, 40), run_before=settle, press=["A", "j", "j"])


def test_snapshot_main_200x60_light(tmp_path, snap_compare):
    g, art = snap_desk(tmp_path)
    assert snap_compare(app_for(art, g, theme="textual-light"), terminal_size=(200, 60), run_before=settle,
                        press=["a", "r", "1"])


def test_snapshot_help(tmp_path, snap_compare):
    g, art = snap_desk(tmp_path)
    assert snap_compare(app_for(art, g), terminal_size=(80, 24), run_before=settle, press=["question_mark"])


def test_snapshot_diff(tmp_path, snap_compare):
    g, art = snap_desk(tmp_path)
    assert snap_compare(app_for(art, g), terminal_size=(100, 30), run_before=settle, press=["A", "r", "a", "d"])
