"""The scanner at the door on a phone in a real Chromium (issue 5): check in by typing the
number, lose the connection, keep scanning, reconnect and see the scans synced; a blocked pass
is refused with what to say. Once with an organiser's account, once with a device token."""

import uuid
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO
from types import SimpleNamespace

import pytest
import segno
from PIL import Image

from django.core.management import call_command
from django.utils import timezone

from vrijuit.api.tests.factories import make_token
from vrijuit.catalogue.models import Organiser
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins import services
from vrijuit.checkins.models import CheckIn
from vrijuit.checkins.tests.helpers import principal_for
from vrijuit.core.roles import Role
from vrijuit.networks.models import Network
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.numbers import format_number, luhn_check_digit
from vrijuit.passes.tests.factories import PassFactory

from .helpers import (
    CHROMIUM_ARGS,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    chromium_executable,
)
from .test_pages import log_in

pytestmark = pytest.mark.browser

TITLE = "Zwemmen aan de deur"


def person(network, first_name, *, blocked=False):
    participant = ParticipantFactory(network=network, first_name=first_name)
    StatusFactory(participant=participant, today=timezone.localdate())
    return PassFactory(participant=participant, blocked=blocked)


@pytest.fixture
def door(transactional_db):
    """The demo network, a date of the swimming club that started half an hour ago (€ 12,00),
    three people with a valid status and pass, and one pass that was blocked."""
    call_command("seed_demo", history=False, stdout=StringIO())
    network = Network.objects.get(slug="borsbeek")
    club = Organiser.objects.get(network=network, slug="zwemclub")
    activity = ActivityFactory(
        organiser=club, network=network, title=TITLE, regular_price=Decimal("12.00")
    )
    now = timezone.now().replace(microsecond=0)
    occurrence = OccurrenceFactory(
        activity=activity, start=now - timedelta(minutes=30), end=now + timedelta(hours=2)
    )
    return SimpleNamespace(
        network=network,
        club=club,
        occurrence=occurrence,
        amira=person(network, "Amira"),
        bart=person(network, "Bart"),
        chloe=person(network, "Chloé"),
        blocked=person(network, "Dirk", blocked=True),
        emma=person(network, "Emma"),
    )


def choose_date(page):
    page.locator("#dates label", has_text=TITLE).click()
    assert page.locator("#dates input:checked + label", has_text=TITLE).count() == 1


def offline_data_kept(page):
    """Wait until the scanner has downloaded what it needs to answer without a connection."""
    page.locator("html[data-offline-data]").wait_for(state="attached")
    page.locator("#offline-data", has_text="Klaar om passen na te kijken").wait_for()


def type_and_check_in(page, number):
    page.get_by_label("Pasnummer").fill(format_number(number))
    page.get_by_role("button", name="Inchecken", exact=True).click()


def forget_the_refusal(browser_errors):
    # Chromium logs the blocked pass's 422 answer as a failed resource: that one is expected.
    browser_errors[:] = [e for e in browser_errors if "status of 422" not in e]


def checked_in_passes(door):
    return set(
        CheckIn.objects.filter(occurrence=door.occurrence).values_list(
            "pass_obj__number", flat=True
        )
    )


def scan_typed_online_offline_and_blocked(page, context, door):
    """The done-when flow of issue 5, from an open scanner page."""
    page.locator("html[data-scanner=ready]").wait_for()
    choose_date(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # online: the first pass, typed with spaces; a big green answer with the name and price
    type_and_check_in(page, door.amira.number)
    ok = page.locator("#answer .answer--ok")
    ok.wait_for()
    assert ok.locator(".answer__name").inner_text() == "Amira"
    assert ok.locator(".answer__main").inner_text() == "Vraag €\xa02,40"
    assert checked_in_passes(door) == {door.amira.number}
    page.locator("#checkins-list .scan-row", has_text="Amira").wait_for()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # the connection drops: two more passes are checked with the data kept on the phone and
    # wait there to be sent
    offline_data_kept(page)
    context.set_offline(True)
    page.locator(".connection--offline").wait_for()
    type_and_check_in(page, door.bart.number)
    saved = page.locator("#answer .answer--ok", has_text="Nagekeken zonder verbinding")
    saved.wait_for()
    assert saved.locator(".answer__main").inner_text() == "Vraag €\xa02,40"
    assert "Nagekeken zonder verbinding" in saved.inner_text()
    type_and_check_in(page, door.chloe.number)
    page.locator("#queue-count", has_text=": 2").wait_for()
    assert page.locator("#queue-list .scan-row").count() == 2
    assert door.chloe.number[-4:] in page.locator("#queue-list").inner_text()
    assert checked_in_passes(door) == {door.amira.number}
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # the connection returns: both are sent with their keys and show as synced
    context.set_offline(False)
    synced = page.locator("#synced-list .scan-row--ok")
    synced.nth(1).wait_for()
    assert synced.count() == 2
    text = page.locator("#synced-list").inner_text()
    assert "Bart" in text and "Chloé" in text and "Vraag €\xa02,40" in text
    page.locator("#queue").wait_for(state="hidden")
    assert checked_in_passes(door) == {door.amira.number, door.bart.number, door.chloe.number}
    page.locator("#checkins-list .scan-row", has_text="Chloé").wait_for()
    assert_accessible(page)

    # a blocked pass is refused with what to say
    type_and_check_in(page, door.blocked.number)
    refused = page.locator("#answer .answer--refused")
    refused.wait_for()
    assert refused.locator(".answer__main").inner_text() == "Pas geblokkeerd"
    assert refused.locator(".answer__detail").inner_text().startswith("Deze pas is geblokkeerd")
    assert door.blocked.number not in checked_in_passes(door)
    assert CheckIn.objects.filter(occurrence=door.occurrence).count() == 3
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])


def test_an_organiser_scans_at_the_door_also_while_offline(
    door, context, phone_page, browser_errors
):
    page = phone_page
    log_in(page, "organiser")
    page.goto("/scan/")

    scan_typed_online_offline_and_blocked(page, context, door)

    organiser_user = CheckIn.objects.filter(occurrence=door.occurrence).values_list(
        "user__username", flat=True
    )
    assert set(organiser_user) == {"organiser"}
    forget_the_refusal(browser_errors)


def test_a_connected_device_scans_with_its_token_and_opens_offline(
    door, context, phone_page, browser_errors
):
    page = phone_page
    raw = make_token(door.network, Role.ORGANISER, organiser=door.club, name="deur zwembad")

    # the device shell without a token offers to log in or to connect
    page.goto("/scan/")
    page.locator("html[data-scanner=ready]").wait_for()
    assert page.locator("#connect-form").is_visible()
    assert page.locator("#scan-form").is_hidden()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # the coordinator's link: the token is kept and leaves the address bar
    page.goto(f"/scan/#token={raw}")
    page.wait_for_function("() => location.hash === ''")
    assert "token" not in page.url
    assert page.evaluate("localStorage.getItem('vrijuit-scanner-token')") == raw
    assert page.locator("#scan-form").is_visible()
    page.locator("#dates label", has_text=TITLE).wait_for()

    scan_typed_online_offline_and_blocked(page, context, door)
    tokens = CheckIn.objects.filter(occurrence=door.occurrence).values_list(
        "token__name", flat=True
    )
    assert set(tokens) == {"deur zwembad"}

    # after a first visit the scanner opens without internet, and still queues a scan
    page.locator("html[data-offline=ready]").wait_for()
    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    page.locator("html[data-scanner=ready]").wait_for()
    assert page.locator("#scan-form").is_visible()
    choose_date(page)
    extra = door.emma
    type_and_check_in(page, extra.number)
    page.locator("#answer .answer--ok", has_text="Nagekeken zonder verbinding").wait_for()
    context.set_offline(False)
    page.locator("#synced-list .scan-row--ok", has_text="Emma").wait_for()
    assert extra.number in checked_in_passes(door)
    forget_the_refusal(browser_errors)


def without_status(network, first_name):
    return PassFactory(participant=ParticipantFactory(network=network, first_name=first_name))


def scan(page, number):
    """Type a number and check in, once the previous scan is done and its answer gone."""
    page.locator("#scan-form:not([aria-busy])").wait_for()
    page.evaluate("document.getElementById('answer').replaceChildren()")
    type_and_check_in(page, number)


def answer_of(page, kind):
    answer = page.locator(f"#answer .answer--{kind}")
    answer.wait_for()
    return answer.locator(".answer__main").first.inner_text(), answer.inner_text()


def test_without_a_connection_the_scanner_refuses_what_it_would_refuse_online(
    door, context, phone_page, browser_errors
):
    """Issue 11: offline, a blocked pass, a pass without reduced tariff and a pass already
    used each get a red answer; a valid pass the right green price; the scan is sent when the
    connection returns; old data makes the answer "onder voorbehoud"."""
    page = phone_page
    no_status = without_status(door.network, "Fatima")
    another_door = principal_for(
        make_token(door.network, Role.ORGANISER, organiser=door.club, name="kassa 2")
    )
    services.checkin_create(
        principal=another_door, pass_number=door.chloe.number,
        occurrence_id=door.occurrence.pk, idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    door.occurrence.end = timezone.now() + timedelta(hours=8)  # a long day: still open later
    door.occurrence.save()
    nobody = "123456789012"
    nobody += luhn_check_digit(nobody)

    log_in(page, "organiser")
    page.clock.install()
    page.goto("/scan/")
    page.locator("html[data-scanner=ready]").wait_for()
    choose_date(page)
    offline_data_kept(page)
    context.set_offline(True)
    page.locator(".connection--offline").wait_for()

    scan(page, door.blocked.number)
    title, text = answer_of(page, "refused")
    assert title == "Pas geblokkeerd"
    assert "Deze pas is geblokkeerd" in text and "Nagekeken zonder verbinding" in text
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    scan(page, no_status.number)
    assert answer_of(page, "refused")[0] == "Geen kansentarief"

    scan(page, door.chloe.number)  # checked in at the other door this morning
    assert answer_of(page, "refused")[0] == "Al ingecheckt"

    scan(page, nobody)
    assert answer_of(page, "refused")[0] == "Onbekende pas"

    scan(page, door.amira.number)
    title, text = answer_of(page, "ok")
    assert title == "Vraag €\xa02,40"
    assert "in plaats van €\xa012,00" in text
    assert "De check-in wordt verstuurd zodra de verbinding terug is" in text
    assert_accessible(page)

    scan(page, door.amira.number)  # the same pass again, on this phone
    assert answer_of(page, "refused")[0] == "Al ingecheckt"
    page.locator("#queue-count", has_text=": 1").wait_for()
    assert page.locator("#queue-list .scan-row").count() == 1
    assert door.amira.number not in checked_in_passes(door)

    # the connection returns: the one valid scan is sent, with its key
    kept = page.locator("html").get_attribute("data-offline-data")
    context.set_offline(False)
    page.locator("#synced-list .scan-row--ok", has_text="Amira").wait_for()
    page.locator("#queue").wait_for(state="hidden")
    assert checked_in_passes(door) == {door.chloe.number, door.amira.number}
    assert CheckIn.objects.filter(occurrence=door.occurrence).count() == 2

    # five hours later without a connection: the kept data is too old to be sure
    page.wait_for_function(
        "kept => document.documentElement.dataset.offlineData !== kept", arg=kept
    )  # downloaded again after sending, with Amira's check-in
    context.set_offline(True)
    page.locator(".connection--offline").wait_for()
    page.clock.fast_forward("05:00:00")
    page.locator(".offline-data--stale", has_text="Onder voorbehoud").wait_for()
    scan(page, door.bart.number)
    title, text = answer_of(page, "offline")
    assert title == "Onder voorbehoud"
    assert "Vraag €\xa02,40" in text and "meer dan 4 uur geleden" in text
    scan(page, nobody)  # perhaps a card made since: not refused for sure
    title, text = answer_of(page, "offline")
    assert title == "Onder voorbehoud"
    assert "staat niet in de gegevens op dit toestel" in text
    scan(page, door.blocked.number)  # a blocked card stays blocked
    title, text = answer_of(page, "refused")
    assert title == "Pas geblokkeerd" and "Onder voorbehoud" in text
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])
    context.set_offline(False)  # (the two scans are later than the server's clock: not sent)
    forget_the_refusal(browser_errors)


def qr_video(path, number, size=(640, 480), frames=10):
    """A Y4M video of the card's QR code, for Chromium's fake camera."""
    png = BytesIO()
    segno.make_qr(number, error="m").save(png, kind="png", scale=10, border=4)
    png.seek(0)
    code = Image.open(png).convert("RGB")
    image = Image.new("RGB", size, "white")
    image.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    y, u, v = image.convert("YCbCr").split()
    half = (size[0] // 2, size[1] // 2)
    planes = y.tobytes() + u.resize(half).tobytes() + v.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)


def test_the_camera_reads_the_qr_code_of_a_card(door, browser, live_server, tmp_path):
    # Chromium's fake camera shows the QR code of Amira's card.
    video = tmp_path / "card.y4m"
    qr_video(video, door.amira.number)
    camera_browser = browser.browser_type.launch(
        executable_path=chromium_executable(),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            base_url=live_server.url,
            viewport=PHONE,
            locale="nl-BE",
            timezone_id="Europe/Brussels",
            permissions=["camera"],
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        log_in(page, "organiser")
        page.goto("/scan/")
        page.locator("html[data-scanner=ready]").wait_for()
        choose_date(page)
        assert page.evaluate("typeof window.jsQR") == "undefined"  # loaded only when needed

        page.get_by_role("button", name="Scannen met de camera").click()

        ok = page.locator("#answer .answer--ok")
        ok.wait_for()
        assert ok.locator(".answer__name").inner_text() == "Amira"
        assert checked_in_passes(door) == {door.amira.number}
        assert page.locator("#camera").is_hidden()  # the camera stops after a read
        assert page.evaluate("document.getElementById('camera-video').srcObject") is None
        assert not errors
        context.close()
    finally:
        camera_browser.close()


def test_without_javascript_a_typed_number_is_checked_in_by_the_server(door, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        locale="nl-BE",
        timezone_id="Europe/Brussels",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, "organiser")
        page.goto("/scan/")
        choose_date(page)
        assert page.locator("#camera-start").is_hidden()  # the camera needs the script

        with page.expect_navigation():
            type_and_check_in(page, door.amira.number)
        ok = page.locator("#answer .answer--ok")
        assert ok.locator(".answer__name").inner_text() == "Amira"
        assert ok.locator(".answer__main").inner_text() == "Vraag €\xa02,40"
        assert page.locator("#checkins-list", has_text="Amira").is_visible()

        with page.expect_navigation():
            type_and_check_in(page, door.blocked.number)
        refused = page.locator("#answer .answer--refused")
        assert refused.locator(".answer__main").inner_text() == "Pas geblokkeerd"
        assert checked_in_passes(door) == {door.amira.number}
        assert_no_horizontal_scroll(page, PHONE["width"])
    finally:
        context.close()
