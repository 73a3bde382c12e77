import math

import pytest

from inequalities.report import numbers

pytestmark = pytest.mark.unit
M = "\u2212"


@pytest.mark.parametrize("value,decimals,expected", [
    (1234.567, 1, "1,234.6"),
    (-2.345, 2, M + "2.35"),      # true minus (2.345 is stored as 2.34500000000000019...)
    (-0.04, 1, "0.0"),            # no negative zero
    (-0.0, 2, "0.00"),
    (0.05, 1, "0.1"),
    (12, 0, "12"),
    (float("nan"), 1, "\u2013"),
    (None, 1, "\u2013"),
])
def test_number(value, decimals, expected):
    assert numbers.number(value, decimals) == expected


def test_signed_numbers_show_plus_but_never_on_zero():
    assert numbers.number(1.25, 1, signed=True) == "+1.2"
    assert numbers.number(-0.01, 1, signed=True) == "0.0"


def test_infinite_values_are_refused():
    with pytest.raises(ValueError, match="infinite"):
        numbers.number(math.inf)


@pytest.mark.parametrize("p,expected", [
    (2.47e-47, "p < 0.001"), (0.0009999, "p < 0.001"), (0.001, "p = 0.001"),
    (0.0042, "p = 0.004"), (0.03, "p = 0.03"), (0.5, "p = 0.50"), (1.0, "p = 1.00"),
])
def test_p_values(p, expected):
    assert numbers.p_value(p) == expected


def test_p_values_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError):
        numbers.p_value(1.2)


def test_decimals_per_unit():
    assert numbers.decimals_for("years") == 1 and numbers.decimals_for("per 10,000 patients") == 2
    assert numbers.decimals_for("an unknown unit") == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("-1.20", "\u22121.20"), ("-0.00", "0.00"), ("-0", "0"), ("-1,234", "\u22121,234"),
    ("2.00", "2.00"), ("+0.5", "+0.5"), ("-1.5 km", "\u22121.5 km"), ("n/a", "n/a"),
    ("Non-coastal", "Non-coastal"),
])
def test_typeset_gives_text_numbers_a_true_minus_and_no_negative_zero(text, expected):
    assert numbers.typeset(text) == expected
