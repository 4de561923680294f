from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "vrijuit.catalogue"
    label = "catalogue"
    verbose_name = _("Activities and organisers")

    def ready(self):
        from vrijuit.core import audit

        from .models import Activity, Occurrence, Organiser

        audit.register(Organiser)
        audit.register(Activity, exclude=("created_at", "updated_at", "search_text", "last_start"))
        audit.register(Occurrence)
