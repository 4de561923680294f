from decimal import Decimal

import pytest

from django.core.management import call_command

from vrijuit.core.models import AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.models import Membership, Network

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_borsbeek_from_the_source_document(capsys):
    call_command("seed_demo")

    network = Network.objects.get(slug="borsbeek")
    assert sorted(network.partners.values_list("name", flat=True)) == [
        "OCMW",
        "Vrijetijdsdienst",
        "Welzijnsschakel 't Schakeltje",
    ]
    agreement = network.agreements.get()
    assert (agreement.starts_on.year, agreement.ends_on.year) == (2018, 2019)
    assert agreement.drawing_right == Decimal("2432.00")
    assert "Een kortingssysteem voor al het aanbod in de gemeente" in agreement.action_list
    assert network.contact_name == "Bas Dhoey"
    assert network.contact_email == "bas.dhoey@borsbeek.be"
    assert network.organisers.count() >= 3
    roles = set(Membership.objects.filter(network=network).values_list("role", flat=True))
    assert roles == set(Role.values)
    printed = capsys.readouterr().out
    for username in ("coordinator", "desk", "socialworker", "organiser", "finance", "volunteer"):
        assert username in printed


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    before = (AuditEvent.objects.count(), Membership.objects.count(), Network.objects.count())

    call_command("seed_demo")

    assert (
        AuditEvent.objects.count(),
        Membership.objects.count(),
        Network.objects.count(),
    ) == before


def test_the_demo_can_be_tried_at_the_scanner_today(capsys):
    from vrijuit.checkins.selectors import open_occurrences
    from vrijuit.checkins.services import tariff
    from vrijuit.core.permissions import Principal

    call_command("seed_demo")
    printed = capsys.readouterr().out
    network = Network.objects.get(slug="borsbeek")
    principal = Principal(network=network, role=Role.DESK)
    dates = open_occurrences(principal)
    swimming = next(o for o in dates if o.activity.title.startswith("Vrij zwemmen"))
    answers = {}
    for line in printed.splitlines():
        if "(" in line and line.strip()[:4].isdigit():
            number = line.split("(")[0].strip().rsplit(" ", 1)[0].replace(" ", "")
            answers[line.split("(")[1].rstrip(")")] = tariff(
                principal=principal, pass_number=number, occurrence_id=swimming.pk
            )
    assert answers["active"].price_to_pay == Decimal("0.80")  # 20 % of € 4,00
    assert answers["grace"].grace_period
    assert answers["no status"].code == "no_valid_status"
    assert answers["blocked"].code == "pass_blocked"
