import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import format_iban, normalise_iban, validate_iban


class Organiser(models.Model):
    """A club, service or partner that offers activities and is reimbursed for discounts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="organisers"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        "networks.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisers",
        verbose_name=_("partner"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="organiser_unique_slug"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.iban = normalise_iban(self.iban)

    @property
    def iban_display(self):
        return format_iban(self.iban) if self.iban else ""
