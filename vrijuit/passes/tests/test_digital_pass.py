"""The digital pass behind a private link: what it shows, what it never shows, and how it
answers when the link no longer works."""

import json
import re
from html.parser import HTMLParser

import pytest

from django.urls import reverse

from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.services import participant_erase
from vrijuit.participants.tests.factories import StatusFactory
from vrijuit.passes.constants import BlockReason
from vrijuit.passes.services import pass_block, pass_new_private_link, pass_replace

from .factories import PassFactory
from .qr_reading import decode, modules_from_svg_path

# Words that would give the reduced tariff away, in the three languages of the site.
STATUS_WORDS = [
    "kansen",
    "korting",
    "tarief",
    "statuut",
    "verhoogde",
    "status",
    "reduced",
    "discount",
    "tariff",
    "réduit",
    "réduction",
    "tarif",
    "omnio",
]


class VisibleText(HTMLParser):
    """The text a reader sees or hears: element text, plus alt, title and aria-label."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(response):
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def pass_url(pass_or_key):
    key = getattr(pass_or_key, "access_key", pass_or_key)
    return reverse("digital_pass:pass", args=[key])


@pytest.fixture
def network(db):
    return NetworkFactory(name="Vrijetijdsnetwerk Borsbeek", slug="borsbeek")


@pytest.fixture
def digital_pass(network):
    return PassFactory(
        participant__network=network,
        participant__first_name="Zoë",
        participant__last_name="Verbruggen",
        participant__street="Kerkstraat 12",
    )


def test_the_page_shows_network_first_name_and_number(client, digital_pass):
    response = client.get(pass_url(digital_pass), headers={"accept-language": "en"})

    text = visible_text(response)
    assert response.status_code == 200
    assert "Vrijetijdsnetwerk Borsbeek" in text
    assert "Pass of Zoë" in text
    assert digital_pass.number_display in text
    assert "Show this code at the till or at the door." in text


def test_the_page_never_shows_the_last_name_or_address(client, digital_pass):
    participant = digital_pass.participant

    page = client.get(pass_url(digital_pass)).content.decode()

    for private in ("Verbruggen", "Kerkstraat", participant.email, participant.phone):
        assert private not in page
    assert str(participant.birth_date.year) not in visible_text(client.get(pass_url(digital_pass)))


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_page_says_nothing_about_the_status(client, digital_pass, language):
    StatusFactory(participant=digital_pass.participant)

    response = client.get(pass_url(digital_pass), headers={"accept-language": language})

    text = visible_text(response).lower()
    assert [word for word in STATUS_WORDS if word in text] == []


def test_pages_with_and_without_status_are_the_same_but_for_number_and_link(client, network):
    with_status = PassFactory(participant__network=network, participant__first_name="Jan")
    StatusFactory(participant=with_status.participant)
    without_status = PassFactory(participant__network=network, participant__first_name="Jan")

    def normalised(pass_):
        page = client.get(pass_url(pass_)).content.decode()
        page = page.replace(pass_.access_key, "<key>").replace(pass_.number_display, "<number>")
        page = re.sub(r'<path stroke="#000" d="[^"]+"', "<qr>", page)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "<csrf>", page)

    assert normalised(with_status) == normalised(without_status)


def test_the_qr_code_on_the_page_reads_back_as_the_pass_number(client, digital_pass):
    page = client.get(pass_url(digital_pass)).content.decode()

    svg = re.search(r"<svg\b.*?</svg>", page, re.S).group(0)
    text, level = decode(modules_from_svg_path(svg))
    assert text == digital_pass.number
    assert level in ("M", "Q", "H")  # at least M; segno raises it when the size allows
    assert 'role="img"' in svg
    assert "<title>" in svg


def test_the_page_is_private_not_indexed_and_sends_no_referrer(client, digital_pass):
    response = client.get(pass_url(digital_pass))

    # No HTTP cache keeps it; offline, the service worker answers (browser test).
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_page_has_no_inline_script_or_style(client, digital_pass):
    page = client.get(pass_url(digital_pass)).content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert " style=" not in page


def test_the_page_is_read_with_one_query(client, digital_pass, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(pass_url(digital_pass))

    assert response.status_code == 200


def test_the_page_links_its_manifest_and_service_worker_script(client, digital_pass):
    page = client.get(pass_url(digital_pass)).content.decode()

    manifest = reverse("digital_pass:manifest", args=[digital_pass.access_key])
    assert f'<link rel="manifest" href="{manifest}">' in page
    assert 'data-service-worker="/pass/sw.js"' in page
    assert re.search(r'<script src="[^"]*/passes/pass\.js" defer', page)


# --- links that no longer work ----------------------------------------------------------


def assert_gone(response):
    assert response.status_code == 404
    text = visible_text(response)
    assert "This link no longer works" in text
    assert "Ask the leisure desk for a new link." in text
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_link_says_to_ask_the_leisure_desk(client, db):
    assert_gone(client.get(pass_url("not-a-real-key"), headers={"accept-language": "en"}))


def test_a_too_long_link_is_not_looked_up(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(pass_url("x" * 65), headers={"accept-language": "en"})

    assert_gone(response)


def test_the_link_of_a_blocked_pass_no_longer_works(client, digital_pass):
    url = pass_url(digital_pass)
    pass_block(pass_=digital_pass, reason=BlockReason.STOLEN)

    assert_gone(client.get(url, headers={"accept-language": "en"}))


def test_after_a_replacement_only_the_new_pass_has_a_working_link(client, digital_pass):
    old_url = pass_url(digital_pass)

    new_pass = pass_replace(pass_=digital_pass, reason=BlockReason.LOST)

    assert_gone(client.get(old_url, headers={"accept-language": "en"}))
    response = client.get(pass_url(new_pass))
    assert response.status_code == 200
    assert new_pass.number_display in visible_text(response)


def test_a_new_private_link_ends_the_old_one(client, digital_pass):
    old_url = pass_url(digital_pass)

    pass_new_private_link(pass_=digital_pass)

    assert_gone(client.get(old_url, headers={"accept-language": "en"}))
    assert client.get(pass_url(digital_pass)).status_code == 200


def test_the_link_of_an_erased_person_no_longer_works(client, digital_pass):
    url = pass_url(digital_pass)

    participant_erase(participant=digital_pass.participant)

    assert_gone(client.get(url, headers={"accept-language": "en"}))


def test_the_page_only_answers_reads(client, digital_pass):
    assert client.post(pass_url(digital_pass)).status_code in (403, 405)
    assert client.head(pass_url(digital_pass)).status_code == 200


# --- home screen and offline -------------------------------------------------------------


def test_the_manifest_opens_the_pass_from_the_home_screen(client, digital_pass):
    url = reverse("digital_pass:manifest", args=[digital_pass.access_key])

    response = client.get(url)

    manifest = json.loads(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["start_url"] == pass_url(digital_pass)
    assert manifest["scope"] == pass_url(digital_pass)
    assert manifest["display"] == "standalone"
    assert "Vrijetijdsnetwerk Borsbeek" in manifest["name"]
    assert manifest["icons"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "Zoë" not in response.content.decode()


def test_the_manifest_of_a_blocked_pass_is_gone(client, digital_pass):
    url = reverse("digital_pass:manifest", args=[digital_pass.access_key])
    pass_block(pass_=digital_pass, reason=BlockReason.LOST)

    assert client.get(url).status_code == 404


def test_the_service_worker_is_served_from_pass_so_its_scope_is_pass(client, db):
    response = client.get("/pass/sw.js")

    body = response.content.decode()
    assert reverse("digital_pass:service_worker") == "/pass/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/pass/"
    assert response["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in body
    assert 'addEventListener("message"' in body
