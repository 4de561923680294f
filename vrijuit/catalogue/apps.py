from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "vrijuit.catalogue"
    label = "catalogue"
    verbose_name = _("Activities and organisers")

    def ready(self):
        from django.db.models.signals import post_save

        from vrijuit.core import audit
        from vrijuit.networks.models import Municipality

        from .models import Activity, Occurrence, Organiser
        from .services import search_text_follow_rename

        audit.register(Organiser)
        audit.register(Activity, exclude=("created_at", "updated_at", "search_text", "last_until"))
        audit.register(Occurrence, exclude=("until",))
        # The guide finds activities by their organiser's and municipality's names, however
        # these are renamed (admin, services, import).
        for model in (Organiser, Municipality):
            post_save.connect(
                search_text_follow_rename, sender=model, dispatch_uid=f"search_text_{model}"
            )
