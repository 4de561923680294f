"""The reimbursement statement of one organiser as a printable A4 PDF.

It shows who pays (the network and its payer), who is paid (the organiser and its IBAN),
the period and state, the check-ins per activity with the discount given and what is paid
back, the total, and who approved it. It never shows who took part: the lines are
activities, not people.

Labels are in the organiser's language (Dutch by default). The PDF is deterministic
(reportlab's ``invariant``): the same statement gives the same bytes.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from vrijuit.core.banking import parse_iban
from vrijuit.core.money import format_eur
from vrijuit.core.printing import BRAND, a4_document, printable
from vrijuit.core.printing import document_styles as _styles

from .selectors import statement_lines

LINE = colors.HexColor("#c9d1d9")
SHADE = colors.HexColor("#eef3f0")


def _p(text, style):
    return Paragraph(escape(printable(str(text))), style)


def _date(value):
    return formats.date_format(value, "j F Y")


def _moment(value):
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def _person(user):
    if user is None:
        return _("someone whose account was removed")
    return user.get_full_name() or user.get_username()


def _iban(value):
    iban = parse_iban(value)
    return iban.formatted if iban is not None else (value or _("no IBAN yet"))


def statement_pdf(statement, language="nl") -> bytes:
    """The statement as a PDF, with labels in ``language``."""
    with translation.override(language):
        return _render(statement, language)


def _render(statement, language) -> bytes:
    styles = _styles()
    network = statement.network
    organiser = statement.organiser
    title = _("Reimbursement statement")
    buffer = io.BytesIO()
    doc = a4_document(
        buffer,
        title=f"{title} {organiser.name} {statement.period_start:%Y-%m}",
        author=network.name,
        invariant=1,
    )
    story = [
        _p(network.name, styles["subtitle"]),
        _p(title, styles["title"]),
        Spacer(1, 4 * mm),
    ]

    facts = [
        (_("Organiser"), organiser.name),
        (_("Account (IBAN)"), _iban(organiser.iban)),
        (
            _("Period"),
            _("%(start)s to %(end)s")
            % {"start": _date(statement.period_start), "end": _date(statement.period_end)},
        ),
        (_("State"), statement.get_state_display()),
        (
            _("Paid by"),
            " – ".join(part for part in (network.payer_name, _iban(network.payer_iban)) if part)
            if network.payer_name
            else network.name,
        ),
    ]
    if statement.batch_id:
        facts.append((_("Payment reference"), statement.pk.hex))
    story.append(
        Table(
            [[_p(label, styles["label"]), _p(value, styles["text"])] for label, value in facts],
            colWidths=[45 * mm, None],
            hAlign="LEFT",
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            ),
        )
    )
    story.append(Spacer(1, 8 * mm))

    lines = statement_lines(statement)
    rows = [
        [
            _p(_("Activity"), styles["head"]),
            _p(_("Check-ins"), styles["head_number"]),
            _p(_("Discount given"), styles["head_number"]),
            _p(_("Reimbursement"), styles["head_number"]),
        ]
    ]
    for line in lines:
        rows.append(
            [
                _p(line["activity__title"], styles["cell"]),
                _p(line["count"], styles["number"]),
                _p(format_eur(line["discount"], language), styles["number"]),
                _p(format_eur(line["reimbursement"], language), styles["number"]),
            ]
        )
    discount = sum((line["discount"] or 0 for line in lines), start=0)
    rows.append(
        [
            _p(_("Total"), styles["total"]),
            _p(statement.checkin_count, styles["total_number"]),
            _p(format_eur(discount, language), styles["total_number"]),
            _p(format_eur(statement.total, language), styles["total_number"]),
        ]
    )
    story.append(
        Table(
            rows,
            colWidths=[None, 25 * mm, 35 * mm, 35 * mm],
            repeatRows=1,
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.75, BRAND),
                    ("LINEBELOW", (0, 1), (-1, -2), 0.25, LINE),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.75, BRAND),
                    ("BACKGROUND", (0, -1), (-1, -1), SHADE),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            ),
        )
    )
    story.append(Spacer(1, 6 * mm))
    story.append(
        _p(
            _("To pay back: %(total)s") % {"total": format_eur(statement.total, language)},
            styles["strong"],
        )
    )
    story.append(Spacer(1, 6 * mm))

    if statement.approved_at:
        approval = _("Approved by %(person)s on %(moment)s.") % {
            "person": _person(statement.approved_by),
            "moment": _moment(statement.approved_at),
        }
    else:
        approval = _("Not approved yet: the amounts may still change.")
    story.append(_p(approval, styles["text"]))
    if statement.paid_at:
        story.append(
            _p(
                _("Paid on %(date)s.") % {"date": _date(timezone.localtime(statement.paid_at))},
                styles["text"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    story.append(
        _p(
            _(
                "Per activity: the check-ins with the pass, the discount the participants "
                "were given, and the part of it the municipality pays back."
            ),
            styles["label"],
        )
    )
    doc.build(story)
    return buffer.getvalue()
