"""The English catalogue is complete and compiled: every Chinese interface string has an
English translation, and the .mo the server loads says the same as the .po."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from accounts.roles import Role

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")


def _unquote(lines: list[str]) -> str:
    return "".join(
        bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode()
        for line in lines
    )


def _entries(po: Path = PO):
    """(flags, context, msgid, msgstr) of every entry but the header."""
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                current, _, rest = line.partition(" ")
                fields[current] = [rest]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" in fields:
            msgid, msgstr = _unquote(fields["msgid"]), _unquote(fields["msgstr"])
            if msgid:
                yield flags, _unquote(fields.get("msgctxt", [])), msgid, msgstr


ENTRIES = list(_entries())


def test_the_catalogue_is_not_empty():
    assert len(ENTRIES) > 500


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated = [
        msgid for flags, _context, msgid, msgstr in ENTRIES if not msgstr or "fuzzy" in flags
    ]
    assert not untranslated, untranslated[:20]


def test_translations_keep_their_placeholders():
    broken = [
        msgid
        for _flags, _context, msgid, msgstr in ENTRIES
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert not broken, broken[:20]


def test_the_compiled_catalogue_matches_the_source():
    with translation.override("en"):
        stale = [
            msgid
            for _f, context, msgid, msgstr in ENTRIES
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            != msgstr
        ]
    assert not stale, f"run compilemessages: {stale[:10]}"


SKIPPED_BY_EXTRACTION = (".git", ".venv", "tests", "bench", "var", "test-artifacts", "node_modules")


def test_every_interface_string_has_an_english_entry(tmp_path):
    """Extract the strings of every template and module (makemessages, in a copy so the
    real catalogue is not rewritten) and find each in the English catalogue."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*SKIPPED_BY_EXTRACTION, "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    have = {(context, msgid) for _f, context, msgid, _s in ENTRIES}
    found = {(context, msgid) for _f, context, msgid, _s in _entries(copy / PO.relative_to(root))}
    missing = sorted(found - have)
    assert not missing, f"add English entries to {PO.relative_to(root)}: {missing[:20]}"


@pytest.mark.django_db
def test_an_agent_who_chose_english_works_in_english(client, staff):
    client.force_login(staff[Role.PRE_SALE])
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/").content.decode()
    assert "Workbench" in page
    assert "工作台" not in page
