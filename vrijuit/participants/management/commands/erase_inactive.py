"""Retention: erase the identity of people without status or activity for N years."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from vrijuit.core.audit import audit_context
from vrijuit.networks.models import Network
from vrijuit.participants.selectors import participants_past_retention
from vrijuit.participants.services import participant_erase


class Command(BaseCommand):
    help = (
        "Erase the identities of participants who had no reduced-tariff status and no "
        "activity for the network's retention period (default 5 years). Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--network", help="only this network (slug)")
        parser.add_argument("--dry-run", action="store_true", help="only count, change nothing")

    def handle(self, *args, network=None, dry_run=False, **options):
        today = timezone.localdate()
        networks = Network.objects.all()
        if network:
            networks = networks.filter(slug=network)
        total = 0
        with audit_context(label="manage.py erase_inactive", source="command", context="retention"):
            for net in networks:
                people = list(participants_past_retention(net, today))
                if not dry_run:
                    for person in people:
                        participant_erase(participant=person)
                total += len(people)
                verb = "would erase" if dry_run else "erased"
                self.stdout.write(
                    f"{net.slug}: {verb} {len(people)} identities "
                    f"(retention {net.retention_years} years)"
                )
        self.stdout.write(f"Total: {total}")
