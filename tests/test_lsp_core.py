"""The language server's core calls (qa/lsp/core.py), in process: which documents
are checked, and which file changes rebuild the project."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.lsp.core import Desk, Options, document_kind, looks_binary
from tests.conftest import MINI_GLOSSARY


def test_document_kind_by_suffix_then_language_id():
    assert document_kind("/a/b.md", "markdown") == "plain"
    assert document_kind("/a/b.txt", None) == "plain"
    assert document_kind("/a/b.po", "po") == "bilingual"
    assert document_kind("/a/b.xlf", "xml") == "bilingual"
    assert document_kind("untitled:Untitled-1", "plaintext") == "plain"
    assert document_kind("untitled:Untitled-2", "po") == "bilingual"
    assert document_kind("/a/tool.py", "python") is None
    assert document_kind("/a/data.xml", "xml") is None  # XML that is not XLIFF by name


@pytest.mark.parametrize("text", [
    "Kyiv talks\n\nThe minister said the talks go on.\n",
    "Die Regierung hat am Montag beschlossen: Gr\ufffd\ufffde aus Kiew.\n",  # a few lost bytes: checked (and flagged)
    "De minister zei \ufffd dat de gesprekken doorgaan. " * 40,
])
def test_text_with_a_few_replacement_characters_is_not_binary(text):
    assert looks_binary(text) is None


@pytest.mark.parametrize("text", [
    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "PK\x03\x04" + "\ufffd" * 40 + "abc" * 10,
])
def test_binary_content_is_recognised(text):
    assert looks_binary(text)


def test_a_change_in_the_glossary_folder_or_configuration_rebuilds(tmp_path):
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "desk.toml").write_text(MINI_GLOSSARY, encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text(f'glossary = ["{tmp_path / "glossaries"}"]\n', encoding="utf-8")
    desk = Desk(tmp_path, Options())
    assert desk.affects(str(tmp_path / "copydesk.toml"))
    assert desk.affects(str(tmp_path / "glossaries" / "desk.toml"))
    assert desk.affects(str(tmp_path / "glossaries" / "new-desk.toml"))  # a folder loads every *.toml
    assert not desk.affects(str(tmp_path / "notes" / "other.toml"))
    assert not desk.affects(str(tmp_path / "article.md"))


def test_untitled_and_bilingual_documents_keep_no_records(tmp_path):
    desk = Desk(tmp_path, Options(glossary=[str(Path(__file__).parents[1] / "examples")], no_config=True))
    text = "Kyiv talks\n\nMinister Koeleba said so.\n"
    assert desk.check("untitled:Untitled-1", text, "markdown").findings
    assert not desk.can_record(desk.check("untitled:Untitled-1", text, "markdown"))
    assert desk.can_record(desk.check(str(tmp_path / "a.md"), text, "markdown"))
