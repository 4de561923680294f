from datetime import date, timedelta

import pytest

from django.core.management import call_command
from django.utils import timezone

from vrijuit.networks.tests.factories import MunicipalityFactory, NetworkFactory
from vrijuit.participants.models import Participant
from vrijuit.participants.services import participant_register, status_grant

pytestmark = pytest.mark.django_db


def test_identities_without_status_or_activity_for_five_years_are_erased():
    network = NetworkFactory()
    MunicipalityFactory(network=network, postal_codes="2150")
    today = timezone.localdate()

    def someone(name, last_activity):
        p = participant_register(
            network=network,
            first_name=name,
            last_name="X",
            birth_date=date(1970, 1, 1),
            postal_code="2150",
        )
        Participant.objects.filter(pk=p.pk).update(last_activity_on=last_activity)
        return p

    old = someone("Oud", today - timedelta(days=6 * 365))
    recent = someone("Recent", today - timedelta(days=4 * 365))
    old_with_status = someone("Status", today - timedelta(days=6 * 365))
    status_grant(
        participant=old_with_status,
        basis="income",
        valid_from=today - timedelta(days=5 * 365),
        valid_until=today - timedelta(days=300),
    )
    Participant.objects.filter(pk=old_with_status.pk).update(
        last_activity_on=today - timedelta(days=6 * 365)
    )

    call_command("erase_inactive", "--dry-run")
    assert Participant.objects.filter(erased_at__isnull=False).count() == 0

    call_command("erase_inactive")

    erased = set(Participant.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {old.pk}
    assert (
        Participant.objects.filter(
            pk__in=[recent.pk, old_with_status.pk], erased_at__isnull=True
        ).count()
        == 2
    )
