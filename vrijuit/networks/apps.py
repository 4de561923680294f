from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "vrijuit.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from vrijuit.core import audit

        from . import models

        for model in (models.Network, models.Municipality, models.Partner, models.Agreement):
            audit.register(model)
        audit.register(models.Membership)
