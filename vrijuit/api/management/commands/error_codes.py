from django.core.management.base import BaseCommand

from vrijuit.api.errors import error_code_table


class Command(BaseCommand):
    help = "Print the error code table of docs/api.md, generated from the catalogues."

    def handle(self, *args, **options):
        self.stdout.write(error_code_table())
