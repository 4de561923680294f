"""The answer to a request for access (GDPR art. 15), for the person: plain words, in their
language, everything held. One list of sections, shown as a printable desk page and as a PDF.

The sections are built from ``selectors.participant_export`` (the same facts as the JSON file),
so that the document and the file never disagree.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from vrijuit.core.models import AuditAction
from vrijuit.core.money import format_eur
from vrijuit.core.printing import BRAND, a4_document, printable
from vrijuit.core.printing import document_styles as _styles
from vrijuit.passes.constants import BlockReason, PassState
from vrijuit.passes.numbers import format_number

from .constants import Basis, Language


@dataclass
class Section:
    title: str
    intro: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)  # label, value
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""

    @property
    def labelled_rows(self):
        """Each row as ``[(column name, cell)]``: a phone shows a row as a card of labels."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]


def _day(value):
    return formats.date_format(date.fromisoformat(value), "j F Y") if value else "–"


def _moment(value):
    moment = timezone.localtime(datetime.fromisoformat(value))
    return formats.date_format(moment, "j F Y, H:i")


def _label(choices, value):
    return str(dict(choices).get(value, value)) if value else ""


def _status_period(s):
    text = _("%(start)s to %(end)s") % {
        "start": _day(s["valid_from"]),
        "end": _day(s["valid_until"]),
    }
    extra = []
    if s["suspended_from"]:
        extra.append(_("stopped for a while from %(day)s") % {"day": _day(s["suspended_from"])})
    if s["ended_on"]:
        extra.append(_("ended on %(day)s") % {"day": _day(s["ended_on"])})
    return "; ".join([text, *extra])


_ACTIONS = {
    AuditAction.CREATE: lambda: _("registered your details"),
    AuditAction.UPDATE: lambda: _("changed your details"),
    AuditAction.DELETE: lambda: _("erased your details"),
    AuditAction.VIEW: lambda: _("looked at your record"),
    AuditAction.SEARCH: lambda: _("saw you in a search result"),
    AuditAction.EXPORT: lambda: _("printed or downloaded your details"),
}


def _what(action):
    return _ACTIONS[action]() if action in _ACTIONS else str(action)


def export_sections(data, language):
    """The document's sections, in ``language``."""
    with translation.override(language):
        return _sections(data, language)


def _sections(data, language):
    person = data["participant"]
    identity = Section(
        _("Who you are"),
        facts=[
            (_("First name"), person["first_name"]),
            (_("Last name"), person["last_name"]),
            (_("Birth date"), _day(person["birth_date"])),
            (
                _("Address"),
                ", ".join(
                    part
                    for part in (
                        person["street"],
                        f"{person['postal_code']} {person['municipality'] or ''}".strip(),
                    )
                    if part
                ),
            ),
            (_("E-mail"), person["email"] or "–"),
            (_("Phone"), person["phone"] or "–"),
            (_("Preferred language"), _label(Language.choices, person["language"])),
            (_("Registered on"), _day(person["registered_at"][:10])),
        ],
    )
    if data["household"]:
        names = ", ".join(m["first_name"] for m in data["household"]["members"])
        identity.facts.append((_("Household"), names))
    statuses = Section(
        _("Your reduced tariff"),
        intro=_("When you had the reduced tariff, and why."),
        headers=[_("Period"), _("Why"), _("Given by")],
        rows=[
            [
                _status_period(s),
                " – ".join(p for p in (_label(Basis.choices, s["basis"]), s["note"]) if p),
                " – ".join(p for p in (s["granted_by"], s["partner"] or "") if p),
            ]
            for s in data["statuses"]
        ],
        empty=_("You never had the reduced tariff."),
    )
    passes = Section(
        _("Your passes"),
        headers=[_("Pass number"), _("Given on"), _("State")],
        rows=[
            [
                format_number(p["number"]),
                _day(p["issued_at"][:10]),
                " – ".join(
                    x
                    for x in (
                        _label(PassState.choices, p["state"]),
                        _label(BlockReason.choices, p["block_reason"]),
                    )
                    if x
                ),
            ]
            for p in data["passes"]
        ],
        empty=_("You have no pass."),
    )
    participations = Section(
        _("Where you took part"),
        intro=_("Every time your pass was scanned, and what you paid."),
        headers=[_("Date"), _("Activity"), _("Organiser"), _("You paid")],
        rows=[
            [
                _day(c["day"]),
                c["activity"] + (f" ({_('cancelled')})" if c["state"] == "cancelled" else ""),
                c["organiser"],
                format_eur(Decimal(c["paid"]), language),
            ]
            for c in data["participations"]
        ],
        empty=_("Your pass was not scanned yet."),
    )
    notes = Section(
        _("Notes by staff"),
        headers=[_("Date"), _("Note"), _("Written by")],
        rows=[[_day(n["created_at"][:10]), n["text"], n["author"]] for n in data["notes"]],
        empty=_("There are no notes about you."),
    )
    access = Section(
        _("Who used your details"),
        intro=_("Every time a staff member opened, changed or printed your details."),
        headers=[_("When"), _("Who"), _("What")],
        rows=[
            [
                _moment(e["occurred_at"]),
                e["actor"] or _("the system"),
                _what(e["action"]),
            ]
            for e in data["access_log"]
        ],
        empty=_("Nobody opened your details yet."),
    )
    return [identity, statuses, passes, participations, notes, access]


def export_texts(network, language):
    """Title and the plain words around the sections."""
    with translation.override(language):
        return {
            "title": _("What we know about you"),
            "intro": _(
                "You asked which details %(network)s keeps about you. Here is everything. "
                "Is something wrong? Ask the leisure desk to correct it. You can also ask "
                "us to erase your details."
            )
            % {"network": network.name},
            "made_on": _("Made on %(day)s.")
            % {"day": formats.date_format(timezone.localdate(), "j F Y")},
        }


def export_pdf(participant, data) -> bytes:
    """The document as an A4 PDF, in the person's language."""

    language = participant.language
    sections = export_sections(data, language)
    texts = export_texts(participant.network, language)
    styles = _styles()

    def p(text, style="text"):
        return Paragraph(escape(printable(str(text))), styles[style])

    buffer = io.BytesIO()
    doc = a4_document(buffer, title=texts["title"], author=participant.network.name)
    story = [
        p(participant.network.name, "subtitle"),
        p(texts["title"], "title"),
        Spacer(1, 3 * mm),
        p(texts["intro"]),
        p(texts["made_on"], "label"),
    ]
    line = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    for section in sections:
        story += [Spacer(1, 6 * mm), p(section.title, "strong")]
        if section.intro:
            story.append(p(section.intro, "label"))
        story.append(Spacer(1, 2 * mm))
        if section.facts:
            rows = [[p(label, "label"), p(value)] for label, value in section.facts]
            story.append(Table(rows, colWidths=[45 * mm, None], hAlign="LEFT", style=line))
        elif section.rows:
            rows = [[p(h, "head") for h in section.headers]]
            rows += [[p(cell, "cell") for cell in row] for row in section.rows]
            table = TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.75, BRAND),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
            story.append(Table(rows, repeatRows=1, hAlign="LEFT", style=table))
        else:
            story.append(p(section.empty))
    doc.build(story)
    return buffer.getvalue()
