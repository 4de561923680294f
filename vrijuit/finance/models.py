"""Public money: where it comes from (sources), what it is for (allocations), what was spent
(an append-only ledger), and what each organiser is paid back (statements, payment batches).

The discount budget itself — the amount rule 8 checks — is ``checkins.Budget``; its spent
total is the sum of the check-in entries of the ledger (``check_integrity`` verifies both).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vrijuit.core.tenancy import OrganiserScoped, TenantQuerySet

from .constants import EntryKind, Purpose, SourceKind, StatementState


class BudgetSource(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    label = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget source")
        verbose_name_plural = _("budget sources")
        ordering = ["year", "kind"]
        constraints = [
            models.CheckConstraint(name="source_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"


class Allocation(models.Model):
    """What part of a year's money is meant for a purpose other than discount
    reimbursements (those are the check-in budget, ``checkins.Budget``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["year", "purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "purpose"], name="allocation_one_per_purpose"
            ),
            models.CheckConstraint(
                name="allocation_amount_not_negative", condition=Q(amount__gte=0)
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_purpose_display()}"


class LedgerEntry(models.Model):
    """One money fact. Rows are only ever added: a mistake is corrected by a new entry."""

    id = models.BigAutoField(primary_key=True)
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    booked_at = models.DateTimeField(_("booked at"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Spending is positive; a cancellation or refund is negative."),
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    organiser = models.ForeignKey(
        "catalogue.Organiser",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    actor_label = models.CharField(_("booked by"), max_length=200, blank=True)

    objects = OrganiserScoped.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["booked_at", "id"]
        indexes = [
            # Covering: the budget page sums per purpose and per week without the table.
            models.Index(
                fields=["network", "year", "purpose", "booked_at", "amount"],
                name="ledger_network_year",
            ),
            models.Index(fields=["checkin"], name="ledger_checkin"),
        ]
        constraints = [
            models.CheckConstraint(
                name="ledger_checkin_entries_have_checkin",
                condition=~Q(kind__in=["checkin", "checkin_cancel"]) | Q(checkin__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.booked_at:%Y-%m-%d} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Ledger entries are never changed; add a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries are never deleted; add a correction instead.")


class PaymentBatch(models.Model):
    """One SEPA credit transfer file paying several approved statements."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=35)
    execution_date = models.DateField(_("execution date"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference


class Statement(models.Model):
    """What the municipality pays an organiser for the check-ins of one period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(
        "catalogue.Organiser",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("organiser"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    state = models.CharField(
        _("state"), max_length=10, choices=StatementState.choices, default=StatementState.DRAFT
    )
    checkin_count = models.PositiveIntegerField(_("check-ins"), default=0)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("payment batch"),
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganiserScoped.as_manager()

    class Meta:
        verbose_name = _("reimbursement statement")
        verbose_name_plural = _("reimbursement statements")
        ordering = ["-period_start", "organiser__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "period_start"], name="statement_one_per_period"
            ),
            models.CheckConstraint(
                name="statement_period_order", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self):
        return f"{self.organiser} {self.period_start:%Y-%m}"

    @property
    def is_locked(self):
        return self.state in (StatementState.APPROVED, StatementState.PAID)
