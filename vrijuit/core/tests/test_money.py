from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from django.utils import translation

from vrijuit.core.money import format_eur, quantize, round_half_up


@pytest.mark.parametrize(
    ("amount", "step", "expected"),
    [
        ("2.40", "0.10", "2.40"),
        ("1.49", "0.10", "1.50"),
        ("1.45", "0.10", "1.50"),
        ("1.44", "0.10", "1.40"),
        ("2.975", "0.01", "2.98"),
        ("0.005", "0.01", "0.01"),
        ("7.45", "0.05", "7.45"),
    ],
)
def test_round_half_up(amount, step, expected):
    assert round_half_up(Decimal(amount), Decimal(step)) == Decimal(expected)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        quantize(2.4)


@given(st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False))
def test_rounding_to_cents_never_moves_more_than_half_a_cent(amount):
    rounded = round_half_up(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded == rounded.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "€\xa02,40"),
        ("fr", "2,40\xa0€"),
    ],
)
def test_amounts_are_shown_the_belgian_way(language, expected):
    with translation.override(language):
        assert format_eur(Decimal("2.4")) == expected


def test_thousands_in_dutch():
    assert format_eur(Decimal("2432"), "nl") == "€\xa02.432,00"
