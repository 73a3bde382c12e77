"""Which small areas and local authorities belong to an NHS edition (ICB or NHS region).

Small areas: ONS's LSOA 2021 to ICB April 2024 lookup gives each 2021 small area its ICB.
A 2011 small area reaches it through ONS's LSOA 2011 to 2021 lookup: it takes the ICB of
most of its 2021 successors (ties go to the lowest ICB code; in the staged lookups no 2011
area has successors in two ICBs). Both vintages are in ``lsoa_icb24.csv.gz`` beside this
module (written by :func:`derive` from the staged lookups), so the slice works on an
``areas`` table keyed by either vintage's codes. Areas not in that table (the
demonstration data) fall back to their own ``icb_code`` where it is a 2024 ICB code.

Local authorities (and the ICB rows of published indicators, on 2022 ICBs) can straddle
ICB boundaries. Their figures are not apportioned: each authority belongs, whole, to the
ICB (or NHS region) where the largest share of its residents live, and the edition lists
the share of its residents inside (``share_in_edition``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from inequalities.data import editions
from inequalities.data._columns import remembered

TABLE = Path(__file__).with_name("lsoa_icb24.csv.gz")


def derive(data_dir: str | Path) -> pd.DataFrame:
    """``lsoa_code, vintage, icb_nhs`` for every LSOA 2021 and 2011 code, from the staged
    lookups ``lookup_lsoa21_icb24.csv`` and ``lookup_lsoa11_lsoa21.csv``."""
    data_dir = Path(data_dir)
    icb = pd.read_csv(data_dir / "lookup_lsoa21_icb24.csv",
                      usecols=["lsoa21_code", "icb24_code_nhs"], dtype=str)
    bridge = pd.read_csv(data_dir / "lookup_lsoa11_lsoa21.csv",
                         usecols=["lsoa11_code", "lsoa21_code"], dtype=str)
    pieces = bridge.merge(icb, on="lsoa21_code", how="left", validate="many_to_one")
    if pieces["icb24_code_nhs"].isna().any():
        code = pieces.loc[pieces["icb24_code_nhs"].isna(), "lsoa21_code"].iloc[0]
        raise ValueError(f"{data_dir}/lookup_lsoa21_icb24.csv: LSOA 2021 {code} (from the "
                         "2011 to 2021 lookup) has no ICB; use matching lookup vintages")
    counts = (pieces.groupby(["lsoa11_code", "icb24_code_nhs"]).size().rename("n")
              .reset_index().sort_values(["lsoa11_code", "n", "icb24_code_nhs"],
                                         ascending=[True, False, True]))
    old = counts.drop_duplicates("lsoa11_code")
    out = pd.concat([
        pd.DataFrame({"lsoa_code": icb["lsoa21_code"], "vintage": "2021",
                      "icb_nhs": icb["icb24_code_nhs"]}),
        pd.DataFrame({"lsoa_code": old["lsoa11_code"], "vintage": "2011",
                      "icb_nhs": old["icb24_code_nhs"]}),
    ], ignore_index=True)
    return out.sort_values(["vintage", "lsoa_code"], ignore_index=True)


def write(frame: pd.DataFrame, path: Path = TABLE) -> None:
    """Write :func:`derive`'s table (gzip, reproducible bytes)."""
    import gzip

    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write(frame.to_csv(index=False, lineterminator="\n").encode())


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """LSOA code (2011 or 2021) -> ICB 2024 ONS code."""
    import gzip

    with gzip.open(TABLE, "rt", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    unknown = {r["icb_nhs"] for r in rows} - set(editions.ICB_BY_NHS_CODE)
    if unknown:
        raise ValueError(f"{TABLE}: ICB NHS code(s) {', '.join(sorted(unknown))} are not in "
                         f"{editions.NHS_TABLE}; regenerate both from the same lookups")
    # 2021 codes win where a code exists in both vintages (unchanged areas: same ICB)
    rows.sort(key=lambda r: r["vintage"])
    return {r["lsoa_code"]: editions.ICB_BY_NHS_CODE[r["icb_nhs"]] for r in rows}


def _memo(areas: pd.DataFrame, key: tuple, compute: Callable[[], object]):
    """Results per ``areas`` table: a build slices one table for 59 editions."""
    return remembered(areas, ("membership", *key), compute)


def icb_of(areas: pd.DataFrame) -> pd.Series:
    """The ICB (April 2024 ONS code) of each row of ``areas`` (LSOA 2011 or 2021 codes)."""
    out = areas["area_code"].map(_lookup())
    if "icb_code" in areas:
        icbs = {e.code for e in editions.in_set("icb")}
        own = areas["icb_code"].where(areas["icb_code"].isin(icbs))
        out = out.fillna(own)
    return out


def unit_of(areas: pd.DataFrame, set_name: str) -> pd.Series:
    """Each small area's edition code in ``set_name`` ("icb" or "nhs-region")."""
    return _memo(areas, ("unit", set_name), lambda: _unit_of(areas, set_name))


def _unit_of(areas: pd.DataFrame, set_name: str) -> pd.Series:
    icb = icb_of(areas)
    if set_name == "icb":
        return icb
    if set_name == "nhs-region":
        region = {e.code: editions.get(e.parent).code for e in editions.in_set("icb")}
        return icb.map(region)
    raise ValueError(f"membership by set {set_name!r} is not defined; use 'icb' or "
                     "'nhs-region'")


def home(areas: pd.DataFrame, key: str, units: pd.Series) -> pd.DataFrame:
    """For each value of ``areas[key]`` (an LA or 2022 ICB code), the unit where most of
    its residents live and the share of its residents in every unit.

    Returns ``key, unit, share`` (one row per key and unit with residents), with
    ``is_home`` True on the unit holding the largest share (ties: lowest unit code).
    """
    return _memo(areas, ("home", key, id(units)), lambda: _home(areas, key, units))


def _home(areas: pd.DataFrame, key: str, units: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({key: areas[key], "unit": units,
                          "population": areas["population"].astype(float)})
    frame = frame.dropna(subset=[key, "unit"])
    pop = frame.groupby([key, "unit"], as_index=False, observed=True)["population"].sum()
    total = pop.groupby(key, observed=True)["population"].transform("sum")
    pop["share"] = pop["population"] / total.where(total > 0)
    pop = pop.sort_values([key, "population", "unit"], ascending=[True, False, True])
    pop["is_home"] = ~pop.duplicated(key)
    return pop[[key, "unit", "share", "is_home"]].reset_index(drop=True)
