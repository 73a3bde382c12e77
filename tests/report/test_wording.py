import math

import pytest

from inequalities.report import wording as findings

pytestmark = pytest.mark.unit

KW = {"what": "rural areas", "reference": "urban areas"}


@pytest.mark.parametrize(("interval", "expected"), [
    ((1.2, 1.05, 1.4), "higher in rural areas than in urban areas"),
    ((0.8, 0.7, 0.95), "lower in rural areas than in urban areas"),
    ((1.1, 0.9, 1.3), "not clearly different between rural areas and urban areas"),
    ((1.0, 1.0, 1.2), "not clearly different between rural areas and urban areas"),  # touches 1
])
def test_describe_ratio_claims_difference_only_when_interval_excludes_one(interval, expected):
    assert findings.describe_ratio(*interval, **KW) == expected


@pytest.mark.parametrize(("interval", "expected"), [
    ((2.14, 0.5, 3.8), "2.1 years higher in rural areas than in urban areas"),
    ((-1.96, -3.0, -0.2), "2.0 years lower in rural areas than in urban areas"),
    ((0.4, -0.1, 0.9), "not clearly different between rural areas and urban areas"),
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


def test_describe_difference_decimals():
    assert findings.describe_difference(-0.034, -0.05, -0.01, what="a", reference="b", unit="km",
                                        decimals=2) == "0.03 km lower in a than in b"


SUBJECT = {"subject": "GP FTE per patient", "what": "rural authorities",
           "reference": "urban authorities"}


@pytest.mark.parametrize(("interval", "expected"), [
    ((1.2, 1.05, 1.4),
     "GP FTE per patient was higher in rural authorities than in urban authorities"),
    ((0.8, 0.7, 0.95),
     "GP FTE per patient was lower in rural authorities than in urban authorities"),
    ((1.1, 0.9, 1.3),
     "GP FTE per patient was not clearly different between rural authorities and urban "
     "authorities"),
    ((math.nan, math.nan, math.nan),
     "GP FTE per patient could not be compared between rural authorities and urban "
     "authorities"),
])
def test_describe_ratio_with_a_subject_is_a_whole_clause_in_every_case(interval, expected):
    assert findings.describe_ratio(*interval, **SUBJECT) == expected


@pytest.mark.parametrize(("interval", "expected"), [
    ((2.14, 0.5, 3.8), "Distance was 2.14 km higher in rural areas than in England"),
    ((-1.956, -3.0, -0.2), "Distance was 1.96 km lower in rural areas than in England"),
    ((0.4, -0.1, 0.9), "Distance was not clearly different between rural areas and England"),
    ((0.4, math.nan, 0.9), "Distance could not be compared between rural areas and England "
                           "(no rural areas)"),
])
def test_describe_difference_with_a_subject_in_every_case(interval, expected):
    # km prints with 2 decimals (numbers.DECIMALS) when no decimals are given
    assert findings.describe_difference(*interval, subject="Distance", what="rural areas",
                                        reference="England", unit="km",
                                        reason="no rural areas") == expected


@pytest.mark.parametrize("interval", [(1.2, 1.05, 1.4), (0.8, 0.7, 0.95), (1.1, 0.9, 1.3),
                                      (math.nan, 1, 2)])
def test_the_predicate_reads_as_english_after_was(interval):
    sentence = "Life expectancy was " + findings.describe_ratio(*interval, **KW)
    assert not sentence.startswith("Life expectancy was no ")
    assert sentence.split()[3] in {"higher", "lower", "not"}


@pytest.mark.parametrize(("n", "expected"), [
    (0, "no local authorities"), (1, "1 local authority"), (12, "12 local authorities"),
    (1234, "1,234 local authorities"), (1.0, "1 local authority")])
def test_count_never_says_the_1_authorities(n, expected):
    assert findings.count(n, "local authority", "local authorities") == expected


NE = "not estimated: 1 local authority, fewer than the 5 needed"


@pytest.mark.parametrize(("female", "male", "expected"), [
    ("81.8 years (95% CI 81.5 to 82.2)", "77.9 years (95% CI 77.6 to 78.3)",
     "81.8 years (95% CI 81.5 to 82.2) for females and 77.9 years (95% CI 77.6 to 78.3) "
     "for males"),
    (NE, NE, "not estimated for either sex (1 local authority, fewer than the 5 needed)"),
    ("61.2 years (95% CI 59.0 to 63.4)", NE,
     "61.2 years (95% CI 59.0 to 63.4) for females and not estimated for males "
     "(1 local authority, fewer than the 5 needed)"),
    ("not estimated", "not estimated", "not estimated for either sex"),
])
def test_by_sex_says_a_shared_reason_once(female, male, expected):
    assert findings.by_sex(female, male) == expected
