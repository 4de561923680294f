"""The price of a discounted check-in (docs/rules.md, "3. Price of a check-in").

One pure function without the database, so that the check-in, the tariff lookup before the
sale and the reimbursement statements all compute a price the same way.
"""

from dataclasses import dataclass, fields
from decimal import Decimal

from vrijuit.core.money import CENT, quantize, round_half_up, to_decimal

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Price:
    """What a check-in costs, in euros with 2 places: who pays and who bears the discount."""

    regular: Decimal
    paid: Decimal
    discount: Decimal
    reimbursement: Decimal  # paid back by the municipality
    organiser_cost: Decimal  # the part of the discount the organiser bears


@dataclass(frozen=True)
class PricingSettings:
    """A network's discount settings; the defaults are those of docs/rules.md."""

    participant_share: Decimal = Decimal("20")
    organiser_share: Decimal = Decimal("40")
    municipality_share: Decimal = Decimal("40")
    rounding_step: Decimal = Decimal("0.10")
    minimum_price: Decimal = Decimal("0.50")

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            object.__setattr__(self, field.name, _finite(value, field.name))
        shares = (self.participant_share, self.organiser_share, self.municipality_share)
        if min(shares) < 0 or sum(shares) != HUNDRED:
            raise ValueError(f"The three shares must be 0 or more and add up to 100: {shares}.")
        if self.rounding_step <= 0:
            raise ValueError(f"rounding_step must be more than 0, not {self.rounding_step}.")
        _cents(self.rounding_step, "rounding_step")
        _cents(self.minimum_price, "minimum_price")

    @classmethod
    def from_network(cls, network):
        """The settings of a Network (or of anything else with the same five attributes)."""
        return cls(**{field.name: getattr(network, field.name) for field in fields(cls)})


def price_for(*, regular, settings, fixed_reduced_price=None) -> Price:
    """The price of one discounted check-in at the ``regular`` price of the occurrence.

    ``settings`` is a Network or a PricingSettings; ``fixed_reduced_price`` is the
    activity's own reduced price, if it has one. Floats raise TypeError, negative amounts
    and amounts finer than a cent raise ValueError.
    """
    regular = _cents(regular, "regular")
    fixed = None if fixed_reduced_price is None else _cents(fixed_reduced_price, "fixed price")
    s = PricingSettings.from_network(settings)
    if regular == 0:
        paid = ZERO
    elif fixed is not None:
        paid = min(fixed, regular)
    else:
        share = round_half_up(regular * s.participant_share / HUNDRED, s.rounding_step)
        paid = min(regular, max(s.minimum_price, share))
    discount = regular - paid
    bearers = s.municipality_share + s.organiser_share
    reimbursement = round_half_up(discount * s.municipality_share / bearers) if bearers else ZERO
    return Price(regular, paid, discount, reimbursement, discount - reimbursement)


def activity_price(activity, settings) -> Price:
    """What a pass holder pays for ``activity`` under ``settings`` (the network)."""
    return price_for(
        regular=activity.regular_price,
        settings=settings,
        fixed_reduced_price=activity.fixed_reduced_price,
    )


def _finite(value, name) -> Decimal:
    amount = to_decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{name} must be a number, not {value!r}.")
    return amount


def _cents(value, name) -> Decimal:
    """``value`` as euros with 2 places; it must be 0 or more and a whole number of cents."""
    amount = _finite(value, name)
    if amount < 0:
        raise ValueError(f"{name} must not be negative: {value!r}.")
    if amount != amount.quantize(CENT):
        raise ValueError(f"{name} must be a whole number of cents: {value!r}.")
    return quantize(amount)
