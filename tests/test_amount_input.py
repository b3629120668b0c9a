"""The one parser of amounts of won (app/inputs.parse_amount_krw): what people write, and a
specific error for everything else, never a figure silently changed."""

import pytest

from app.inputs import MAX_AMOUNT_KRW, InputError, parse_amount_krw


@pytest.fixture
def english(app):
    """A request whose messages are in English (the catalogue's msgids)."""
    with app.test_request_context("/?lang=en"):
        yield


@pytest.mark.parametrize(("typed", "won"), [
    ("1,200,000,000", 1_200_000_000),
    ("1200000000", 1_200_000_000),
    ("12억", 1_200_000_000),
    ("12억 5,000만", 1_250_000_000),
    ("12억5000만", 1_250_000_000),
    ("3,500만원", 35_000_000),
    ("3,500만 원", 35_000_000),
    ("5천만 원", 50_000_000),
    ("1억 5천만", 150_000_000),
    ("1.5억", 150_000_000),
    ("12억 50", 1_200_000_050),
    ("₩1,000", 1000),
    ("0", 0),
    ("  7,890원 ", 7890),
    ("1조", MAX_AMOUNT_KRW),
    (320_000_000, 320_000_000),
])
def test_amounts_as_people_write_them(ctx, typed, won):
    assert parse_amount_krw(typed, "finance_amount_krw") == won


@pytest.mark.parametrize(("typed", "says"), [
    ("12억억", "eok (100 million) is written twice."),
    ("1억 2억", "eok (100 million) is written twice."),
    ("-5", "An amount cannot be negative."),
    ("\u22125", "An amount cannot be negative."),
    ("5,000만 12억", "Write the larger unit first (eok (100 million) before man (10,000))."),
    ("억", "A number must come before eok (100 million)."),
    ("1,2", "A comma is out of place"),
    ("1,20,000", "A comma is out of place"),
    ("1,200.5", "An amount is a whole number of won."),
    ("1.234567891만", "An amount is a whole number of won."),
    ("12 34", "is not an amount in won"),
    ("abc", "is not an amount in won"),
    ("１２", "is not an amount in won"),  # full-width digits: not silently read
    ("²", "is not an amount in won"),
    ("12억 50000만", "The part before man (10,000) is too large to follow eok (100 million)."),
    ("1만 20000", "The last part is too large"),
    ("50천", "Write one digit before cheon (1,000)."),
    ("천", "Write one digit before cheon (1,000)."),
    ("2조", "An amount is at most KRW 1 trillion"),
    ("원", "Write the amount in digits"),
    ("1" * 61, "too long"),
    (1.5, "Write the amount in digits"),
    (True, "Write the amount in digits"),
    (-1, "An amount cannot be negative."),
])
def test_anything_else_is_a_specific_error(english, typed, says):
    with pytest.raises(InputError) as refused:
        parse_amount_krw(typed, "finance_amount_krw")
    assert refused.value.field == "finance_amount_krw"
    assert says in refused.value.message


def test_the_error_speaks_the_pages_language(ctx):
    with pytest.raises(InputError) as refused:
        parse_amount_krw("12억억", "finance_amount_krw")
    assert refused.value.message == "억 단위를 두 번 썼습니다."
