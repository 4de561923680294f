import uuid
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.core import dates
from vrijuit.core.tenancy import OrganiserScoped, TenantQuerySet

from .constants import ActivityState, Category
from .validators import format_iban, normalise_iban, validate_iban


class OrganiserQuerySet(TenantQuerySet):
    organiser_path = "pk"


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

    objects = OrganiserQuerySet.as_manager()

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


class Activity(models.Model):
    """Something an organiser offers: the guide lists it, check-ins happen at its occurrences."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="activities"
    )
    organiser = models.ForeignKey(
        Organiser, on_delete=models.PROTECT, related_name="activities", verbose_name=_("organiser")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    location_name = models.CharField(_("location"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        "networks.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("municipality"),
    )
    accessibility = models.TextField(_("accessibility"), blank=True)
    regular_price = models.DecimalField(
        _("regular price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    fixed_reduced_price = models.DecimalField(
        _("fixed reduced price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_required = models.BooleanField(_("registration needed"), default=False)
    contact = models.TextField(_("contact"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ActivityState.choices, default=ActivityState.DRAFT
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    # Title, description, organiser, place and municipality in lower case without accents,
    # kept by the services (and when an organiser or municipality is renamed): "creche" finds
    # "crèche" with a plain LIKE on SQLite and PostgreSQL alike.
    search_text = models.TextField(blank=True, editable=False)
    # The latest ``Occurrence.until`` of the occurrences that are not cancelled (None without
    # one), kept by database triggers (migration 0007) whatever writes the occurrences; a
    # value written by Django is overwritten. "Has a date running or to come" is
    # ``last_until > now``: the guide counts and filters from an index instead of looking at
    # every activity's dates.
    last_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganiserScoped.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "external_id"],
                condition=~models.Q(external_id=""),
                name="activity_unique_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(regular_price__gte=0), name="activity_regular_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(fixed_reduced_price__isnull=True)
                | models.Q(fixed_reduced_price__gte=0),
                name="activity_fixed_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="activity_age_range",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "state"], name="activity_network_state"),
            # The guide's count and filters read this index only (no table rows).
            models.Index(
                fields=[
                    "network",
                    "state",
                    "last_until",
                    "category",
                    "regular_price",
                    "min_age",
                    "max_age",
                    "municipality",
                ],
                name="activity_guide",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise ValidationError(
                {"max_age": _("The maximum age must not be lower than the minimum age.")}
            )


# A date that lasts longer than this is long (``Occurrence.spans_days``): the guide finds the
# dates of a period as a bounded range of ``until`` plus the long ones.
LONG_AFTER = timedelta(days=2)


def occurrence_until(start, end):
    """Until when an occurrence is shown: its end, or without an end the end of the (local)
    day it starts on. It is running while ``start <= now < until``."""
    if end is not None:
        return end
    tz = timezone.get_default_timezone()
    day = timezone.localtime(start, tz).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min), tz)


class OccurrenceQuerySet(TenantQuerySet):
    organiser_path = "activity__organiser_id"

    def bulk_create(self, objs, *args, **kwargs):
        """``bulk_create`` skips ``save()``: ``until`` is set here too."""
        objs = list(objs)
        for occurrence in objs:
            occurrence.until = occurrence_until(occurrence.start, occurrence.end)
            occurrence.spans_days = occurrence.until - occurrence.start > LONG_AFTER
        return super().bulk_create(objs, *args, **kwargs)


class Occurrence(models.Model):
    """One time an activity takes place: from ``start`` to ``end`` (or, without an end, on the
    day of ``start``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="occurrences"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("activity")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # The end, or the end of the day of the start (``occurrence_until``), set on every save:
    # the guide shows a date while ``now < until`` (coming and running dates) and orders by it.
    until = models.DateTimeField(blank=True, editable=False)
    # Whether it lasts longer than LONG_AFTER (a season, a course of weeks), set with until.
    spans_days = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="occurrence_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "start"], name="occurrence_network_start"),
            # The guide reads the coming dates of one activity at a time (first, next five).
            models.Index(fields=["activity", "start"], name="occurrence_activity_start"),
            # The guide reads an activity's running and coming dates (first, next five).
            models.Index(fields=["activity", "until"], name="occurrence_activity_until"),
            # The guide's first page walks the network's running and coming dates in order.
            models.Index(
                fields=["network", "until", "activity", "start"],
                condition=models.Q(cancelled_at__isnull=True),
                name="occurrence_coming",
            ),
            # The long dates of a period (see LONG_AFTER).
            models.Index(
                fields=["network", "until", "activity", "start"],
                condition=models.Q(cancelled_at__isnull=True, spans_days=True),
                name="occurrence_long",
            ),
        ]

    def __str__(self):
        return f"{self.activity} {self.start:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.start is not None:
            self.until = occurrence_until(self.start, self.end)
            self.spans_days = self.until - self.start > LONG_AFTER
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and {"start", "end"} & set(update_fields):
                kwargs["update_fields"] = {*update_fields, "until", "spans_days"}
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def ends_on_start_day(self):
        """Whether the end is on the (local) day of the start."""
        return self.end is None or timezone.localdate(self.end) == timezone.localdate(self.start)

    @property
    def is_running(self):
        """Started and not over (``until``)."""
        now = timezone.now()
        return self.start <= now < occurrence_until(self.start, self.end)

    def clean(self):
        # One rule for activity dates (``core.dates``): at most 5 years ahead, 2 years back.
        errors = {}
        for field in ("start", "end"):
            try:
                dates.check_activity_date(getattr(self, field), field)
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        if self.end is not None and self.start is not None and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})


class ActivityText(models.Model):
    """SQLite only: an activity's folded ``search_text`` as its FTS5 trigram index
    (``catalogue_activity_fts``) knows it, by an integer key. The table and the triggers that
    fill it come from migration ``0005_guide_search``; nothing writes it through Django.
    The guide joins it to test an activity against the rowids of a word search
    (``search.word_conditions``)."""

    id = models.IntegerField(primary_key=True)
    activity = models.OneToOneField(
        Activity,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="text",
    )
    search_text = models.TextField()

    class Meta:
        managed = False
        db_table = "catalogue_activity_text"

    def __str__(self):
        return f"text of {self.activity_id}"


class ActivityFts(models.Model):
    """SQLite only: the FTS5 trigram index ``catalogue_activity_fts`` (migration
    ``0005_guide_search``), one row per ``ActivityText`` by its rowid. Joined, a word search
    reads its matches one by one (``search.Words``) instead of all at once."""

    text = models.OneToOneField(
        ActivityText,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="fts",
    )
    search_text = models.TextField()

    class Meta:
        managed = False
        db_table = "catalogue_activity_fts"

    def __str__(self):
        return f"index of {self.text_id}"


class Match(models.Lookup):
    """``column MATCH 'query'``: an FTS5 full-text query on SQLite (``ActivityFts``)."""

    lookup_name = "fts_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


ActivityFts._meta.get_field("search_text").register_lookup(Match)
