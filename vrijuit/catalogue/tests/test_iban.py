import pytest

from django.core.exceptions import ValidationError

from vrijuit.catalogue.validators import format_iban, iban_is_valid, validate_iban


@pytest.mark.parametrize(
    "iban",
    [
        "BE68539007547034",
        "BE68 5390 0754 7034",
        "be71096123456769",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
    ],
)
def test_valid_ibans(iban):
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban", ["", "BE68539007547035", "BE6853900754703", "XX", "BE68-5390", "NL91ABNA041716430"]
)
def test_invalid_ibans_get_a_message_with_an_example(iban):
    assert not iban_is_valid(iban)
    with pytest.raises(ValidationError) as exc:
        validate_iban(iban)
    assert "BE68 5390 0754 7034" in str(exc.value.messages[0])


def test_iban_is_shown_in_groups_of_four():
    assert format_iban("be68539007547034") == "BE68 5390 0754 7034"
