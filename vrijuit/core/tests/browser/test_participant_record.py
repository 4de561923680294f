"""A person's record in a real browser: correcting the details on a phone, and the answer to a
request for access (a readable page in the person's language, a PDF and a JSON file)."""

from datetime import date

import pytest

from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    NetworkFactory,
)
from vrijuit.participants.models import Participant
from vrijuit.participants.services import participant_register

from .helpers import PHONE, assert_accessible, assert_no_horizontal_scroll
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def record(transactional_db):
    network = NetworkFactory(slug="borsbeek", name="Vrije tijd Borsbeek")
    MunicipalityFactory(network=network, name="Borsbeek", postal_codes="2150")
    MunicipalityFactory(network=network, name="Wommelgem", postal_codes="2160")
    MembershipFactory(network=network, role=Role.DESK, user__username="balie")
    MembershipFactory(network=network, role=Role.COORDINATOR, user__username="coordinatie")
    return participant_register(
        network=network,
        first_name="Samira",
        last_name="El Idrisi",
        birth_date=date(1985, 11, 27),
        postal_code="2150",
        street="Kerkstraat 1",
    )


def test_desk_staff_correct_an_address_on_a_phone(record, page):
    page.set_viewport_size(PHONE)
    log_in(page, "balie", PASSWORD)
    page.goto(f"/desk/borsbeek/participants/{record.pk}/")
    page.get_by_text("Gegevens verbeteren").click()
    assert_no_horizontal_scroll(page, PHONE["width"])

    # a mistake first: the page says what is wrong, at the field
    page.get_by_label("E-mail").fill("samira-at-example")
    page.get_by_label("Postcode").fill("9000")
    page.get_by_role("button", name="Gegevens bewaren").click()
    alert = page.get_by_role("alert").first
    assert "kloppen niet" in alert.inner_text()
    assert "Voer een geldig e-mailadres in." in page.locator("#correct-email_error").inner_text()
    assert "hoort niet bij" in page.locator("#correct-postal_code_error").inner_text()
    assert page.get_by_label("Straat en nummer").input_value() == "Kerkstraat 1"
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # then right
    page.get_by_label("E-mail").fill("samira@example.be")
    page.get_by_label("Postcode").fill("2160")
    page.get_by_label("Straat en nummer").fill("Nieuwstraat 12")
    page.get_by_label("Achternaam").fill("El Idrissi")
    page.get_by_role("button", name="Gegevens bewaren").click()

    page.wait_for_url(f"**/participants/{record.pk}/")
    assert "De gegevens zijn bewaard." in page.content()
    assert page.get_by_role("heading", level=1).inner_text() == "Samira El Idrissi"
    assert "Nieuwstraat 12, 2160 Wommelgem" in page.locator("dl.facts").inner_text()
    assert_accessible(page)
    stored = Participant.objects.get(pk=record.pk)
    assert (stored.street, stored.municipality.name) == ("Nieuwstraat 12", "Wommelgem")


def test_the_coordinator_gives_the_person_everything_we_hold(record, page):
    log_in(page, "coordinatie", PASSWORD)
    page.goto(f"/desk/borsbeek/participants/{record.pk}/")
    page.get_by_role("link", name="Alles wat we over deze persoon bewaren").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Wat wij over u weten"
    assert "Samira" in page.locator("article").inner_text()
    assert "datetime" not in page.content()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Document downloaden (pdf)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as file:
        page.get_by_role("link", name="Downloaden als bestand (JSON)").click()
    assert file.value.suggested_filename.endswith(".json")
