"""Health outcomes by type of place: life expectancy, preventable mortality, IoD health.

* :func:`lad_outcomes` - life expectancy (Fingertips 90366) and healthy life expectancy
  (90362) at birth by sex, and under-75 mortality from causes considered preventable
  (93721, directly standardised rate per 100,000), latest period: unweighted mean over
  local authorities in each place group with a t interval
  (:func:`inequalities.topics._places.group_means`);
* :func:`lsoa_health` - the four indicators of the IoD 2019 Health Deprivation and
  Disability domain, mean over small areas by place group;
* :func:`outcome_differences` - rural minus urban and coastal minus non-coastal
  differences with Welch intervals for the same indicators.

Each local authority (or small area) counts once, whatever its population: the means
describe typical places of each type, not the average resident.
"""

from __future__ import annotations

import pandas as pd

from inequalities.data import Dataset
from inequalities.topics import _places as places
from inequalities.topics.base import Measure

#: Local-authority outcome indicators: id -> (short name, unit, sexes shown).
LAD_INDICATORS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "90366": ("Life expectancy at birth", "years", ("Female", "Male")),
    "90362": ("Healthy life expectancy at birth", "years", ("Female", "Male")),
    "93721": ("Under-75 preventable mortality", "deaths per 100,000 (DSR)", ("Persons",)),
}
#: IoD 2019 Health Deprivation and Disability domain indicators: id -> (name, unit).
LSOA_INDICATORS: dict[str, tuple[str, str]] = {
    "iod_ypll": ("Years of potential life lost", "age- and sex-standardised rate"),
    "iod_cidr": ("Comparative illness and disability ratio", "standardised ratio"),
    "iod_acute_morbidity": ("Acute morbidity", "standardised emergency admission ratio"),
    "iod_mood_anxiety": ("Mood and anxiety disorders", "composite score"),
}


def _lad_frames(dataset: Dataset):
    for indicator_id, (name, unit, sexes) in LAD_INDICATORS.items():
        if not (dataset.indicators["indicator_id"] == indicator_id).any():
            continue
        for sex in sexes:
            frame = dataset.indicator(indicator_id, sex=sex)
            if frame.empty:
                continue
            yield indicator_id, name, unit, sex, frame


def _lsoa_frames(dataset: Dataset):
    for indicator_id, (name, unit) in LSOA_INDICATORS.items():
        if (dataset.indicators["indicator_id"] == indicator_id).any():
            yield indicator_id, name, unit, "Persons", dataset.indicator(indicator_id)


def _summarise(frames, how) -> pd.DataFrame:
    parts = []
    for indicator_id, name, unit, sex, frame in frames:
        stats = how(frame)
        stats.insert(0, "sex", sex)
        stats.insert(0, "period", str(frame["period"].iloc[0]))
        stats.insert(0, "unit", unit)
        stats.insert(0, "indicator", name)
        stats.insert(0, "indicator_id", indicator_id)
        parts.append(stats)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def lad_outcomes(dataset: Dataset) -> pd.DataFrame:
    """Mean of each local-authority outcome by place group (latest period, by sex).

    Columns: ``indicator_id``, ``indicator``, ``unit``, ``period``, ``sex``, then
    :func:`inequalities.topics._places.group_means` columns.
    """
    return _summarise(_lad_frames(dataset),
                      lambda f: places.group_means(f, "value"))


def lsoa_health(dataset: Dataset) -> pd.DataFrame:
    """Mean of each IoD 2019 health-domain indicator over small areas by place group."""
    return _summarise(_lsoa_frames(dataset), lambda f: places.group_means(f, "value"))


def outcome_differences(dataset: Dataset) -> pd.DataFrame:
    """Rural - urban and coastal - non-coastal differences (Welch 95% CI) per indicator.

    Local-authority outcomes compare authorities; IoD indicators compare small areas.
    """
    how = lambda f: places.group_differences(f, "value")  # noqa: E731
    return pd.concat([_summarise(_lad_frames(dataset), how),
                      _summarise(_lsoa_frames(dataset), how)], ignore_index=True)


def england_published(dataset: Dataset) -> pd.DataFrame:
    """England's published value of each local-authority indicator (same periods as used).

    Columns ``indicator_id``, ``sex``, ``england``; read from the England rows every
    edition's slice carries.
    """
    rows = []
    for indicator_id, _name, _unit, sex, frame in _lad_frames(dataset):
        ind = dataset.indicators
        hit = ind[(ind["indicator_id"] == indicator_id) & (ind["area_level"] == "England")
                  & (ind["sex"] == sex) & (ind["period"] == frame["period"].iloc[0])]
        rows.append({"indicator_id": indicator_id, "sex": sex,
                     "england": float(hit["value"].iloc[0]) if len(hit) else float("nan")})
    return pd.DataFrame(rows, columns=["indicator_id", "sex", "england"])


def england_means(national: pd.Series) -> pd.DataFrame:
    """England's place-group means from the ``outcome_means`` measure."""
    return places.unpack(national, ["indicator_id", "sex", "group"])


def _means_measure(dataset: Dataset) -> pd.DataFrame:
    table = pd.concat([lad_outcomes(dataset), lsoa_health(dataset)], ignore_index=True)
    keys = [places.key(i, s, g) for i, s, g in
            zip(table["indicator_id"], table["sex"], table["group"])]
    return pd.DataFrame({"group": keys, "value": table["value"].to_numpy()})


#: England's comparators for this chapter (see :mod:`inequalities.topics.national`).
MEASURES = (
    Measure("outcome_means", _means_measure, 2,
            "Mean of each outcome indicator over areas (LAs or LSOAs) by place group"),
)
