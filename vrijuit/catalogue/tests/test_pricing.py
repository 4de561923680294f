"""The price of a discounted check-in: the example table of docs/rules.md and its rules."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vrijuit.catalogue.pricing import Price, PricingSettings, price_for
from vrijuit.networks.tests.factories import NetworkFactory

# docs/rules.md, "3. Price of a check-in", with the default settings:
# regular, paid, discount, reimbursement (municipality), organiser bears.
TABLE = [
    ("12.00", "2.40", "9.60", "4.80", "4.80"),
    # 7.45 * 20 % = 1.49 → 1.50 (step 0.10); 5.95 * 40/80 = 2.975 → 2.98, the organiser 2.97.
    ("7.45", "1.50", "5.95", "2.98", "2.97"),
    # 2.00 * 20 % = 0.40 is under the minimum price 0.50.
    ("2.00", "0.50", "1.50", "0.75", "0.75"),
    # The minimum price 0.50 is more than the regular price: no discount at all.
    ("0.40", "0.40", "0.00", "0.00", "0.00"),
    ("0.00", "0.00", "0.00", "0.00", "0.00"),
    ("150.00", "30.00", "120.00", "60.00", "60.00"),
]
DEFAULTS = {
    "participant_share": Decimal("20"),
    "organiser_share": Decimal("40"),
    "municipality_share": Decimal("40"),
    "rounding_step": Decimal("0.10"),
}
STEPS = [Decimal(step) for step in ("0.01", "0.05", "0.10", "0.50", "1.00")]


def cents(low, high):
    """Amounts with exactly 2 places from ``low`` to ``high`` cents."""
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def network_settings(draw):
    """Shares (2 places) adding up to 100 %, a rounding step, a minimum price of 0 to 5 euros."""
    participant = draw(st.integers(0, 10_000))
    organiser = draw(st.integers(0, 10_000 - participant))
    return PricingSettings(
        participant_share=Decimal(participant).scaleb(-2),
        organiser_share=Decimal(organiser).scaleb(-2),
        municipality_share=Decimal(10_000 - participant - organiser).scaleb(-2),
        rounding_step=draw(st.sampled_from(STEPS)),
        minimum_price=draw(cents(0, 500)),
    )


regular_prices = cents(0, 1_000_000)


def as_price(row):
    return Price(*(Decimal(amount) for amount in row))


@pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
def test_example_table_of_the_discount_rules(row):
    assert price_for(regular=Decimal(row[0]), settings=PricingSettings()) == as_price(row)


@pytest.mark.django_db
def test_a_new_network_has_the_default_settings_and_gives_the_table():
    network = NetworkFactory()
    network.refresh_from_db()

    assert PricingSettings.from_network(network) == PricingSettings()
    for row in TABLE:
        assert price_for(regular=Decimal(row[0]), settings=network) == as_price(row)


@given(regular=regular_prices, settings=network_settings())
@example(regular=Decimal("7.45"), settings=PricingSettings())
def test_the_amounts_add_up_and_have_two_places(regular, settings):
    price = price_for(regular=regular, settings=settings)

    assert price.regular == regular
    assert Decimal("0.00") <= price.paid <= regular
    assert price.paid + price.discount == regular
    assert price.reimbursement + price.organiser_cost == price.discount
    assert price.reimbursement >= 0 and price.organiser_cost >= 0
    for amount in vars(price).values():
        assert isinstance(amount, Decimal)
        assert amount.as_tuple().exponent == -2


@given(regular=regular_prices, settings=network_settings())
@example(regular=Decimal("2.00"), settings=PricingSettings())
@example(regular=Decimal("0.40"), settings=PricingSettings())
def test_paid_is_the_rounded_share_unless_the_minimum_or_the_regular_price_applies(
    regular, settings
):
    """Paid is the participant's share rounded to the step (half a step at most away);
    only where that is under the minimum price does the participant pay the minimum, and
    never more than the regular price."""
    paid = price_for(regular=regular, settings=settings).paid
    share = regular * settings.participant_share / 100

    if regular == 0:
        assert paid == 0
    elif paid == regular:
        assert regular <= settings.minimum_price or regular <= share + settings.rounding_step / 2
    elif paid == settings.minimum_price:
        assert share - settings.rounding_step / 2 <= settings.minimum_price < regular
    else:
        assert paid % settings.rounding_step == 0
        assert abs(paid - share) <= settings.rounding_step / 2
        assert settings.minimum_price < paid < regular
    assert paid >= min(regular, settings.minimum_price)


@given(regular=regular_prices, settings=network_settings(), fixed=cents(0, 100_000))
def test_a_fixed_reduced_price_is_paid_unless_the_regular_price_is_lower(regular, settings, fixed):
    price = price_for(regular=regular, settings=settings, fixed_reduced_price=fixed)

    assert price.paid == min(fixed, regular)
    assert price.paid + price.discount == regular
    assert price.reimbursement + price.organiser_cost == price.discount


@given(discount_cents=st.integers(0, 1_000_000), settings=network_settings())
def test_the_municipality_pays_its_share_of_the_discount_rounded_to_the_cent(
    discount_cents, settings
):
    # A fixed price of 0.00 makes the whole regular price the discount.
    discount = Decimal(discount_cents).scaleb(-2)
    price = price_for(regular=discount, settings=settings, fixed_reduced_price=Decimal("0.00"))
    bearers = settings.municipality_share + settings.organiser_share

    expected = discount * settings.municipality_share / bearers if bearers else 0
    assert abs(price.reimbursement - expected) <= Decimal("0.005")


def test_the_organiser_bears_everything_when_the_municipality_share_is_zero():
    settings = PricingSettings(municipality_share=Decimal("0"), organiser_share=Decimal("80"))

    price = price_for(regular=Decimal("12.00"), settings=settings)

    assert (price.reimbursement, price.organiser_cost) == (Decimal("0.00"), Decimal("9.60"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"regular": 12.0},
        {"regular": Decimal("12.00"), "fixed_reduced_price": 2.5},
        {"regular": Decimal("12.00"), "settings": SimpleNamespace(**DEFAULTS, minimum_price=0.5)},
    ],
    ids=["regular", "fixed price", "setting"],
)
def test_floats_are_refused(kwargs):
    kwargs.setdefault("settings", PricingSettings())
    with pytest.raises(TypeError, match="float"):
        price_for(**kwargs)


def test_settings_with_a_float_are_refused():
    with pytest.raises(TypeError, match="float"):
        PricingSettings(rounding_step=0.1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"regular": Decimal("-1.00")},
        {"regular": Decimal("12.00"), "fixed_reduced_price": Decimal("-0.01")},
        {"regular": Decimal("7.455")},
        {"regular": Decimal("NaN")},
        {"regular": "twaalf"},
    ],
    ids=["negative", "negative fixed price", "part of a cent", "not a number", "text"],
)
def test_amounts_that_are_not_prices_are_refused(kwargs):
    with pytest.raises(ValueError):
        price_for(settings=PricingSettings(), **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"participant_share": Decimal("30")},
        {"participant_share": Decimal("120"), "organiser_share": Decimal("-20")},
        {"rounding_step": Decimal("0")},
        {"rounding_step": Decimal("0.005")},
        {"minimum_price": Decimal("-0.50")},
    ],
    ids=["shares not 100", "negative share", "step 0", "step under a cent", "negative minimum"],
)
def test_impossible_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        PricingSettings(**kwargs)
