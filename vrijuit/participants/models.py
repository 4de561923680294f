import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from vrijuit.core.dates import validate_birth_date
from vrijuit.core.tenancy import TenantQuerySet
from vrijuit.core.text import fold

from .constants import Basis, Language, StatusState


class LaterWords(Func):
    """What follows the first space of a folded name: "den broeck" of "van den broeck".

    A name of one word comes back whole. Indexed below, so that "daele" finds "Van Dæle" and
    "louise" finds "Marie-Louise" with a range scan. The SQL has no parameters: SQLite uses an
    index on an expression only when the query writes the very same expression.
    """

    arity = 1
    output_field = models.CharField()

    def as_sql(self, compiler, connection, **extra_context):
        position = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
        template = f"SUBSTR(%(expressions)s, {position}(%(expressions)s, ' ') + 1)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def living_lookup(via=""):
    """The condition "not erased", also through a relation (``via="participant"``): the one
    home of this filter. An erased person's row stays for the books, nameless, and is never
    shown."""
    return {f"{via}__erased_at__isnull" if via else "erased_at__isnull": True}


class ParticipantQuerySet(TenantQuerySet):
    def living(self):
        """People who are not erased."""
        return self.filter(**living_lookup())


class Household(models.Model):
    """People who live together; a status can be extended to all of them at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="households"
    )
    label = models.CharField(_("name of the household"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.label


class Participant(models.Model):
    """A resident who takes part, with or without the reduced tariff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="participants"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    postal_code = models.CharField(_("postal code"), max_length=4)
    municipality = models.ForeignKey(
        "networks.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.NL
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )

    # Folded copies for accent- and case-insensitive prefix search from an index.
    first_name_folded = models.CharField(max_length=100, editable=False, default="")
    last_name_folded = models.CharField(max_length=100, editable=False, default="")

    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_on = models.DateField(_("last activity"), default=date.today)
    erased_at = models.DateTimeField(_("identity erased"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name_folded", "first_name_folded"]
        indexes = [
            models.Index(
                fields=["network", "last_name_folded", "first_name_folded"],
                name="participant_last_name",
            ),
            models.Index(
                fields=["network", "first_name_folded", "last_name_folded"],
                name="participant_first_name",
            ),
            # Later words of names: the second ("van daele", "marie louise") and, of last
            # names, the third ("van den broeck").
            models.Index(
                F("network"), LaterWords("last_name_folded"), name="participant_last_name_2"
            ),
            models.Index(
                F("network"),
                LaterWords(LaterWords("last_name_folded")),
                name="participant_last_name_3",
            ),
            models.Index(
                F("network"), LaterWords("first_name_folded"), name="participant_first_name_2"
            ),
            models.Index(fields=["network", "birth_date"], name="participant_birth_date"),
            models.Index(fields=["network", "last_activity_on"], name="participant_activity"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        self.first_name_folded = fold(self.first_name)
        self.last_name_folded = fold(self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_folded", "last_name_folded"}
        super().save(*args, **kwargs)

    @property
    def is_erased(self):
        return self.erased_at is not None

    def age_on(self, day):
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class Status(models.Model):
    """The reduced-tariff status (kansenstatuut) for a period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="statuses"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="statuses",
        verbose_name=_("participant"),
    )
    basis = models.CharField(_("basis"), max_length=30, choices=Basis.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    note = models.CharField(
        _("what was seen"),
        max_length=300,
        blank=True,
        help_text=_(
            "For example: 'certificate of the health fund seen'. Do not store documents or amounts."
        ),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_by_label = models.CharField(_("granted by"), max_length=200, blank=True)
    partner = models.ForeignKey(
        "networks.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    suspend_reason = models.CharField(_("reason for suspension"), max_length=300, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("reduced-tariff status")
        verbose_name_plural = _("reduced-tariff statuses")
        ordering = ["-valid_until"]
        indexes = [
            models.Index(fields=["network", "valid_until"], name="status_network_until"),
            models.Index(fields=["participant", "valid_until"], name="status_participant_until"),
        ]
        constraints = [
            models.CheckConstraint(
                name="status_period_order", condition=Q(valid_until__gte=F("valid_from"))
            ),
            models.CheckConstraint(
                name="status_suspension_order",
                condition=Q(suspended_from__isnull=True)
                | Q(suspended_until__isnull=True)
                | Q(suspended_until__gte=F("suspended_from")),
            ),
        ]

    def __str__(self):
        return f"{self.participant} {self.valid_from:%d/%m/%Y}–{self.valid_until:%d/%m/%Y}"

    @property
    def effective_until(self):
        """Ending early moves the last valid day to the day before the end."""
        if self.ended_on is not None:
            return min(self.valid_until, self.ended_on - timedelta(days=1))
        return self.valid_until

    def is_suspended_on(self, day):
        return (
            self.suspended_from is not None
            and self.suspended_from <= day
            and (self.suspended_until is None or day <= self.suspended_until)
        )

    def state_on(self, day, grace_days):
        """The state on ``day``. Ending takes effect from ``ended_on`` on, never before it;
        a suspension also covers the grace period (running out does not lift it)."""
        if day < self.valid_from:
            return StatusState.NONE
        if self.ended_on is not None and day >= self.ended_on:
            return StatusState.EXPIRED
        if day > self.valid_until + timedelta(days=grace_days):
            return StatusState.EXPIRED
        if self.is_suspended_on(day):
            return StatusState.SUSPENDED
        return StatusState.ACTIVE if day <= self.valid_until else StatusState.GRACE


class Note(models.Model):
    """A short note by staff on a participant's record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="notes", verbose_name=_("participant")
    )
    text = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:50]
