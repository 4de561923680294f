import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from vrijuit.core.banking import bic_for_iban, compact, parse_iban, validate_bic, validate_iban
from vrijuit.core.roles import is_organiser_bound
from vrijuit.core.tenancy import TenantQuerySet

from .constants import (
    RESERVED_SLUGS,
    BudgetMode,
    PartnerKind,
    Role,
    StatementPeriod,
    StatusValidity,
)

percent = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def validate_network_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved. Choose another one."))


class Network(models.Model):
    """A local leisure-participation network: the tenant."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(
        _("short name"), max_length=50, unique=True, validators=[validate_network_slug]
    )
    name = models.CharField(_("name"), max_length=200)
    vision = models.TextField(_("vision"), blank=True)

    # Public contact details (shown on the public site)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_function = models.CharField(
        _("function of the contact person"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    desk_address = models.CharField(_("address of the leisure desk"), max_length=300, blank=True)
    desk_opening_hours = models.TextField(_("opening hours of the leisure desk"), blank=True)

    # Discount settings (docs/rules.md), defaults as given there
    participant_share = models.DecimalField(
        _("participant pays (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=percent,
    )
    organiser_share = models.DecimalField(
        _("organiser bears (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=percent,
    )
    municipality_share = models.DecimalField(
        _("municipality reimburses (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=percent,
    )
    rounding_step = models.DecimalField(
        _("round prices to"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    minimum_price = models.DecimalField(
        _("minimum price"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status_validity = models.CharField(
        _("status valid"),
        max_length=20,
        choices=StatusValidity.choices,
        default=StatusValidity.END_OF_YEAR,
    )
    status_validity_months = models.PositiveSmallIntegerField(
        _("months of validity"),
        default=12,
        validators=[MinValueValidator(1)],
        help_text=_("Used when the status is valid for a number of months."),
    )
    status_late_grant_months = models.PositiveSmallIntegerField(
        _("late in the year: also the next year (months)"),
        default=3,
        validators=[MaxValueValidator(11)],
        help_text=_(
            "With validity until the end of the year: a status given in the last months of "
            "the year runs until the end of the next year. For example 3: from 1 October. "
            "0 switches this off."
        ),
    )
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=30)
    desk_may_grant_status = models.BooleanField(_("desk staff may grant the status"), default=False)
    max_discount_per_year = models.DecimalField(
        _("maximum discount per participant per year"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    max_checkins_per_activity_per_year = models.PositiveSmallIntegerField(
        _("maximum reduced check-ins per activity per year"),
        null=True,
        blank=True,
        help_text=_("For example 1 membership fee per club. Leave empty for no limit."),
    )
    budget_mode = models.CharField(
        _("when the budget is spent"),
        max_length=20,
        choices=BudgetMode.choices,
        default=BudgetMode.HARD_STOP,
    )
    # The coordinator is warned when this share of the discount budget is spent (two steps).
    budget_warning_first = models.PositiveSmallIntegerField(
        _("first budget warning (percentage spent)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For example 75: a notice when three quarters of the budget is spent."),
    )
    budget_warning_second = models.PositiveSmallIntegerField(
        _("second budget warning (percentage spent)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For example 90. Must be at least the first warning."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("erase inactive identities after (years)"), default=5, validators=[MinValueValidator(1)]
    )
    require_two_factor = models.BooleanField(
        _("require two-factor login for roles that see personal data"), default=True
    )

    # Who pays the organisers back: the debtor of the SEPA credit transfer files.
    payer_name = models.CharField(
        _("payer"),
        max_length=70,
        blank=True,
        help_text=_(
            "The municipality or OCMW whose account pays the organisers back, "
            "for example Gemeente Borsbeek."
        ),
    )
    payer_iban = models.CharField(
        _("payer's account (IBAN)"), max_length=34, blank=True, validators=[validate_iban]
    )
    payer_bic = models.CharField(
        _("payer's bank (BIC)"),
        max_length=11,
        blank=True,
        validators=[validate_bic],
        help_text=_("Leave empty for a Belgian account: it is found from the IBAN."),
    )
    statement_period = models.CharField(
        _("reimbursement statements"),
        max_length=10,
        choices=StatementPeriod.choices,
        default=StatementPeriod.MONTH,
        help_text=_("Organisers are paid back for the check-ins of each period."),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="network_shares_sum_to_100",
                condition=Q(
                    participant_share=Value(Decimal("100"))
                    - F("organiser_share")
                    - F("municipality_share")
                ),
            ),
            models.CheckConstraint(
                name="network_shares_not_negative",
                condition=Q(
                    participant_share__gte=0, organiser_share__gte=0, municipality_share__gte=0
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def network_id(self):
        return self.id

    def clean(self):
        if (
            self.budget_warning_first
            and self.budget_warning_second
            and self.budget_warning_second < self.budget_warning_first
        ):
            raise ValidationError(
                {
                    "budget_warning_second": _(
                        "The second warning must be at the same or a higher percentage "
                        "than the first."
                    )
                }
            )
        self.payer_iban = compact(self.payer_iban)
        self.payer_bic = compact(self.payer_bic)
        known_iban = parse_iban(self.payer_iban) if self.payer_iban else None
        if known_iban is not None and not self.payer_bic and not bic_for_iban(known_iban):
            raise ValidationError(
                {
                    "payer_bic": _(
                        "We could not find the BIC of this account's bank. "
                        "Fill it in (it is on a bank statement)."
                    )
                }
            )
        total = (
            (self.participant_share or 0)
            + (self.organiser_share or 0)
            + (self.municipality_share or 0)
        )
        if total != 100:
            raise ValidationError(
                _("The three shares must add up to 100 %%. Now they add up to %(total)s %%."),
                params={"total": total},
            )
        if self.organiser_share + self.municipality_share == 0 and self.participant_share != 100:
            raise ValidationError(
                _("The organiser's and the municipality's shares cannot both be 0 %.")
            )


class Municipality(models.Model):
    """A municipality the network covers. Supra-local networks have several."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="municipalities")
    name = models.CharField(_("name"), max_length=100)
    postal_codes = models.CharField(
        _("postal codes"),
        max_length=200,
        validators=[
            RegexValidator(
                r"^\d{4}(\s*,\s*\d{4})*$",
                _("Enter Belgian postal codes of 4 digits, separated by commas."),
            )
        ],
    )
    nis_code = models.CharField(_("NIS code"), max_length=5, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="municipality_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def postal_code_list(self):
        return [code.strip() for code in self.postal_codes.split(",") if code.strip()]


class Partner(models.Model):
    """An organisation in the network."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="partner_unique_name"),
        ]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    """The agreement (afsprakennota) of a network for a period: goals, actions, money."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    drawing_right = models.DecimalField(
        _("drawing right (€)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    municipal_cofinancing = models.DecimalField(
        _("municipal co-financing (€)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    goals = models.TextField(_("goals"), blank=True)
    actions = models.TextField(_("actions"), blank=True, help_text=_("One action per line."))
    meetings = models.TextField(_("meetings"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="agreement_period_order", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(
                name="agreement_money_not_negative",
                condition=Q(drawing_right__gte=0, municipal_cofinancing__gte=0),
            ),
            models.UniqueConstraint(fields=["network", "starts_on"], name="agreement_unique_start"),
        ]

    def __str__(self):
        return self.title

    @property
    def action_list(self):
        return [line.strip(" •-\t") for line in self.actions.splitlines() if line.strip(" •-\t")]

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date must be on or after the start date.")}
            )


class Membership(models.Model):
    """A staff account's role in a network (and, optionally, for which partner or organiser)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("partner"),
    )
    organiser = models.ForeignKey(
        "catalogue.Organiser",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organiser"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="membership_one_per_network"),
            models.CheckConstraint(
                name="membership_organiser_role",
                condition=(
                    Q(role=Role.ORGANISER, organiser__isnull=False)
                    | (~Q(role=Role.ORGANISER) & Q(organiser__isnull=True))
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.network}"

    def clean(self):
        if is_organiser_bound(self.role) and not self.organiser_id:
            raise ValidationError({"organiser": _("Choose the organiser this account works for.")})
        if not is_organiser_bound(self.role) and self.organiser_id:
            raise ValidationError(
                {"organiser": _("Only organiser accounts belong to an organiser.")}
            )
        for related in ("partner", "organiser"):
            obj = getattr(self, related)
            if obj is not None and obj.network_id != self.network_id:
                raise ValidationError({related: _("This belongs to another network.")})
