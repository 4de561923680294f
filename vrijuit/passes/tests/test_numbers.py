"""Pass numbers: 13 digits, the last a Luhn check digit; typing errors are caught."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from vrijuit.passes.numbers import (
    format_number,
    is_valid_number,
    luhn_check_digit,
    new_number,
    normalise_number,
)

payloads = st.from_regex(r"\A[1-9][0-9]{11}\Z")
valid_numbers = payloads.map(lambda payload: payload + luhn_check_digit(payload))


def test_every_new_number_is_13_digits_not_starting_with_0_and_valid():
    for _ in range(2000):
        number = new_number()
        assert len(number) == 13
        assert number.isascii() and number.isdigit()
        assert number[0] in "123456789"
        assert is_valid_number(number)


def test_new_numbers_are_random():
    assert len({new_number() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "number",
    ["4000000000006", "1234567890128", "1000000000009", "9999999999992"],
)
def test_known_valid_numbers(number):
    assert is_valid_number(number)


@given(valid_numbers, st.integers(min_value=0, max_value=12), st.integers(1, 9))
def test_changing_any_single_digit_makes_a_number_invalid(number, position, shift):
    changed = str((int(number[position]) + shift) % 10)
    mistyped = number[:position] + changed + number[position + 1 :]

    assert is_valid_number(number)
    assert not is_valid_number(mistyped)


@given(valid_numbers, st.integers(min_value=0, max_value=11))
def test_swapping_two_adjacent_digits_makes_a_number_invalid(number, position):
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]

    if {a, b} == {"0", "9"}:
        # Luhn's known blind spot: 09 and 90 have the same weight.
        assert is_valid_number(swapped)
    else:
        assert not is_valid_number(swapped)


def textbook_luhn(number):
    """The Luhn check as usually written: from the right, double every second digit."""
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit // 10 + digit % 10
    return total % 10 == 0


@given(st.from_regex(r"\A[0-9]{13}\Z"))
def test_the_check_is_the_textbook_luhn_check(number):
    assert is_valid_number(number) == textbook_luhn(number)


def test_the_blind_spot_exists():
    payload = "100000000090"
    number = payload + luhn_check_digit(payload)
    swapped = "100000000009" + number[-1]

    assert is_valid_number(number)
    assert is_valid_number(swapped)


@given(valid_numbers)
def test_12_or_14_digits_are_refused(number):
    assert not is_valid_number(number[:-1])
    assert not is_valid_number(number + "0")
    assert not is_valid_number(number + luhn_check_digit(number))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "123456789012",
        "12345678901280",
        "123456789012A",
        "A234567890128",
        "1234 5678 9012 8",
        "1234567890128\n",
        " 1234567890128",
        "-234567890128",
        "+234567890128",
        "１２３４５６７８９０１２８",  # full-width digits
        "١234567890128",  # Arabic-Indic one
        "1234567890१28",  # Devanagari two
        None,
        1234567890128,
    ],
)
def test_anything_but_13_ascii_digits_is_refused(text):
    assert not is_valid_number(text)


@given(valid_numbers, st.integers(min_value=0, max_value=12))
def test_a_digit_from_another_script_is_refused_even_with_the_same_value(number, position):
    lookalike = chr(ord("٠") + int(number[position]))  # ٠١٢٣… are digits to Python
    assert lookalike.isdigit() and int(lookalike) == int(number[position])

    assert not is_valid_number(number[:position] + lookalike + number[position + 1 :])


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1234 5678 9012 8", "1234567890128"),
        ("1234.5678.9012.8", "1234567890128"),
        ("1234-5678-9012-8", "1234567890128"),
        (" 1234 5678-9012.8 ", "1234567890128"),
        ("1234\t5678 9012 8", "1234567890128"),
        ("1234567890128", "1234567890128"),
        ("", ""),
        (None, ""),
    ],
)
def test_spaces_dots_and_dashes_are_ignored(typed, number):
    assert normalise_number(typed) == number


@given(valid_numbers)
def test_a_printed_number_reads_back_as_the_same_number(number):
    printed = format_number(number)

    assert printed.replace(" ", "") == number
    assert normalise_number(printed) == number
    assert is_valid_number(normalise_number(printed))
