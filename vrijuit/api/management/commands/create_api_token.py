from django.core.management.base import BaseCommand, CommandError

from vrijuit.api.services import api_token_create
from vrijuit.catalogue.models import Organiser
from vrijuit.core.audit import audit_context
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.roles import Role, is_organiser_bound
from vrijuit.networks.models import Network


class Command(BaseCommand):
    help = "Create an API token for a network and role; prints the raw token once, on its own line."

    def add_arguments(self, parser):
        parser.add_argument("--network", required=True, help="slug of the network")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organiser", help="slug of the organiser (role organiser only)")
        parser.add_argument("--name", required=True, help="where the token is used")

    def handle(self, *args, network, role, organiser, name, **options):
        network_obj = Network.objects.filter(slug=network).first()
        if network_obj is None:
            raise CommandError(f"No network with slug '{network}'.")
        organiser_obj = None
        if is_organiser_bound(role):
            if not organiser:
                raise CommandError("--organiser <slug> is required for role organiser.")
            organiser_obj = Organiser.objects.filter(network=network_obj, slug=organiser).first()
            if organiser_obj is None:
                raise CommandError(f"No organiser '{organiser}' in network '{network}'.")
        elif organiser:
            raise CommandError("--organiser is only for role organiser.")
        with audit_context(label="manage.py create_api_token", source="command"):
            try:
                _token, raw = api_token_create(
                    network=network_obj, role=role, name=name, organiser=organiser_obj
                )
            except VrijuitError as exc:
                raise CommandError(str(exc.message)) from exc
        self.stdout.write(raw)
