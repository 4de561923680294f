"""The Dutch and French catalogues are complete, safe to format, compiled, and used.

The .po files are read with the standard library only: no extra package is needed to
check them. Refresh them with ``./dev messages``.
"""

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from django.conf import settings
from django.utils import translation

from vrijuit.core.navigation import MENU
from vrijuit.core.roles import Role
from vrijuit.networks.constants import PartnerKind

LANGUAGES = ["nl", "fr"]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])

# ``%%`` first, so that ``100 %%`` is not read as a placeholder; then ``%(name)s``, ``%s``
# and ``%d``, and ``{name}``.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sd]|\{\w*\}")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self):
        return f"line {self.line}: {self.msgid!r}"

    def compiled(self, translations):
        if self.msgid_plural is not None:
            if self.msgctxt is not None:
                return translations.npgettext(self.msgctxt, self.msgid, self.msgid_plural, 1)
            return translations.ngettext(self.msgid, self.msgid_plural, 1)
        if self.msgctxt is not None:
            return translations.pgettext(self.msgctxt, self.msgid)
        return translations.gettext(self.msgid)


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path):
    """Entries of a .po file, the header included (its msgid is ""); obsolete ones skipped.

    gettext writes one entry per block, with blank lines between blocks.
    """
    entries, number = [], 0
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, target = Entry(line=number + 1), None
        for raw in block.splitlines():
            number += 1
            line = raw.strip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif not line or line.startswith("#"):
                continue
            elif line.startswith('"'):
                if target is None:
                    raise AssertionError(f"{path}:{number}: text outside an entry")
                _store(entry, target, _unquote(line))
            else:
                keyword, _, rest = line.partition(" ")
                if keyword.startswith("msgstr["):
                    target = ("msgstr", int(keyword[7:-1]))
                elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                    target = keyword
                elif keyword == "msgstr":
                    target = ("msgstr", 0)
                else:
                    raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
                _store(entry, target, _unquote(rest), start=True)
        number += 1  # the blank line between blocks
        if target is not None:
            entries.append(entry)
    return entries


def _store(entry, target, text, start=False):
    if isinstance(target, tuple):
        index = target[1]
        entry.msgstr[index] = text if start else entry.msgstr[index] + text
    else:
        setattr(entry, target, text if start else getattr(entry, target) + text)


def catalogue(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing; run ./dev messages"
    return read_po(path)


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


def _messages(language):
    return [e for e in catalogue(language) if e.msgid]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_not_empty_and_has_a_usable_header(language):
    entries = catalogue(language)
    header = next(e for e in entries if e.msgid == "")
    assert "fuzzy" not in header.flags, "a fuzzy header is skipped by msgfmt"
    assert f"Language: {language}\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert len(entries) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    untranslated = [
        e.label
        for e in _messages(language)
        if not e.msgstr or not all(text.strip() for text in e.msgstr.values())
    ]
    assert untranslated == [], f"{language}: {len(untranslated)} untranslated"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    fuzzy = [e.label for e in catalogue(language) if "fuzzy" in e.flags]
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for e in _messages(language):
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if placeholders(text) != placeholders(source):
                wrong.append(f"{e.label} [{index}]: {text!r}")
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """A .po edited without ``compilemessages`` would leave users reading English."""
    mo = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing; run ./dev messages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [e.label for e in _messages(language) if e.compiled(compiled) != e.msgstr[0]]
    assert stale == [], "run ./dev messages (compilemessages) again"


def test_placeholder_check_sees_named_positional_and_brace_placeholders():
    assert placeholders("Page %(n)s of %(total)s, %s {name} 100 %%") == Counter(
        ["%(n)s", "%(total)s", "%s", "{name}", "%%"]
    )
    assert placeholders("0 % zijn") == Counter()


def test_menu_and_roles_are_dutch():
    with translation.override("nl"):
        assert [str(item.label) for item in MENU] == [
            "Start",
            "Deelnemers",
            "Activiteiten",
            "Check-ins",
            "Budget",
            "Terugbetalingen",
            "Netwerk",
            "Organisatoren",
            "Medewerkers en rollen",
            "API-sleutels",
            "Logboek",
        ]
        assert Role.DESK.label == "Baliemedewerker"
        assert Role.COORDINATOR.label == "Coördinator"
        assert Role.SOCIAL_WORKER.label == "Maatschappelijk werker"
        assert PartnerKind.SOCIAL_WELFARE.label == "OCMW (sociaal huis)"
        assert translation.ngettext("%(days)s day", "%(days)s days", 30) % {"days": 30} == (
            "30 dagen"
        )


def test_french_uses_belgian_words():
    with translation.override("fr"):
        assert PartnerKind.SOCIAL_WELFARE.label == "CPAS"
        assert Role.COORDINATOR.label == "Coordinateur"
        labels = [str(item.label) for item in MENU]
        assert labels[:3] == ["Accueil", "Participants", "Activités"]
        assert "Réseau" in labels


def test_login_page_is_dutch_by_default(client):
    response = client.get("/account/login/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in page
    assert "Aanmelden" in page
    assert "Wachtwoord vergeten?" in page


def test_login_page_follows_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get("/account/login/").content.decode()

    assert '<html lang="fr">' in page
    assert "Se connecter" in page
    assert "Aanmelden" not in page


def test_api_problem_is_in_the_language_asked(db, api_client):
    dutch = api_client.get("/organisers").json()
    french = api_client.get("/organisers", language="fr").json()

    assert dutch["code"] == french["code"] == "not_authenticated"
    assert dutch["detail"].startswith("Stuur een geldige API-sleutel")
    assert french["detail"].startswith("Envoyez une clé API valable")
