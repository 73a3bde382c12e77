"""Tests of inequalities.topics.clinical on hand-made practices.

Prevalence is linear in the deciles' list-size midpoints, so the SII and RII are known
exactly (most minus / over least deprived); Wilson limits are computed here from the
formula (Wilson 1927; PHE technical guide "Confidence intervals").
"""

import math

import pandas as pd
import pytest

from inequalities.data import Dataset
from inequalities.report import ledger
from inequalities.topics import clinical
from tests.topics._editions import edition_data

pytestmark = pytest.mark.unit

LIST = 2000.0
#: Register per practice in decile i (1..10): 2000 x (a - b x), x = (i - 0.5) / 10
REGISTER = {"qof_hyp": lambda i: 205 - 10 * i,   # 10% at x = 0, 5% at x = 1
            "qof_copd": lambda i: 82 - 4 * i,    # 4% -> 2%
            "qof_mh": lambda i: 41 - 2 * i}      # 2% -> 1%
#: GP FTE per 10,000 patients in decile i: 4 + 4x (fewer GPs where more deprived)
FTE_PER_10K = lambda i: 4 + 4 * (i - 0.5) / 10  # noqa: E731


def practices(per_decile: int, icb: str = "E54000050", region: str = "E12000001",
              nhs: str = "E40000012", prefix: str = "A") -> pd.DataFrame:
    rows = []
    for decile in range(1, 11):
        for j in range(per_decile):
            code = f"{prefix}{decile:02d}{j:03d}"
            base = {"practice_code": code, "practice_name": code, "list_type": "TOTAL",
                    "icb_code": icb, "icb_name": f"ICB {icb}", "nhs_region_code": nhs,
                    "nhs_region_name": "NHS region", "region_code": region,
                    "region_name": "Region", "imd_score": 50.0 - decile,
                    "imd_decile": decile, "source_id": "test"}
            for measure, register in REGISTER.items():
                rows.append({**base, "measure": measure, "period": "2022-23",
                             "count": float(register(decile)), "denominator": LIST})
            # +/- 1% around the decile's rate, symmetric so the decile ratio is exact
            wobble = 1 + 0.01 * (j - (per_decile - 1) / 2)
            for period in ("2022/23", "2024/25"):
                rows.append({**base, "measure": "gp_fte", "period": period,
                             "count": FTE_PER_10K(decile) * LIST / 10_000 * wobble,
                             "denominator": LIST})
    frame = pd.DataFrame(rows)
    frame["imd_decile"] = frame["imd_decile"].astype("Int64")
    return frame


def national(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    dataset = edition_data("england", practices=frame).data
    return {m.name: dict(zip(*m.compute(dataset)[["group", "value"]].to_numpy().T,
                             strict=True)) for m in clinical.MEASURES}


def wilson(x: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


@pytest.fixture(scope="module")
def england():
    frame = practices(6)
    ed = edition_data("england", practices=frame, national=national(frame))
    return ed, _run(ed)


def _run(ed):
    prev = clinical.prevalence_by_decile(ed)
    grad = clinical.gradients(ed, prev)
    work = clinical.workforce(ed)
    work_grad = clinical.workforce_gradient(work)
    stats = clinical.statistics(ed, prev, grad, clinical.prevalence_by_icb(ed.data), work,
                                work_grad)
    ledger.check(stats)
    return prev, grad, work, work_grad, stats


def test_prevalence_and_wilson_limits_by_hand(england):
    _, (prev, *_rest) = england
    row = prev[(prev["measure"] == "qof_hyp") & (prev["decile"] == 1)].iloc[0]
    assert row["count"] == 6 * 195 and row["denominator"] == 6 * LIST and row["n"] == 6
    assert row["value"] == pytest.approx(100 * 195 / 2000)
    lower, upper = wilson(6 * 195, 6 * LIST)
    assert row["lower"] == pytest.approx(lower) and row["upper"] == pytest.approx(upper)
    assert row["group"] == "1 (most deprived)"
    total = prev[(prev["measure"] == "qof_mh") & (prev["group"] == clinical.ALL)].iloc[0]
    assert total["count"] == 6 * sum(41 - 2 * i for i in range(1, 11))


def test_sii_and_rii_known_exactly(england):
    _, (_prev, grad, _work, work_grad, _stats) = england
    by = grad.set_index("register")
    # prevalence a - b x on midpoints: SII = (a - (a - b)) in points, RII = a / (a - b)
    for register, sii, rii in (("Hypertension", 5.0, 2.0), ("COPD", 2.0, 2.0),
                               ("Severe mental illness", 1.0, 2.0)):
        assert by.loc[register, "sii"] == pytest.approx(sii, abs=1e-6)
        assert by.loc[register, "rii"] == pytest.approx(rii, rel=1e-6)
        assert by.loc[register, "sii_lower"] < sii < by.loc[register, "sii_upper"]
    # GP FTE 4 + 4x per 10,000: most minus least deprived = 4 - 8 = -4, RII = 0.5
    fte = work_grad.set_index("period")
    assert fte.loc["2024/25", "sii"] == pytest.approx(-4.0, abs=1e-6)
    assert fte.loc["2024/25", "rii"] == pytest.approx(0.5, rel=1e-6)


def test_england_key_figures(england):
    ed, (*_, stats) = england
    figures = clinical.key_figures(ed, stats)
    assert all(key.startswith("clinical.") for key in figures)
    assert figures["clinical.n_practices"] == "60"
    assert figures["clinical.prev_hyp_d1"].startswith("9.8% (95% CI ")  # 195 / 2,000
    assert figures["clinical.sii_hyp"].startswith("5.0 percentage points (95% CI ")
    assert figures["clinical.sii_hyp_finding"] == "higher in more deprived practices"
    assert figures["clinical.gp_sii_latest"].startswith("\u22124.00 per 10,000 patients")
    assert figures["clinical.inverse_care_latest"].startswith("yes: the most deprived")
    assert figures["clinical.fy_latest"] == "2024/25"
    assert figures["clinical.sii_hyp_england"].startswith("5.0 percentage points")
    key = stats.set_index("key")
    assert key.loc["clinical.sii_hyp.england", "unit_type"] == "practice"
    assert key.loc["clinical.gp_fte_2024_25.10_least_deprived", "value"] == pytest.approx(
        4 + 4 * 0.95)


def test_region_against_england():
    ne = practices(6)
    sw = practices(6, icb="E54000040", region="E12000009", nhs="E40000006", prefix="B")
    sw["count"] = sw["count"] * 0.5  # half the registers and GPs of the North East
    everyone = pd.concat([ne, sw], ignore_index=True)
    ed = edition_data("south-west", practices=sw, national=national(everyone))
    *_, stats = _run(ed)
    figures = clinical.key_figures(ed, stats)
    assert figures["clinical.sii_hyp"].startswith("2.5 percentage points")  # half of 5.0
    assert figures["clinical.sii_hyp_england"].startswith("3.8 percentage points")
    assert figures["clinical.prev_hyp_england"] == "5.6%"  # (14,700 x 1.5) / 120 x 2,000
    assert "clinical.sii_hyp.south_west" in set(stats["key"])


def test_too_few_practices_are_not_estimated():
    frame = practices(3)
    ed = edition_data("icb-sussex", practices=frame, national=national(practices(6)))
    *_, stats = _run(ed)
    figures = clinical.key_figures(ed, stats)
    assert figures["clinical.sii_copd"] == ("not estimated: 30 practices, fewer than the "
                                            "50 needed")
    assert figures["clinical.prev_copd_d1"] == ("not estimated: 3 practices, fewer than "
                                                "the 5 needed")
    assert figures["clinical.sii_copd_finding"] == figures["clinical.sii_copd"]
    # 30 practices: sum of 82 - 4i over deciles = 600 per 20,000 patients
    assert figures["clinical.prev_copd_all"].startswith("3.0% (95% CI")


def test_a_small_decile_stops_the_gradient():
    frame = practices(6)
    frame = frame[~frame["practice_code"].isin([f"A01{j:03d}" for j in range(3, 6)])]
    ed = edition_data("icb-sussex", practices=frame, national=national(practices(6)))
    *_, stats = _run(ed)
    figures = clinical.key_figures(ed, stats)
    assert figures["clinical.sii_smi"] == ("not estimated: a decile has 3 practices, fewer "
                                           "than the 5 needed in each")
    assert figures["clinical.inverse_care_latest"] == figures["clinical.gp_sii_latest"]
    assert figures["clinical.prev_copd_d10"].startswith("2.1% (95% CI")  # 42 / 2,000


def test_dataset_slices_practices_by_region_and_icb():
    frame = pd.concat([practices(1), practices(1, icb="E54000040", region="E12000009",
                                               nhs="E40000006", prefix="B")])
    empty = pd.DataFrame()
    data = Dataset(areas=empty, population=empty, indicators=empty, lads=empty,
                   sources=empty, is_demo=True, label="t", vintage="t", practices=frame)
    assert set(data._practices_in("region_code", "E12000009")["practice_code"].str[0]) == {"B"}
    assert set(data._practices_in("icb_code", "E54000050")["practice_code"].str[0]) == {"A"}
    assert data._practices_in("nhs_region_code", "E40000003").empty


def test_a_missing_decile_is_named_in_words():
    frame = practices(6)
    frame = frame[frame["imd_decile"] != 10]
    ed = edition_data("icb-sussex", practices=frame, national=national(practices(6)))
    *_, stats = _run(ed)
    assert clinical.key_figures(ed, stats)["clinical.sii_hyp"] == (
        "not estimated: 1 of the ten deciles has no practice in this edition")


def _sii(key, value, lower, upper, unit="percentage points", note=""):
    return {"key": key, "value": value, "lower": lower, "upper": upper, "unit": unit,
            "note": note}


def test_summary_sentence_groups_registers_by_direction_in_english():
    stats = pd.DataFrame([
        _sii("clinical.sii_copd.north_east", 2.04, 1.98, 2.10),
        _sii("clinical.sii_smi.north_east", 0.43, 0.39, 0.46),
        _sii("clinical.sii_hyp.north_east", -1.23, -1.37, -1.08),
        _sii("clinical.sii_gp_fte_2024_25.north_east", -0.91, -1.46, -0.36,
             "per 10,000 patients")])
    assert clinical.summary_sentence(stats, "North East", "2024/25") == (
        "Recorded prevalence was higher in more deprived practices for COPD (SII 2.0 "
        "percentage points, 95% CI 2.0 to 2.1) and severe mental illness (SII 0.4 percentage "
        "points, 95% CI 0.4 to 0.5); and lower in more deprived practices for hypertension "
        "(SII \u22121.2 percentage points, 95% CI \u22121.4 to \u22121.1). In 2024/25, the most "
        "deprived practices had fewer fully qualified GPs per patient than the least deprived "
        "(SII \u22120.91 per 10,000 patients, 95% CI \u22121.46 to \u22120.36).")


def test_summary_sentence_without_clear_gradients_or_estimates():
    nan = float("nan")
    stats = pd.DataFrame([
        _sii("clinical.sii_copd.somewhere", 0.1, -0.2, 0.4),
        _sii("clinical.sii_gp_fte_2024_25.somewhere", nan, nan, nan, "per 10,000 patients",
             "not estimated: 3 practices, fewer than the 5 needed")])
    assert clinical.summary_sentence(stats, "Somewhere", "2024/25") == (
        "Recorded prevalence was not clearly graded by practice deprivation for COPD (SII 0.1 "
        "percentage points, 95% CI \u22120.2 to 0.4); and not estimated for severe mental "
        "illness and hypertension. In 2024/25, the gradient in GPs per patient across practice "
        "deprivation was not estimated (3 practices, fewer than the 5 needed).")
    assert clinical.summary_sentence(stats.iloc[0:0], "Somewhere", "") == (
        "Recorded prevalence was not estimated for COPD, severe mental illness and "
        "hypertension. The gradient in GPs per patient across practice deprivation was not "
        "estimated.")


def test_gradient_sentence_says_why_not_estimated_once():
    nan = float("nan")
    row = pd.Series(_sii("clinical.sii_copd.x", nan, nan, nan,
                         note="not estimated: 3 of the ten deciles have no practice"))
    text = clinical.gradient_sentence(row, "not estimated: 3 of the ten deciles have no "
                                      "practice", "x", "y", "1.2 percentage points")
    assert text == ("not estimated (3 of the ten deciles have no practice); in England the "
                    "SII was 1.2 percentage points")
    row = pd.Series(_sii("clinical.sii_copd.x", 2.0, 1.9, 2.1))
    assert clinical.gradient_sentence(row, "higher in more deprived practices", "2.0 pp",
                                      "2.15", "1.2 pp") == (
        "higher in more deprived practices: SII 2.0 pp, RII 2.15; in England the SII was 1.2 pp")
