"""Pass numbers: 13 digits, the last a Luhn check digit."""

import secrets

LENGTH = 13


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        digit = int(char)
        if index % 2 == 0:  # these are doubled once the check digit is appended
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_valid_number(number: str) -> bool:
    """13 digits whose last digit is the Luhn check digit of the first twelve."""
    return (
        isinstance(number, str)
        and len(number) == LENGTH
        and number.isascii()
        and number.isdigit()
        and luhn_check_digit(number[:-1]) == number[-1]
    )


def normalise_number(text: str) -> str:
    """What people type or scanners send: spaces, dots and dashes are ignored."""
    return "".join(ch for ch in (text or "") if ch not in " .-\t")


def new_number() -> str:
    """A random valid number; the first digit is never 0 (spreadsheets drop it)."""
    payload = str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(LENGTH - 2)
    )
    return payload + luhn_check_digit(payload)


def format_number(number: str) -> str:
    """``1234 5678 9012 3`` for reading aloud and printing."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
