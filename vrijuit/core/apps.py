from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vrijuit.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import audit
        from .admin import restrict_unscoped_admins

        audit.connect_signals()
        # The admin app (first in INSTALLED_APPS) has registered every admin by now.
        restrict_unscoped_admins()
