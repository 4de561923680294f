from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountLanguage(models.Model):
    """The language a staff member last logged in with: e-mails about their account
    (a replaced or reset two-factor login) are written in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_language",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("account language")
        verbose_name_plural = _("account languages")

    def __str__(self):
        return f"{self.user_id}: {self.language}"
