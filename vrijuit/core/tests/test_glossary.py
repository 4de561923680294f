"""The words on the screens are the glossary's words (docs/glossary.md), in Dutch and French,
and a number with a noun always has a singular and a plural."""

import re
from pathlib import Path

import pytest

from django.conf import settings

from .test_translations import catalogue

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"
SECTION = "## Words on the screens"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}")
# A bank statement or the accessibility statement is not a reimbursement statement.
NOT_THE_TERM = re.compile(r"(bank|accessibility) statement", re.I)


def glossary_terms():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert SECTION in text, f"{GLOSSARY} lists the words on the screens"
    rows = []
    for line in text.split(SECTION, 1)[1].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        rows.append([[form.strip() for form in cell.split("/")] for cell in cells])
    return rows


def _sources(entry):
    yield 0, entry.msgid
    if entry.msgid_plural is not None:
        yield 1, entry.msgid_plural


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_text_uses_the_glossarys_term(language):
    column = {"nl": 1, "fr": 2}[language]
    wrong = []
    for row in glossary_terms():
        english, wanted = row[0], [form.lower() for form in row[column]]
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, english)) + r")s?\b", re.I)
        for entry in catalogue(language):
            for index, source in _sources(entry):
                source = NOT_THE_TERM.sub("", PLACEHOLDER.sub("", source))
                if not entry.msgid or not pattern.search(source):
                    continue
                text = entry.msgstr.get(index, "").lower()
                if not any(form in text for form in wanted):
                    wrong.append(f"{english[0]} → {row[column][0]}: {entry.label} = {text!r}")
    assert wrong == []


def test_the_grace_state_has_one_name_everywhere():
    """The desk, the scanner and the API say it with the same word."""
    for language, word in (("nl", "overgangsperiode"), ("fr", "délai de grâce")):
        for entry in catalogue(language):
            if re.search(r"grace|renew soon", entry.msgid, re.I):
                assert word in entry.msgstr[0].lower(), (language, entry.label)


COUNTED_NOUN = re.compile(
    r"%\((?:count|counter|n|number|years|days|months|low|high)\)s \(?([a-z]+)"
)
NOT_A_NOUN = {"is", "was", "has", "of", "to"}


def test_a_number_with_a_noun_has_a_plural_form():
    """``%(count)s statements`` without ngettext reads "1 staten" in Dutch."""
    # "More than N activities": N is a large round number, never 1.
    allowed = {"More than %(number)s activities"}
    single = [
        e.label
        for e in catalogue("nl")
        if e.msgid and e.msgid_plural is None and e.msgid not in allowed
        if any(word not in NOT_A_NOUN for word in COUNTED_NOUN.findall(e.msgid))
    ]
    assert single == []
