"""Spreadsheets of a batch and of a statement, and the statement PDF; none of the finance
files names a participant (issue 6, part 3)."""

import csv
import io
from datetime import timedelta

import pytest
from text_unidecode import unidecode

from django.utils import timezone, translation

from vrijuit.core.roles import Role
from vrijuit.finance.exports import batch_csv, statement_csv
from vrijuit.finance.pdf import statement_pdf
from vrijuit.finance.sepa import build_pain001
from vrijuit.finance.statements import period_of, statements_draft

from .builders import (
    SECRET_FIRST_NAME,
    SECRET_LAST_NAME,
    approved_statements,
    batch_of,
    scan,
    secret_person,
    two_organiser_batch,
    with_payer,
)
from .pdftext import pdf_text
from .test_statements import principal

pytestmark = pytest.mark.django_db


def rows(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def batch(door):
    with_payer(door.network)
    batch, _statements = two_organiser_batch(door)
    return batch


def own_statement(batch, door):
    return batch.statements.get(organiser=door.organiser)


# --- CSV ------------------------------------------------------------------------------------


def test_batch_csv_one_row_per_statement_with_a_decimal_comma(batch, door):
    table = rows(batch_csv(batch, language="nl"))
    assert table[0] == [
        "Organisator",
        "IBAN",
        "BIC",
        "Periode",
        "Check-ins",
        "Bedrag",
        "Referentie",
    ]
    month = f"{own_statement(batch, door).period_start:%Y-%m}"
    assert table[1:] == [
        [
            door.organiser.name,
            "BE68 5390 0754 7034",
            "",
            month,
            "3",
            "14,40",
            own_statement(batch, door).pk.hex,
        ],
        [
            "Turnkring Sint-Jozef",
            "BE62 5100 0754 7061",
            "VAPEBE22",
            month,
            "1",
            "4,80",
            batch.statements.exclude(organiser=door.organiser).get().pk.hex,
        ],
    ]
    assert rows(batch_csv(batch, language="fr"))[0][0] == "Organisateur"


def test_batch_csv_references_are_the_end_to_end_ids_of_the_sepa_file(batch):
    xml = build_pain001(batch)
    for row in rows(batch_csv(batch))[1:]:
        assert f"<EndToEndId>{row[-1]}</EndToEndId>".encode() in xml


def test_statement_csv_lists_its_checkins_without_people(batch, door):
    text = statement_csv(own_statement(batch, door), language="nl")
    table = rows(text)
    assert table[0] == [
        "Datum en uur",
        "Activiteit",
        "Gewone prijs",
        "Betaald",
        "Korting",
        "Terugbetaling",
    ]
    assert len(table) == 4
    for row in table[1:]:
        assert row[1:] == ["Zwemmen", "12,00", "2,40", "9,60", "4,80"]
        assert len(row[0]) == len("27/11/2026 18:30")
    assert "\r\n" in text


def test_a_cell_that_looks_like_a_formula_is_quoted(door):
    with_payer(door.network)
    door.organiser.name = "=HYPERLINK(1)"
    door.organiser.save()
    door.activity.title = "+Zwemmen"
    door.activity.save()
    scan(door, door.pass_)
    (statement,) = approved_statements(door)
    assert rows(statement_csv(statement))[1][1] == "'+Zwemmen"
    assert rows(batch_csv(batch_of(door, [statement])))[1][0] == "'=HYPERLINK(1)"


# --- PDF ------------------------------------------------------------------------------------


def test_statement_pdf_in_dutch_with_lines_total_and_approval(batch, door):
    statement = own_statement(batch, door)
    pdf = statement_pdf(statement)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in (
        door.network.name,
        "Gemeente Borsbeek",
        "BE10 0910 1234 5604",  # the payer's account
        door.organiser.name,
        "BE68 5390 0754 7034",
        "Terugbetalingsstaat",
        "goedgekeurd",
        "Zwemmen",
        "€ 14,40",  # the reimbursement of the only activity, and the total
        "€ 28,80",  # the discount given
        "Goedgekeurd door Lotte",
    ):
        assert expected in text, expected
    assert "Terug te betalen: € 14,40" in text
    approver = statement.approved_by
    assert approver.get_full_name() in text


def test_statement_pdf_of_a_draft_says_it_is_not_approved(door):
    scan(door, door.pass_)
    start, end = period_of(timezone.localdate())
    (statement,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    statement.refresh_from_db()
    text = pdf_text(statement_pdf(statement))
    assert "Nog niet goedgekeurd" in text
    assert "€ 4,80" in text


def test_statement_pdf_in_french(batch, door):
    text = pdf_text(statement_pdf(own_statement(batch, door), language="fr"))
    assert "14,40 €" in text
    assert "Approuvé par" in text


def test_the_pdf_is_the_same_every_time(batch, door):
    statement = own_statement(batch, door)
    assert statement_pdf(statement) == statement_pdf(statement)


def test_pdf_language_does_not_leak(batch, door):
    with translation.override("fr"):
        statement_pdf(own_statement(batch, door))
        assert translation.get_language() == "fr"


# --- no participant anywhere ----------------------------------------------------------------


def test_no_finance_file_names_a_participant(batch, door):
    checkins = list(own_statement(batch, door).checkins.all())
    participants = [door.participant, *(c.participant for c in checkins)]
    assert any(p.last_name == SECRET_LAST_NAME for p in participants)
    secret_person(door.network)
    names = {SECRET_FIRST_NAME, SECRET_LAST_NAME, unidecode(SECRET_FIRST_NAME)}
    for participant in participants:
        names |= {participant.first_name, participant.last_name}
    numbers = {c.pass_obj.number for c in checkins}
    files = {
        "sepa": build_pain001(batch).decode(),
        "batch csv": batch_csv(batch),
    }
    for statement in batch.statements.all():
        files[f"csv {statement}"] = statement_csv(statement)
        files[f"pdf {statement}"] = pdf_text(statement_pdf(statement))
        files[f"pdf fr {statement}"] = pdf_text(statement_pdf(statement, language="fr"))
    for label, content in files.items():
        lowered = content.lower()
        for name in names:
            assert name.lower() not in lowered, (label, name)
        for number in numbers:
            assert number not in content, (label, "pass number")
