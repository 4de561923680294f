"""Verify that the stored money facts agree: check-ins, budgets, idempotency records.

Exit status 0 when everything agrees; otherwise a CommandError (exit status 1) that lists each
disagreement. The checks are in ``vrijuit/checkins/management/integrity.py``; other apps add
theirs in ``<app>/management/integrity.py``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils.module_loading import autodiscover_modules

from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.management.integrity import CHECKS, Scope, euros, run_checks
from vrijuit.networks.models import Network


class Command(BaseCommand):
    help = (
        "Verify that check-ins, reimbursement budgets and idempotency records agree. "
        "Exits with status 1, listing each disagreement, when they do not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--network", help="only this network (slug)")
        parser.add_argument("--year", type=int, help="only this calendar year")

    def handle(self, *args, network=None, year=None, **options):
        autodiscover_modules("management.integrity")
        networks = Network.objects.order_by("slug")
        if network:
            networks = networks.filter(slug=network)
            if not networks.exists():
                raise CommandError(f"No network with slug '{network}'.")
        found = []
        for net in networks:
            scope = Scope(net, year)
            disagreements = run_checks(scope)
            counts = scope.checkins().aggregate(
                total=Count("pk"), accepted=Count("pk", filter=Q(state=CheckInState.ACCEPTED))
            )
            reimbursed = sum(scope.reimbursed_cents.values())
            verdict = "OK" if not disagreements else f"{len(disagreements)} disagreement(s)"
            self.stdout.write(
                f"{net.slug}{'' if year is None else f' {year}'}: {counts['total']} check-ins "
                f"({counts['accepted']} accepted, {euros(reimbursed)} reimbursed), "
                f"{len(scope.budget_cents)} budget year(s): {verdict}"
            )
            for disagreement in disagreements:
                self.stdout.write(f"  {disagreement}")
            found += [f"{net.slug}: {d}" for d in disagreements]
        if found:
            raise CommandError(
                f"{len(found)} disagreement(s) found:\n" + "\n".join(f"- {f}" for f in found)
            )
        self.stdout.write(f"All {len(CHECKS)} checks agree.")
