"""Design helpers: coefficient levels and names, statsmodels failures as group problems."""

import numpy as np
import pytest

from inequalities.models._design import (
    GroupProblem,
    Term,
    contrasts,
    fit_failures_as_problems,
    level_labels,
)

pytestmark = pytest.mark.unit


def test_contrasts_skip_the_reference_and_name_columns_like_the_design():
    rurality = Term("urban_rural", "urban_rural", True, ("Rural", "Urban"), "Urban")
    score = Term("imd_score", "imd_score", False)
    pairs = contrasts([rurality, score])
    assert [(t.column, lv) for t, lv in pairs] == [("urban_rural", "Rural"), ("imd_score", None)]
    assert [t.column_name(lv) for t, lv in pairs] == ["urban_rural[Rural]", "imd_score"]


def test_level_labels_for_numeric_and_categorical_terms():
    assert level_labels(None, None) == {"level": "per unit", "reference": ""}
    assert level_labels(3, 1) == {"level": "3", "reference": "1"}


def test_statsmodels_failures_become_group_problems():
    with pytest.raises(GroupProblem, match="statsmodels could not fit this group"):
        with fit_failures_as_problems():
            np.linalg.inv(np.zeros((2, 2)))
    with pytest.raises(KeyError):  # anything else is a bug and passes through
        with fit_failures_as_problems():
            raise KeyError("x")
