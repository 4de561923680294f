"""The printable card: credit-card size, first name only, a QR code that reads back as the
number, and nothing that depends on the reduced-tariff status."""

import pytest
from reportlab.lib.units import mm

from vrijuit.participants.tests.factories import StatusFactory
from vrijuit.passes.card import printable, render_card_pdf
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import format_number

from .factories import PassFactory
from .pdf_reading import read_pdf
from .qr_reading import QrError, decode, modules_from_rects

BLACK = (0.0, 0.0, 0.0)
HALF_POINT = 0.5


@pytest.fixture
def network():
    from vrijuit.networks.tests.factories import NetworkFactory

    return NetworkFactory(name="Vrijetijdsnetwerk Borsbeek")


def card_of(first_name="Lotte", last_name="Verbruggen", network=None, **participant):
    extra = {"participant__network": network} if network is not None else {}
    return PassFactory(
        participant__first_name=first_name,
        participant__last_name=last_name,
        **{f"participant__{k}": v for k, v in participant.items()},
        **extra,
    )


def test_the_card_is_a_one_page_pdf_the_size_of_a_bank_card(db):
    pdf = render_card_pdf(card_of())

    page = read_pdf(pdf)
    assert pdf.startswith(b"%PDF-")
    assert abs(page.width - 85.6 * mm) <= HALF_POINT
    assert abs(page.height - 54 * mm) <= HALF_POINT


def test_the_card_shows_network_first_name_number_and_what_to_do(db, network):
    pass_ = card_of("Lotte", "Verbruggen", network=network)

    page = read_pdf(render_card_pdf(pass_, language="en"))

    assert page.lines == [
        "Vrijetijdsnetwerk Borsbeek",
        "Lotte",
        "Pass number",
        format_number(pass_.number),
        "Show this pass at the till.",
    ]


def test_the_card_has_no_last_name_birth_date_or_address(db):
    pass_ = card_of(
        "Lotte", "Verbruggen", street="Kerkstraat 12", postal_code="2150", phone="0470 99 88 77"
    )
    participant = pass_.participant

    text = read_pdf(render_card_pdf(pass_)).text

    assert "Lotte" in text
    for private in (
        "Verbruggen",
        "Kerkstraat",
        "2150",
        "0470",
        participant.email,
        participant.birth_date.strftime("%d/%m/%Y"),
        str(participant.birth_date.year),
    ):
        assert private not in text


def test_the_qr_code_reads_back_as_the_pass_number_with_error_correction_m(db):
    pass_ = card_of()

    page = read_pdf(render_card_pdf(pass_))
    modules = modules_from_rects(page.filled_rects(BLACK))

    assert decode(modules) == (pass_.number, "M")


def test_the_qr_code_is_big_enough_for_a_cheap_phone_camera(db):
    page = read_pdf(render_card_pdf(card_of()))
    rects = page.filled_rects(BLACK)

    symbol_width = max(x + w for x, _y, w, _h in rects) - min(x for x, _y, _w, _h in rects)
    module = min(h for _x, _y, _w, h in rects)
    assert symbol_width >= 20 * mm
    assert module >= 0.9 * mm
    # the quiet zone of four modules stays on the card
    assert min(x for x, _y, _w, _h in rects) >= 4 * module
    assert min(y for _x, y, _w, _h in rects) >= 4 * module


def test_the_qr_reader_refuses_a_damaged_code(db):
    page = read_pdf(render_card_pdf(card_of()))
    modules = modules_from_rects(page.filled_rects(BLACK))
    modules[12][12] = not modules[12][12]

    with pytest.raises(QrError):
        decode(modules)


@pytest.mark.parametrize(
    "status", ["active", "expired", "in_grace", "suspended", "ended"], ids=lambda s: s
)
def test_cards_with_and_without_status_are_identical_but_for_the_number(db, network, status):
    # given two people with the same first name in one network, one of them with a status
    with_status = card_of("Fatima", "El Amrani", network=network)
    StatusFactory(
        participant=with_status.participant, **({} if status == "active" else {status: True})
    )
    without_status = card_of("Fatima", "Janssens", network=network)

    # when both cards are printed
    first = read_pdf(render_card_pdf(with_status))
    second = read_pdf(render_card_pdf(without_status))

    # then the text differs only in the number, and every drawing but the QR code is the same
    number_line = 3
    assert first.lines[number_line] == format_number(with_status.number)
    assert second.lines[number_line] == format_number(without_status.number)
    first.lines[number_line] = second.lines[number_line] = "<number>"
    assert first.lines == second.lines
    assert [r for r in first.rects if r[4] != BLACK] == [r for r in second.rects if r[4] != BLACK]


def test_cards_with_and_without_status_are_byte_for_byte_the_same_for_the_same_number(db, network):
    with_status = card_of("Fatima", "El Amrani", network=network)
    StatusFactory(participant=with_status.participant)
    without_status = card_of("Fatima", "Janssens", network=network)
    number = with_status.number
    first = render_card_pdf(with_status)

    # the first pass is replaced and its number given to the other person, as a test only
    Pass.objects.filter(pk=with_status.pk).update(number="0000000000000")
    Pass.objects.filter(pk=without_status.pk).update(number=number)
    without_status.refresh_from_db()

    assert render_card_pdf(without_status) == first


def test_the_card_is_the_same_every_time_it_is_printed(db):
    pass_ = card_of()

    assert render_card_pdf(pass_) == render_card_pdf(pass_)


def test_names_with_accents_print_as_written(db):
    page = read_pdf(render_card_pdf(card_of("Zoë-Hélène")))

    assert "Zoë-Hélène" in page.lines


def test_a_letter_the_font_lacks_prints_without_its_accent():
    plain = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzLSZ -"))

    assert printable("Łukasz Ștefan", plain) == "Lukasz Stefan"
    assert printable("Zoë", plain) == "Zoe"


def test_long_names_shrink_or_wrap_and_lose_nothing(db):
    from vrijuit.networks.tests.factories import NetworkFactory

    network = NetworkFactory(
        name="Lokaal netwerk vrijetijdsparticipatie Borsbeek-Wommelgem-Ranst-Zandhoven"
    )
    pass_ = card_of("Anne-Marie-Christine Marguerite", network=network)

    lines = read_pdf(render_card_pdf(pass_)).lines

    assert " ".join(lines[:2]) == network.name
    assert " ".join(lines[2:4]) == "Anne-Marie-Christine Marguerite"
    assert format_number(pass_.number) in lines


def test_the_instruction_follows_the_holders_language(db):
    pass_ = card_of(language="en")

    assert "Show this pass at the till." in read_pdf(render_card_pdf(pass_)).lines
