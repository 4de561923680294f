from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassesConfig(AppConfig):
    name = "vrijuit.passes"
    label = "passes"
    verbose_name = _("Passes")

    def ready(self):
        from vrijuit.core import audit

        from .models import Pass

        audit.register(Pass, exclude=("access_key",))
