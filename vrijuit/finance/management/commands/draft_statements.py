"""Draft the reimbursement statements of the period that ended (run daily, e.g. by cron).

Idempotent: a statement is drafted once per organiser and period and brought up to date
with late check-ins while it is not approved.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vrijuit.core.audit import audit_context
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.finance.statements import previous_period, statements_draft
from vrijuit.networks.models import Network


class Command(BaseCommand):
    help = "Draft the reimbursement statements of the last finished period for every network."

    def add_arguments(self, parser):
        parser.add_argument("--network", help="Only this network (its slug).")

    def handle(self, *args, **options):
        networks = Network.objects.order_by("slug")
        if options["network"]:
            networks = networks.filter(slug=options["network"])
            if not networks.exists():
                raise CommandError(f"No network with slug {options['network']!r}.")
        today = timezone.localdate()
        with audit_context(label="manage.py draft_statements", source="command"):
            for network in networks:
                start, end = previous_period(today, network.statement_period)
                system = Principal(network=network, role=Role.COORDINATOR)
                touched = statements_draft(principal=system, period_start=start, period_end=end)
                total = sum(s.total for s in touched)
                self.stdout.write(
                    f"{network.slug}: {len(touched)} statements for {start:%Y-%m-%d} – "
                    f"{end:%Y-%m-%d}, € {total}"
                )
