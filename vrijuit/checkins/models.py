"""Check-ins: one discounted participation of one pass at one occurrence.

A check-in stores its prices as they were at that moment (docs/rules.md): later tariff
changes never alter it. It is never deleted; a cancellation is a state change that releases
the budget. The yearly budget row keeps a running total so that the budget rule is one
conditional UPDATE (exact under any number of simultaneous check-ins).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from vrijuit.core.tenancy import OrganiserScoped, TenantQuerySet

from .constants import Channel, CheckInState, RefusalCode

HALF_CENT = Decimal("0.005")
AMOUNTS = ["paid", "discount", "reimbursement", "organiser_cost"]


class CheckIn(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="checkins"
    )
    pass_obj = models.ForeignKey(
        "passes.Pass",
        on_delete=models.PROTECT,
        related_name="checkins",
        db_column="pass_id",
        verbose_name=_("pass"),
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="checkins"
    )
    occurrence = models.ForeignKey(
        "catalogue.Occurrence", on_delete=models.PROTECT, related_name="checkins"
    )
    activity = models.ForeignKey(
        "catalogue.Activity", on_delete=models.PROTECT, related_name="checkins"
    )
    organiser = models.ForeignKey(
        "catalogue.Organiser", on_delete=models.PROTECT, related_name="checkins"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    token = models.ForeignKey(
        "api.ApiToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("checked in by"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    regular_price = models.DecimalField(_("regular price"), max_digits=9, decimal_places=2)
    paid = models.DecimalField(_("paid"), max_digits=9, decimal_places=2)
    discount = models.DecimalField(_("discount"), max_digits=9, decimal_places=2)
    reimbursement = models.DecimalField(_("reimbursement"), max_digits=9, decimal_places=2)
    organiser_cost = models.DecimalField(
        _("borne by the organiser"), max_digits=9, decimal_places=2
    )
    grace_period = models.BooleanField(_("in the grace period"), default=False)
    over_budget = models.BooleanField(_("accepted over the budget"), default=False)

    state = models.CharField(
        _("state"), max_length=10, choices=CheckInState.choices, default=CheckInState.ACCEPTED
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by_label = models.CharField(_("cancelled by"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    statement = models.ForeignKey(
        "finance.Statement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("reimbursement statement"),
    )

    objects = OrganiserScoped.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-scanned_at"]
        constraints = [
            # Rule 6 in the database: one accepted check-in per person and date.
            models.UniqueConstraint(
                fields=["occurrence", "participant"],
                condition=Q(state="accepted"),
                name="checkin_one_accepted_per_occurrence",
            ),
            # Within half a cent: SQLite computes with binary floats (13.30 - 2.70 is not
            # exactly 10.60 there); the amounts themselves always have two decimals.
            models.CheckConstraint(
                name="checkin_money_adds_up",
                condition=Q(
                    LessThan(
                        Abs(models.F("regular_price") - models.F("paid") - models.F("discount")),
                        HALF_CENT,
                    )
                )
                & Q(
                    LessThan(
                        Abs(
                            models.F("discount")
                            - models.F("reimbursement")
                            - models.F("organiser_cost")
                        ),
                        HALF_CENT,
                    )
                )
                & Q(paid__gte=0)
                & Q(reimbursement__gte=0),
            ),
            models.CheckConstraint(
                name="checkin_cancelled_has_time",
                condition=Q(state="accepted", cancelled_at__isnull=True)
                | Q(state="cancelled", cancelled_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "year"], name="checkin_participant_year"),
            models.Index(fields=["organiser", "scanned_at"], name="checkin_organiser_scanned"),
            # The annual money report reads these two covering indexes in order, without a
            # sort: per activity (and its organiser), and per month (ranges of scanned_at).
            models.Index(
                fields=["network", "year", "state", "activity", "organiser", *AMOUNTS],
                name="checkin_report_activity",
            ),
            models.Index(
                fields=["network", "year", "state", "scanned_at", *AMOUNTS],
                name="checkin_report_month",
            ),
        ]

    def __str__(self):
        return f"{self.occurrence_id} {self.scanned_at:%Y-%m-%d %H:%M}"

    @property
    def is_accepted(self):
        return self.state == CheckInState.ACCEPTED


class Budget(models.Model):
    """The reimbursement budget of one network for one calendar year.

    ``spent`` is the running sum of the reimbursements of accepted check-ins of that year;
    ``check_integrity`` verifies it against the check-ins. ``amount`` empty: no budget set.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("reimbursement budget"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("reimbursement budget")
        verbose_name_plural = _("reimbursement budgets")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="budget_one_per_year"),
            models.CheckConstraint(
                name="budget_amount_not_negative",
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.network} {self.year}"

    @property
    def remaining(self):
        return None if self.amount is None else self.amount - self.spent


class IdempotencyRecord(models.Model):
    """The first answer to a check-in request with a given key, per token or account."""

    id = models.BigAutoField(primary_key=True)
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=60)
    key = models.UUIDField()
    fingerprint = models.CharField(max_length=64)
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.CharField(max_length=30, choices=RefusalCode.choices, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self):
        return f"{self.owner} {self.key}"
