from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "vrijuit.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from vrijuit.core import audit

        from .models import ApiToken

        audit.register(ApiToken, exclude=("key_hash", "last_used_at", "created_at"))
