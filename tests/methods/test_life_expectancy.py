"""life_expectancy() against PHEindicatormethods' phe_life_expectancy test answers.

The package's test compares answers rounded to 4 decimal places (R-CALLS.md), so do we;
the unrounded answers (8 decimal places) also pin the life expectancy itself to 1e-8.
The unrounded limits were produced with z = 1.96 rather than qnorm(0.975) = 1.959964, a
relative difference of 1.8e-5 in the half-width, invisible at 4 dp; they are checked at
that tolerance.
"""

import pytest

from inequalities.methods import life_expectancy

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit

LE = "life_expectancy/"


@pytest.mark.parametrize("name", ["df1.csv", "df2.csv", "df3.csv"])
@pytest.mark.parametrize("confidence", [0.95, 95])
def test_answer1_rounded_as_published(name, confidence):
    frame = read_ref(LE + name)
    out = life_expectancy(
        frame, deaths="deaths", population="pops", age_band="startage", confidence=confidence
    )
    answer = read_ref(LE + "answer1.csv")
    assert_close(out[["value", "lower", "upper"]].round(4), answer, rtol=0, atol=1e-9)
    unrounded = read_ref(LE + "answer1_unrounded.csv")
    assert_close(out["value"], unrounded["value"], rtol=0, atol=1e-8)
    assert_close(out[["lower", "upper"]], unrounded[["lowercl", "uppercl"]], rtol=0, atol=1e-5)


def test_single_group_grouping_is_the_same():
    frame = read_ref(LE + "df1.csv").assign(area="A")
    out = life_expectancy(frame, deaths="deaths", population="pops", age_band="startage", by="area")
    assert_close(
        out[["value", "lower", "upper"]].round(4), read_ref(LE + "answer1.csv"), rtol=0, atol=1e-9
    )


def test_answer2_cumulative_counts_and_selected_ages():
    frame = read_ref(LE + "df1.csv")
    out = life_expectancy(frame, deaths="deaths", population="pops", age_band="startage")
    cum = read_ref(LE + "df1_cum.csv")
    assert out["pops_used"].tolist() == cum["pops_used"].tolist()
    assert out["deaths_used"].tolist() == cum["dths_used"].tolist()
    answer = read_ref(LE + "answer2.csv")
    chosen = out[out["age_band"].isin(answer["startage"])]
    assert_close(
        chosen[["value", "lower", "upper"]].round(4),
        answer[["value", "lowercl", "uppercl"]],
        rtol=0,
        atol=1e-9,
    )
    assert chosen["pops_used"].tolist() == answer["pops_used"].tolist()


def test_two_levels_match_single_level():
    frame = read_ref(LE + "df1.csv")
    both = life_expectancy(
        frame, deaths="deaths", population="pops", age_band="startage", confidence=[95, 99.8]
    )
    one = life_expectancy(
        frame, deaths="deaths", population="pops", age_band="startage", confidence=99.8
    )
    assert_close(both[["lower_99_8", "upper_99_8"]], one[["lower", "upper"]], rtol=0)
    # the SE is the half-width over z
    assert_close((both["upper_95"] - both["value"]) / 1.959963984540054, both["se"], rtol=1e-9)


def test_wide_intervals_suppress_value_and_bad_area_is_missing():
    frame = read_ref(LE + "df_widecis_plus.csv")
    with pytest.warns(UserWarning, match="more deaths than population"):
        out = life_expectancy(
            frame,
            deaths="deaths",
            population="pops",
            age_band="startage",
            by="area",
            confidence=[0.95, 0.998],
        )
    answer = read_ref(LE + "answer_widecis.csv")
    unrounded = read_ref(LE + "answer_widecis_unrounded.csv")
    # R puts the suppressed area (Area 1) after the others
    area2 = out[out["area"] == "Area 2"][["value", "lower_95", "upper_95"]]
    assert_close(area2.round(4), answer.iloc[:20], rtol=0, atol=1e-9)
    assert_close(area2["value"], unrounded["value"].iloc[:20], rtol=0, atol=1e-8)
    assert out[out["area"] == "Area 1"][["value", "lower_95", "upper_95"]].isna().all(axis=None)
    assert answer.iloc[20:].isna().all(axis=None)


@pytest.mark.filterwarnings(
    "ignore:life_expectancy"
)  # a zero population also has deaths > population
@pytest.mark.parametrize(
    "name, match",
    [
        ("df_zero_pop.csv", "zero population"),
        ("df_deaths_greater_pops.csv", "more deaths than population"),
        ("df_low_pops.csv", "total population of 5000 or less"),
    ],
)
def test_unpublishable_inputs_give_missing_with_warning(name, match):
    frame = read_ref(LE + name)
    with pytest.warns(UserWarning, match=match):
        out = life_expectancy(frame, deaths="deaths", population="pop", age_band="age")
    assert len(out) == len(frame)
    assert out[["value", "se", "lower", "upper"]].isna().all(axis=None)


def test_negative_deaths_raise_naming_row():
    frame = read_ref(LE + "df_neg_deaths.csv")
    with pytest.raises(ValueError, match=r"deaths .* zero or more: row 3"):
        life_expectancy(frame, deaths="deaths", population="pop", age_band="age")


def test_missing_age_band_raises():
    frame = read_ref(LE + "df_missing_age.csv")
    with pytest.raises(ValueError, match=r"age bands do not match .* missing \[\d+\]"):
        life_expectancy(frame, deaths="deaths", population="pop", age_band="age")


def test_grouped_with_problems():
    frame = read_ref(LE + "df_grouped_with_warnings.csv")
    # negative values and a missing band are input errors here (ValueError) ...
    with pytest.raises(ValueError):
        life_expectancy(frame, deaths="deaths", population="pop", age_band="age", by="area")
    # ... the remaining groups keep their rows; unpublishable ones are missing with warnings
    ok = frame[~frame["area"].isin(["Negative deaths", "Negative pops", "Missing age band"])]
    with pytest.warns(UserWarning) as record:
        out = life_expectancy(ok, deaths="deaths", population="pop", age_band="age", by="area")
    assert len(record) >= 2 and len(out) == len(ok)
    # "Good data" is df1 except the population aged 20-24, so from age 25 on it is answer1
    good = out[out["area"] == "Good data"]
    assert_close(
        good[["value", "lower", "upper"]].round(4).iloc[6:],
        read_ref(LE + "answer1.csv").iloc[6:],
        rtol=0,
        atol=1e-9,
    )
    assert good["value"].notna().all()
    assert out[out["area"] != "Good data"]["value"].isna().all()
