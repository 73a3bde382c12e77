import pandas as pd
import pytest

from inequalities.data._assemble import _median_age, lad_code_map
from inequalities.data.readers import SourceError

pytestmark = pytest.mark.unit

HISTORY = pd.DataFrame({
    "lad19_code": ["E06000001", "E07000001", "E07000002", "E07000003"],
    "lad23_code": ["E06000001", "E06000099", "E06000099", "E06000098"],
})


def test_lad_code_map_counts_predecessors():
    m = lad_code_map(HISTORY, 2019, 2023).set_index("from_code")
    assert m.loc["E07000001", "to_code"] == "E06000099"
    assert m.loc["E07000001", "n_predecessors"] == 2  # a merger
    assert m.loc["E07000003", "n_predecessors"] == 1  # a pure re-code
    same = lad_code_map(HISTORY, 2023, 2023)
    assert (same["from_code"] == same["to_code"]).all()


def test_lad_code_map_rejects_splits_and_unknown_vintages():
    split = pd.DataFrame({"lad19_code": ["E07000001", "E07000001"],
                          "lad23_code": ["E06000098", "E06000099"]})
    with pytest.raises(SourceError, match="several 2023 codes"):
        lad_code_map(split, 2019, 2023)
    with pytest.raises(SourceError, match="no column lad21_code"):
        lad_code_map(HISTORY, 2021, 2023)


def test_median_age_interpolates_within_bands():
    # 100 people aged 0-4 and 100 aged 10-14: median 10 at the start of band 10-14
    bands = ["0-4", "5-9", "10-14"] + [f"{a}-{a + 4}" for a in range(15, 90, 5)] + ["90+"]
    row = dict.fromkeys(bands, 0)
    row.update({"0-4": 100, "10-14": 100})
    wide = pd.DataFrame([row], index=["A"])
    assert _median_age(wide)["A"] == pytest.approx(5.0)  # end of 0-4 band = 5 (half of 200)
    row.update({"0-4": 50, "10-14": 150})
    assert _median_age(pd.DataFrame([row], index=["A"]))["A"] == pytest.approx(
        10 + (100 - 50) / 150 * 5)
