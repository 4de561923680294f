"""``manage.py import_activities --network borsbeek --organiser zwemclub FILE [--dry-run]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vrijuit.catalogue.imports import activities_import, read_csv, read_jsonld
from vrijuit.catalogue.models import Organiser
from vrijuit.networks.models import Network


class Command(BaseCommand):
    help = (
        "Import activities from a CSV file (the columns of the CSV export, with external_id) "
        "or a JSON-LD list of schema.org Events (UiTdatabank). Importing again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--network", required=True, help="short name of the network")
        parser.add_argument("--organiser", required=True, help="short name of the organiser")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish new activities (else drafts)"
        )

    def handle(self, *args, file, network, organiser, dry_run, publish, **options):
        network_obj = Network.objects.filter(slug=network).first()
        if network_obj is None:
            raise CommandError(f"There is no network {network!r}.")
        organiser_obj = Organiser.objects.filter(network=network_obj, slug=organiser).first()
        if organiser_obj is None:
            raise CommandError(f"The network {network!r} has no organiser {organiser!r}.")
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        is_json = path.suffix.lower() in (".json", ".jsonld") or text.lstrip().startswith(
            ("[", "{")
        )
        rows = read_jsonld(text) if is_json else read_csv(text)
        report = activities_import(
            network=network_obj,
            organiser=organiser_obj,
            rows=rows,
            dry_run=dry_run,
            publish=publish,
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        for line in report.lines():
            self.stdout.write(line)
        for error in report.errors:
            self.stderr.write(error)
