import math

import pytest

from inequalities.report import wording as findings

pytestmark = pytest.mark.unit

KW = {"what": "rural areas", "reference": "urban areas"}


@pytest.mark.parametrize(("interval", "expected"), [
    ((1.2, 1.05, 1.4), "higher in rural areas than in urban areas"),
    ((0.8, 0.7, 0.95), "lower in rural areas than in urban areas"),
    ((1.1, 0.9, 1.3), "no clear difference between rural areas and urban areas"),
    ((1.0, 1.0, 1.2), "no clear difference between rural areas and urban areas"),  # touches 1
])
def test_describe_ratio_claims_difference_only_when_interval_excludes_one(interval, expected):
    assert findings.describe_ratio(*interval, **KW) == expected


@pytest.mark.parametrize(("interval", "expected"), [
    ((2.14, 0.5, 3.8), "2.1 years higher in rural areas than in urban areas"),
    ((-1.96, -3.0, -0.2), "2.0 years lower in rural areas than in urban areas"),
    ((0.4, -0.1, 0.9), "no clear difference between rural areas and urban areas"),
])
def test_describe_difference_claims_difference_only_when_interval_excludes_zero(interval,
                                                                                   expected):
    assert findings.describe_difference(*interval, unit="years", **KW) == expected


def test_missing_values_are_not_estimable_and_bad_intervals_raise():
    assert findings.describe_ratio(math.nan, 1, 2, **KW) == "not estimable"
    assert findings.describe_difference(1, math.nan, 2, unit="", **KW) == "not estimable"
    with pytest.raises(ValueError, match="does not contain"):
        findings.describe_ratio(3.0, 1.0, 2.0, **KW)
    with pytest.raises(ValueError, match="positive"):
        findings.describe_ratio(0.5, -0.1, 1.0, **KW)


def test_format_interval():
    assert findings.format_interval(1.234, 1.1, 1.371) == "1.2 (95% CI 1.1 to 1.4)"
    assert findings.format_interval(1234.5, 1000, 1500.25, decimals=0) == \
        "1,234 (95% CI 1,000 to 1,500)"
    assert findings.format_interval(1.0, math.nan, 2.0) == "not available"


def test_describe_difference_decimals():
    assert findings.describe_difference(-0.034, -0.05, -0.01, what="a", reference="b", unit="km",
                                        decimals=2) == "0.03 km lower in a than in b"
