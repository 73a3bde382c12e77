import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.data.schemas import Field, Schema, check_frame

pytestmark = pytest.mark.unit

SCHEMA = Schema("t", {
    "code": Field(pattern=r"E01\d{6}"),
    "n": Field("int", min=0),
    "share": Field("float", nullable=True, min=0, max=1),
    "kind": Field(allowed=["Urban", "Rural"]),
}, key=("code",))


def test_each_rule_reports_row_and_column():
    df = pd.DataFrame({
        "code": ["E01000001", "E01000001", "X", "E01000004"],
        "n": [1, -2, 3.5, None],
        "share": [0.5, None, 1.5, 0.1],
        "kind": ["Urban", "Rural", "Town", "Rural"],
    })
    got = {(p.row, p.column, p.rule) for p in check_frame(df, SCHEMA, "f.csv")}
    assert got == {
        (2, "code", "duplicate-key"), (3, "code", "code-format"),
        (2, "n", "non-negative"), (3, "n", "type"), (4, "n", "not-null"),
        (3, "share", "range"), (3, "kind", "allowed-values"),
    }


def test_missing_required_column():
    probs = check_frame(pd.DataFrame({"code": ["E01000001"]}), SCHEMA, "f.csv")
    assert {(p.column, p.rule) for p in probs} == {("n", "column-missing"),
                                                  ("share", "column-missing"),
                                                  ("kind", "column-missing")}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=60))
def test_duplicate_keys_are_counted_exactly(numbers):
    df = pd.DataFrame({"code": [f"E01{n:06d}" for n in numbers], "n": 1, "share": 0.5,
                       "kind": "Urban"})
    dups = [p for p in check_frame(df, SCHEMA, "f") if p.rule == "duplicate-key"]
    expected = len(numbers) - len(set(numbers))
    shown = min(expected, 20) + (1 if expected > 20 else 0)
    assert len(dups) == shown
    if expected:
        first_repeat = next(i for i, n in enumerate(numbers) if n in numbers[:i]) + 1
        assert dups[0].row == first_repeat
