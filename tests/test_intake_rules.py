"""Business numbers, phone numbers and growth stages."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.intake.rules import (
    business_number_check_digit,
    business_number_digits,
    format_business_number,
    full_years_between,
    growth_stage,
    is_valid_business_number,
    normalise_phone,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def with_check_digit(first_nine: str) -> str:
    return first_nine + str(business_number_check_digit(first_nine))


@given(nine_digits)
def test_numbers_with_their_check_digit_are_valid(first_nine):
    number = with_check_digit(first_nine)
    assert is_valid_business_number(number)
    assert business_number_digits(format_business_number(number)) == number


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_change_is_rejected(first_nine, position, delta):
    number = with_check_digit(first_nine)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not is_valid_business_number(changed)


@pytest.mark.parametrize("number", ["124-81-00998", "1248100998", " 124 81 00998 "])
def test_known_number_in_any_spelling(number):
    digits = business_number_digits(number)
    assert digits == "1248100998"
    assert is_valid_business_number(digits)


@pytest.mark.parametrize("number", ["124-81-0099", "12481009981", "124-81-0099a", "１２４8100998"])
def test_malformed_numbers_have_no_digits(number):
    assert business_number_digits(number) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("010-1234-5678", "010-1234-5678"),
    ("01012345678", "010-1234-5678"),
    ("010 1234 5678", "010-1234-5678"),
    ("+82 10 1234 5678", "010-1234-5678"),
    ("+82-10-1234-5678", "010-1234-5678"),
    ("+82 (0)10-1234-5678", "010-1234-5678"),
    ("011-123-4567", "011-123-4567"),
    ("02-123-4567", "02-123-4567"),
    ("02-1234-5678", "02-1234-5678"),
    ("+82 2 1234 5678", "02-1234-5678"),
    ("055-123-4567", "055-123-4567"),
    ("(055) 1234-5678", "055-1234-5678"),
    ("070-1234-5678", "070-1234-5678"),
    ("1588-1234", "1588-1234"),
])
def test_korean_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", [
    "", "12345", "010-123-45", "099-123-4567", "+1 650 253 0000", "010-1234-56789",
    "phone: 010-1234-5678", "010-1234-567a",
])
def test_other_strings_are_not_phone_numbers(raw):
    assert normalise_phone(raw) is None


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(("founded_on", "stage"), [
    (None, "pre_bi"),
    (TODAY, "bi"),
    (date(2023, 11, 23), "bi"),          # one day short of three years
    (date(2023, 11, 22), "post_bi"),     # exactly three years
    (date(2019, 11, 23), "post_bi"),     # one day short of seven years
    (date(2019, 11, 22), "established"),  # exactly seven years
    (date(1990, 1, 1), "established"),
])
def test_growth_stage_is_exact_at_the_boundaries(founded_on, stage):
    assert growth_stage(founded_on, TODAY) == stage


def test_a_leap_day_founding_completes_its_year_on_the_first_of_march():
    assert full_years_between(date(2024, 2, 29), date(2027, 2, 28)) == 2
    assert full_years_between(date(2024, 2, 29), date(2027, 3, 1)) == 3
    assert growth_stage(date(2024, 2, 29), date(2027, 3, 1)) == "post_bi"
