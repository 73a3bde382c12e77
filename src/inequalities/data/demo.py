"""Deterministic demonstration data that looks like England, with known effects.

:func:`generate` writes, for a seed, the same files in the same layout as the tidied
national sources of the newest data vintage (:data:`VINTAGE`, ``data/manifests/shared.toml``:
IoD 2025 and Census 2021 columns on 2021 small-area codes, RUC 2021, the 2021 coastal flag,
and IoD 2019 road distances on 2011 codes carried over by the LSOA 2011 -> 2021 lookup,
in which every demonstration area is unchanged) plus a ``manifest.toml`` marking them as
demonstration data, so the ordinary loaders read them, exactly as a real build does. The output is byte-identical for
the same seed (numpy ``Generator(PCG64(seed))``, fixed float formats, sorted rows, no
timestamps).

Geography: 32,844 small areas in 296 local authorities across the nine regions, with the
real per-region numbers of LSOAs and LAs (LSOA 2011 / LAD 2023 counts), and per-region
shares of rural and coastal small areas taken from ONS RUC 2011 and the NDRS coastal flag
(Welsh et al., BMJ Public Health 2024). Areas are clustered: each LA draws its own rural
and coastal propensity, so there are rural LAs, coastal LAs and cities.

The model (all effects documented in :data:`TRUE_EFFECTS`; log scale means a
multiplicative effect):

* IMD 2019 score: ``exp(2.85 + 0.7 * z)``, ``z`` standardised from region and LA effects,
  ``-0.5`` for rural and ``+0.25`` for coastal areas plus noise; ranks and deciles are
  recomputed from the scores (rank 1 = most deprived), so the spread resembles the real
  IMD (median about 17, long right tail).
* Population: about 1,700 per LSOA, single years 0..89 and 90+ drawn multinomially from
  the England mid-2019 age profile tilted older by ``age_tilt_rural`` and
  ``age_tilt_coastal`` (log-odds weight on ages 65+).
* RUC 2021 codes follow the RUC 2011 draw: A1/B1/C1 -> UN1, C2 -> UF1, D1 -> RLN1,
  D2 -> RLF1, E1 -> RSN1, E2 -> RSF1, so the "sparse" setting is written as "further from
  a major town or city" (``rurality_code`` UF1, RLF1, RSF1).
* Road distance to a GP (km): ``log d = log(0.9) + log(rural ratio)*rural +
  log(sparse ratio)*sparse + log(coastal ratio)*coastal + LA effect + noise``.
* Years of potential life lost, comparative illness and disability ratio (ratios x 100)
  fall by a known log-ratio per IMD decile; acute morbidity and mood/anxiety scores fall
  linearly per decile and are higher in coastal areas.
* Life expectancy (90366) by LA: base by sex + ``le_years_per_decile`` x (population mean
  IMD decile - 5.5) + coastal and rural effects (years, per unit share) + LA effect.
* Life expectancy by MSOA (OHID Local Health layout): base by sex +
  ``le_years_per_decile`` x (mean IMD decile of its small areas - 5.5) + noise.
* Under-75 preventable mortality (93721): Poisson counts on the LA population under 75
  with a known log-rate gradient per decile and a coastal log-rate effect; exact Poisson
  95% limits.
* GP registered patients per FTE GP (2024): log-linear in the LA's rural and coastal
  population shares.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.data import editions
from inequalities.data._files import process_running
from inequalities.data.catalogue import REGIONS, RUC21_LAD, RUC21_LSOA
from inequalities.data.folders import DEMO_MARKER, check_destination, is_ours
from inequalities.data.manifest import shipped_manifests

#: Written last into the dataset's folder: it is complete, and it is the program's own (see
#: :mod:`inequalities.data.folders`), so a later run may replace it.
COMPLETE_MARKER = DEMO_MARKER
#: Marks a dataset still being written, so recovery removes only folders this program made.
WRITING_MARKER = ".inequalities-demo-writing"
#: The data vintage whose layout the demonstration data follow (the newest).
VINTAGE = "2025"
#: RUC 2011 class drawn by the generator -> the RUC 2021 class written (see the docstring).
RUC11_TO_RUC21 = {"A1": "UN1", "B1": "UN1", "C1": "UN1", "C2": "UF1", "D1": "RLN1",
                  "D2": "RLF1", "E1": "RSN1", "E2": "RSF1"}
#: Version of the generated files' layout; a cached folder of an older layout is rebuilt
#: (2: adds MSOA life expectancy; 3: adds GP practices; 4: the LSOA 2011 -> MSOA 2011
#: lookup of the 2025 layout; 6: hex cartogram layouts of the authorities and ICBs;
#: 7: Census 2021 ethnic groups, general health and disability; 8: both, merged --
#: 5 to 7 were taken by parallel branches, whose demonstration folders share the cache).
LAYOUT = 8


def _marker_text(seed: int) -> str:
    return f"seed {seed}, layout {LAYOUT}\n"


def is_complete(folder: Path, seed: int) -> bool:
    """Whether ``folder`` holds a finished generation of ``seed`` in the current layout."""
    marker = Path(folder) / COMPLETE_MARKER
    return marker.is_file() and marker.read_text() == _marker_text(seed)

#: Known effects of the generating model (see the module docstring for where each enters).
TRUE_EFFECTS: dict[str, float] = {
    # access: road distance to a GP surgery, multiplicative (rate/distance ratios)
    "gp_distance_base_km": 0.9,
    "gp_distance_rural_ratio": 2.6,
    "gp_distance_sparse_ratio": 1.4,
    "gp_distance_coastal_ratio": 1.15,
    "gp_distance_la_sd_log": 0.15,
    "gp_distance_noise_sd_log": 0.35,
    # health domain at LSOA: change per IMD decile (decile 1 = most deprived)
    "ypll_log_ratio_per_decile": -0.07,
    "cidr_log_ratio_per_decile": -0.06,
    "acute_morbidity_per_decile": -0.12,
    "acute_morbidity_coastal": 0.10,
    "mood_anxiety_per_decile": -0.10,
    # age structure: log weight multiplier on ages 65+ (45-64 get half)
    "age_tilt_rural": 0.40,
    "age_tilt_coastal": 0.30,
    # local authority outcomes
    "le_male_base_years": 79.4,
    "le_female_base_years": 83.1,
    "le_years_per_decile": 0.8,
    # MSOA SMRs: log SMR falls by this much per decile less deprived
    "smr_log_per_decile": 0.06,
    "le_coastal_years": -1.0,
    "le_rural_years": 0.5,
    "le_la_sd_years": 0.5,
    "hle_years_per_decile": 2.0,
    "u75_base_rate_per_100k": 140.0,
    "u75_log_rate_per_decile": -0.09,
    "u75_coastal_log_rate": 0.08,
    # GP workload (registered patients per FTE GP): log-linear in LA population shares
    "gp_patients_per_fte_base": 1750.0,
    "gp_patients_per_fte_rural_log": -0.10,
    "gp_patients_per_fte_coastal_log": 0.12,
    "gp_patients_per_fte_la_sd_log": 0.12,
}

# Per region (E12000001..9): LSOA 2011 count, LAD 2023 count, share of rural LSOAs
# (RUC 2011 D/E), share of coastal LSOAs (NDRS G25_5 flag), ICBs, sparse share of rural
# LSOAs, deprivation offset (standard deviations). Counts and shares computed from the
# staged ONS/NDRS files (lookup_lsoa11_geography, ruc11_lsoa11, coastal_lsoa11).
_REGION_PROFILE = {
    "E12000001": (1657, 12, 0.176, 0.442, 1, 0.15, 0.35),
    "E12000002": (4497, 35, 0.098, 0.262, 3, 0.12, 0.30),
    "E12000003": (3317, 15, 0.165, 0.125, 4, 0.07, 0.25),
    "E12000004": (2774, 35, 0.254, 0.016, 5, 0.01, 0.05),
    "E12000005": (3487, 30, 0.148, 0.000, 6, 0.04, 0.20),
    "E12000006": (3614, 45, 0.283, 0.210, 6, 0.03, -0.20),
    "E12000007": (4835, 33, 0.002, 0.255, 5, 0.00, 0.10),
    "E12000008": (5382, 64, 0.200, 0.345, 5, 0.00, -0.35),
    "E12000009": (3281, 27, 0.302, 0.352, 7, 0.08, -0.20),
}
# share of urban LSOAs in major (A1) / minor (B1) conurbations, by region (RUC 2011)
_URBAN_MIX = {
    "E12000001": (0.54, 0.0), "E12000002": (0.61, 0.0), "E12000003": (0.38, 0.25),
    "E12000004": (0.01, 0.24), "E12000005": (0.53, 0.0), "E12000006": (0.14, 0.0),
    "E12000007": (1.0, 0.0), "E12000008": (0.11, 0.0), "E12000009": (0.0, 0.0),
}
# England mid-2019 single-year age profile 0..89, 90+ (ONS MYE, share of persons, per mille)
_AGE_PROFILE = np.array([
    11.0, 11.4, 11.8, 12.2, 12.2, 12.3, 12.6, 12.9, 12.7, 12.4, 12.3, 12.4, 12.0, 11.7,
    11.3, 11.1, 10.8, 10.6, 11.0, 11.4, 11.9, 12.1, 12.6, 12.7, 12.8, 13.2, 13.2, 13.6,
    13.9, 13.7, 13.5, 13.7, 13.4, 13.5, 13.5, 13.2, 13.3, 13.2, 13.3, 13.3, 12.8, 11.9,
    11.8, 12.0, 12.2, 12.4, 12.9, 13.4, 13.8, 13.5, 13.8, 13.8, 14.0, 13.9, 14.0, 13.8,
    13.5, 13.1, 12.7, 12.1, 11.8, 11.5, 11.1, 10.6, 10.2, 10.2, 10.1, 9.7, 9.8, 9.9, 10.1,
    10.6, 11.5, 8.8, 8.4, 8.3, 7.6, 6.7, 5.9, 6.0, 5.9, 5.6, 5.1, 4.7, 4.3, 3.8, 3.4, 3.2,
    2.8, 2.4, 9.2,
])
_NAME_HEADS = ("Ash", "Brad", "Carl", "Dun", "Elm", "Fair", "Glen", "Hart", "Ingle", "Kings",
               "Lang", "Marl", "Nor", "Oak", "Pen", "Quen", "Rother", "Stan", "Thorn", "Ux",
               "Wal", "Yar", "Bel", "Chal", "Dray", "East", "Fen", "Gras", "Hal", "Lid",
               "Mer", "Ned")
_NAME_TAILS = ("bury", "ford", "ton", "field", "ham", "ley", "mouth", "wick", "worth",
               "borough", "minster", "stead", "combe", "dale", "by")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _largest_remainder(total: int, weights: np.ndarray, minimum: int) -> np.ndarray:
    base = np.full(len(weights), minimum)
    rest = total - base.sum()
    share = weights / weights.sum() * rest
    out = base + np.floor(share).astype(int)
    short = total - out.sum()
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    out[order[:short]] += 1
    return out


def _beta_mean(rng: np.random.Generator, mean: float, conc: float, size: int) -> np.ndarray:
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * conc, (1 - mean) * conc, size=size)


def _calibrate(p: np.ndarray, sizes: np.ndarray, target: float) -> np.ndarray:
    """Rescale LA propensities so their size-weighted mean is the region's real share."""
    for _ in range(5):
        mean = float(np.sum(p * sizes) / np.sum(sizes))
        if mean <= 0:
            return p
        p = np.clip(p * target / mean, 0.0, 0.97)
    return p


def _geography(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """LAs and LSOAs with region, rurality, sparsity, coastal flag and deprivation."""
    names = [h + t for h in _NAME_HEADS for t in _NAME_TAILS]
    names = [names[i] for i in rng.permutation(len(names))]
    lad_rows, area_rows = [], []
    name_i = 0
    counters = {"E06": 0, "E07": 0, "E08": 0, "E09": 0}
    icb_no = 0
    for region, (n_lsoa, n_lad, rural, coast, n_icb, sparse, dep) in _REGION_PROFILE.items():
        sizes = _largest_remainder(n_lsoa, rng.lognormal(0.0, 0.5, n_lad), 25)
        rural_p = _beta_mean(rng, rural, 1.2, n_lad) if rural > 0.01 else np.full(n_lad, rural)
        coastal_la = rng.random(n_lad) < min(coast / 0.7, 1.0)
        if coast > 0 and not coastal_la.any():
            coastal_la[rng.integers(n_lad)] = True
        coast_p = np.where(coastal_la, _beta_mean(rng, 0.7, 3.0, n_lad), 0.0)
        a1, b1 = _URBAN_MIX[region]
        rural_p = _calibrate(rural_p, sizes, rural)
        coast_p = _calibrate(coast_p, sizes, coast)
        urban_code = rng.choice(["A1", "B1", "C1"], size=n_lad, p=[a1, b1, 1 - a1 - b1])
        icb_of = np.sort(rng.integers(0, n_icb, n_lad))
        if len(np.unique(icb_of)) < n_icb:  # every ICB edition needs an authority
            icb_of = np.arange(n_lad) * n_icb // n_lad
        la_dep = rng.normal(0.0, 0.5, n_lad)
        for j in range(n_lad):
            if region == "E12000007":
                prefix = "E09"
            elif rural_p[j] > 0.45:
                prefix = "E07"
            elif urban_code[j] in ("A1", "B1"):
                prefix = "E08"
            else:
                prefix = "E06"
            counters[prefix] += 1
            lad_code = f"{prefix}{900000 + counters[prefix]:06d}"
            lad_rows.append({"lad_code": lad_code, "lad_name": names[name_i],
                             "region_code": region, "icb": icb_no + icb_of[j]})
            name_i += 1
            k = sizes[j]
            is_rural = rng.random(k) < rural_p[j]
            is_coastal = rng.random(k) < coast_p[j]
            is_sparse = is_rural & (rng.random(k) < sparse)
            rural_code = np.where(rng.random(k) < 0.5, "D", "E")
            urban = np.where(rng.random(k) < 0.9, urban_code[j], "C1")
            code = np.where(is_rural, np.char.add(rural_code, np.where(is_sparse, "2", "1")),
                            urban)
            area_rows.append(pd.DataFrame({
                "lad_code": lad_code, "region_code": region, "rurality_code": code,
                "coastal": is_coastal, "la_dep": la_dep[j], "region_dep": dep,
            }))
        icb_no += n_icb
    lads = pd.DataFrame(lad_rows)
    areas = pd.concat(area_rows, ignore_index=True)
    areas["area_code"] = [f"E01{900000 + i:06d}" for i in range(1, len(areas) + 1)]
    areas["rural"] = areas["rurality_code"].str[0].isin(["D", "E"])
    areas["sparse"] = areas["rurality_code"].str[1].eq("2")
    z = (areas["region_dep"] + areas["la_dep"] - 0.5 * areas["rural"]
         + 0.25 * areas["coastal"] + rng.normal(0.0, 0.75, len(areas)))
    z = (z - z.mean()) / z.std()
    areas["imd_score"] = np.minimum(np.exp(2.85 + 0.7 * z), 95.0).round(3)
    order = np.lexsort((areas["area_code"].to_numpy(), -areas["imd_score"].to_numpy()))
    rank = np.empty(len(areas), dtype=int)
    rank[order] = np.arange(1, len(areas) + 1)
    areas["imd_rank"] = rank
    areas["imd_decile"] = np.ceil(10 * rank / len(areas)).astype(int)
    return lads, areas


def _names(lads: pd.DataFrame, areas: pd.DataFrame) -> None:
    areas["lad_name"] = areas["lad_code"].map(lads.set_index("lad_code")["lad_name"])
    seq = areas.groupby("lad_code").cumcount()
    msoa_no = seq // 5 + 1
    letter = np.array(list("ABCDE"))[seq % 5]
    areas["area_name"] = (areas["lad_name"] + " " + msoa_no.map("{:03d}".format) + letter)
    areas["msoa_name"] = areas["lad_name"] + " " + msoa_no.map("{:03d}".format)
    msoa_key = areas["lad_code"] + msoa_no.astype(str)
    codes = pd.factorize(msoa_key)[0] + 1
    areas["msoa_code"] = [f"E02{900000 + c:06d}" for c in codes]


def _population(rng: np.random.Generator, areas: pd.DataFrame) -> np.ndarray:
    n = len(areas)
    totals = np.maximum(np.round(1714 * rng.lognormal(0.0, 0.15, n)), 900).astype(np.int64)
    ages = np.arange(91)
    tilt = (TRUE_EFFECTS["age_tilt_rural"] * areas["rural"].to_numpy()
            + TRUE_EFFECTS["age_tilt_coastal"] * areas["coastal"].to_numpy()
            - 0.15 * (5.5 - areas["imd_decile"].to_numpy()) / 4.5
            + rng.normal(0.0, 0.15, n))
    weight = np.where(ages >= 65, 1.0, np.where(ages >= 45, 0.5,
                      np.where((ages >= 20) & (ages < 35), -0.5, 0.0)))
    logp = np.log(_AGE_PROFILE)[None, :] + tilt[:, None] * weight[None, :]
    p = np.exp(logp)
    p /= p.sum(axis=1, keepdims=True)
    return rng.multinomial(totals, p)


def _poisson_limits(count: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson limits for a count. Reference: Garwood (1936)."""
    from scipy.special import gammaincinv

    count = np.asarray(count, dtype=float)
    lower = np.where(count > 0, gammaincinv(np.maximum(count, 1e-9), alpha / 2), 0.0)
    upper = gammaincinv(count + 1, 1 - alpha / 2)
    return lower, upper


def _fmt(df: pd.DataFrame, path: Path, decimals: int) -> None:
    """Write CSV with every float column at a fixed number of decimals (NaN -> empty)."""
    df.to_csv(path, index=False, lineterminator="\n", float_format=f"%.{decimals}f")


def _period_labels(first: int, n: int) -> list[str]:
    return [f"{y} - {str(y + 2)[-2:]}" for y in range(first, first + n)]


def generate(dest: str | Path, seed: int = 20240101) -> Path:
    """Write the demonstration dataset for ``seed`` into ``dest``; return ``dest``.

    The folder receives the CSV files of the tidied national layout and a
    ``manifest.toml`` (``demo = true``) with their SHA-256. The folder is written next to
    ``dest`` and renamed into place, so a half-written dataset never appears. ``dest``
    must be missing, empty or an earlier demonstration dataset (it holds
    :data:`COMPLETE_MARKER`); otherwise :class:`~inequalities.data.folders.UnsafeDestination`
    is raised and nothing is written.
    """
    recover(dest)  # a replacement killed half-way: the old dataset back in place first
    dest = check_destination(dest, COMPLETE_MARKER, "the destination")  # before the work
    rng = np.random.Generator(np.random.PCG64(int(seed)))
    lads, areas = _geography(rng)
    _names(lads, areas)
    sya = _population(rng, areas)
    areas["population"] = sya.sum(axis=1)
    areas["pct_old"] = sya[:, 65:].sum(axis=1) / areas["population"]

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}-{os.getpid()}-"))
    try:
        (tmp / WRITING_MARKER).write_text(f"being written by process {os.getpid()}\n")
        files = _write_all(rng, tmp, lads, areas, sya)
        _write_manifest(tmp, files, seed)
        (tmp / COMPLETE_MARKER).write_text(_marker_text(seed))
        (tmp / WRITING_MARKER).unlink()
        _move_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _move_into_place(tmp: Path, dest: Path) -> None:
    """Rename ``tmp`` to ``dest``.

    If another process finished the same dataset first (parallel notebook runs), keep
    theirs: same seed, same bytes. An earlier demonstration dataset (it holds the marker)
    is replaced without a moment when ``dest`` holds neither: it is renamed aside
    (``.NAME.old-PID``), the new one renamed in, then the old one removed; a process killed
    between the two renames leaves the old one aside, which :func:`recover` (called by
    :func:`generate` first) puts back. Any other non-empty folder is refused and left as it is.
    """
    aside = None
    if dest.exists():
        if is_ours(dest, COMPLETE_MARKER):
            if (dest / COMPLETE_MARKER).read_text() == (tmp / COMPLETE_MARKER).read_text():
                shutil.rmtree(tmp, ignore_errors=True)
                return
            aside = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            os.rename(dest, aside)
            _between_renames()
        else:
            check_destination(dest, COMPLETE_MARKER, "the destination")  # empty, or refused
    try:
        os.replace(tmp, dest)
    except OSError:
        if not is_ours(dest, COMPLETE_MARKER):
            if aside is not None and not dest.exists():
                os.rename(aside, dest)  # put the old one back
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _between_renames() -> None:
    """The moment between setting an old dataset aside and renaming the new one in (a
    kill test stops the process here)."""


def recover(dest: str | Path) -> list[str]:
    """Undo a replacement of the dataset ``dest`` that a killed process left half-done.

    A copy set aside (``.NAME.old-PID`` holding :data:`COMPLETE_MARKER`) whose process is
    gone is renamed back when ``dest`` is missing, and removed when ``dest`` is there; an
    unfinished new one (``.NAME-PID-*`` holding :data:`WRITING_MARKER` or, written but not
    yet renamed, :data:`COMPLETE_MARKER`) of a process that is gone is removed.
    Returns what was done, one line each.
    """
    dest = Path(dest)
    done = []
    if not dest.parent.is_dir():
        return done
    for tmp in sorted(dest.parent.glob(f".{dest.name}-*-*")):  # half-written by a killed run
        pid = tmp.name[len(dest.name) + 2:].split("-", 1)[0]
        ours = (tmp / WRITING_MARKER).is_file() or is_ours(tmp, COMPLETE_MARKER)
        if pid.isdigit() and tmp.is_dir() and ours and not process_running(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)
            done.append(f"removed the unfinished demonstration data {tmp.name}")
    for aside in sorted(dest.parent.glob(f".{dest.name}.old-*")):
        pid = aside.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or process_running(int(pid)) or not is_ours(aside, COMPLETE_MARKER):
            continue
        if not dest.exists():
            os.rename(aside, dest)
            done.append(f"restored the demonstration data {dest.name}")
        else:
            shutil.rmtree(aside, ignore_errors=True)
            done.append(f"removed the superseded demonstration data {aside.name}")
    return done


def _write_all(rng: np.random.Generator, out: Path, lads: pd.DataFrame,
               areas: pd.DataFrame, sya: np.ndarray) -> list[str]:
    n = len(areas)
    lad_icb = lads.set_index("lad_code")["icb"]
    icb_idx = areas["lad_code"].map(lad_icb).to_numpy()
    # the 42 real ICB codes (April 2024), so that every ICB and NHS region edition exists
    icbs = editions.in_set("icb")
    if icb_idx.max() + 1 != len(icbs):
        raise ValueError(f"demonstration data have {icb_idx.max() + 1} ICBs, the edition "
                         f"registry {len(icbs)}; make _REGION_PROFILE's ICB counts add up")
    icb_code = np.array([e.code for e in icbs])
    icb_name = np.array([e.name.replace(" ICB", " Integrated Care Board") for e in icbs])
    files = []

    def csv(frame: pd.DataFrame, name: str, decimals: int | None = None) -> None:
        if decimals is None:
            frame.to_csv(out / name, index=False, lineterminator="\n")
        else:
            _fmt(frame, out / name, decimals)
        files.append(name)

    code, name = areas["area_code"], areas["area_name"]
    csv(pd.DataFrame({  # every demonstration area is unchanged (U) between 2011 and 2021
        "lsoa11_name": name, "lsoa11_code": code, "change_code": "U", "lsoa21_name": name,
        "lsoa21_code": code, "lad22_name": areas["lad_name"], "lad22_code": areas["lad_code"],
    }), "lookup_lsoa11_lsoa21.csv")
    csv(pd.DataFrame({
        "lsoa21_name": name, "lsoa21_code": code,
        "sicbl24_name": [f"{icb_name[i]} - sub-ICB" for i in icb_idx],
        "sicbl24_code": [f"E38{900000 + i + 1:06d}" for i in icb_idx],
        "sicbl24_code_nhs": [f"D{i + 1:02d}" for i in icb_idx],
        "icb24_name": icb_name[icb_idx], "icb24_code": icb_code[icb_idx],
    }), "lookup_lsoa21_icb24.csv")

    hist = pd.DataFrame({f"lad{v}_{k}": lads[f"lad_{k}"] for v in (19, 21, 23, 24)
                         for k in ("code", "name")})
    hist.to_csv(out / "lookup_lad_code_history.csv", index=False, lineterminator="\n")
    files.append("lookup_lad_code_history.csv")
    reg = pd.concat([lads.assign(lad_vintage=v) for v in (2019, 2021, 2023, 2024)])
    reg = pd.DataFrame({"lad_vintage": reg["lad_vintage"], "lad_name": reg["lad_name"],
                        "lad_code": reg["lad_code"], "region_name":
                        reg["region_code"].map(REGIONS), "region_code": reg["region_code"]})
    reg.to_csv(out / "lookup_lad_region.csv", index=False, lineterminator="\n")
    files.append("lookup_lad_region.csv")

    ruc21 = areas["rurality_code"].map(RUC11_TO_RUC21)
    csv(pd.DataFrame({
        "lsoa21_code": code, "ruc21_code": ruc21,
        "classification": ruc21.map({k: v[0] for k, v in RUC21_LSOA.items()}),
        "ruc": np.where(areas["rural"], "Rural", "Urban"),
    }), "ruc21_lsoa21.csv")
    csv(pd.DataFrame({"lsoa21_code": code, "coastal_G25_5": areas["coastal"].astype(int)}),
        "coastal_lsoa21.csv")

    dec = areas["imd_decile"].to_numpy()
    imd = pd.DataFrame({
        "lsoa21_code": areas["area_code"], "IMD_score": areas["imd_score"],
        "IMD_rank": areas["imd_rank"], "IMD_decile": dec,
        "Health_decile": np.clip(dec + rng.integers(-1, 2, n), 1, 10),
        "Housing_and_Access_decile": np.clip(np.where(areas["rural"], dec - 4, dec + 1)
                                             + rng.integers(-2, 3, n), 1, 10),
    })
    # Income domain: a rate that follows the IMD score with its own noise (a separate
    # generator, so the other generated files do not change); deciles ranked from it.
    noise = np.random.default_rng(n).normal(0.0, 0.02, n)
    imd["Income_score"] = np.clip(areas["imd_score"].to_numpy() / 200 + noise, 0.0, 1.0)
    income_rank = pd.Series(-imd["Income_score"].round(3)).rank(method="first")
    imd["Income_decile"] = np.ceil(10 * income_rank / n).astype(int).to_numpy()
    csv(imd, "imd2025_lsoa21.csv", 3)

    te = TRUE_EFFECTS
    rural = areas["rural"].to_numpy().astype(float)
    sparse = areas["sparse"].to_numpy().astype(float)
    coast = areas["coastal"].to_numpy().astype(float)
    la_codes, la_idx = np.unique(areas["lad_code"].to_numpy(), return_inverse=True)
    la_eff = rng.normal(0.0, te["gp_distance_la_sd_log"], len(la_codes))[la_idx]

    def distance(base: float, rural_ratio: float) -> np.ndarray:
        log_d = (np.log(base) + np.log(rural_ratio) * rural
                 + np.log(te["gp_distance_sparse_ratio"]) * sparse
                 + np.log(te["gp_distance_coastal_ratio"]) * coast + la_eff
                 + rng.normal(0.0, te["gp_distance_noise_sd_log"], n))
        return np.exp(log_d)

    centred = dec - 5.5
    distances = pd.DataFrame({
        "lsoa11_code": areas["area_code"],
        "road_distance_to_a_gp_surgery_indicator_km":
            distance(te["gp_distance_base_km"], te["gp_distance_rural_ratio"]),
        "road_distance_to_a_post_office_indicator_km": distance(0.8, 2.2),
        "road_distance_to_general_store_or_supermarket_indicator_km": distance(0.7, 2.4),
        "road_distance_to_a_primary_school_indicator_km": distance(0.6, 2.0),
    })
    ind = pd.DataFrame({
        "lsoa21_code": areas["area_code"],
        "years_of_potential_life_lost_indicator":
            100 * np.exp(te["ypll_log_ratio_per_decile"] * centred + 0.05 * coast
                         + rng.normal(0.0, 0.2, n)),
        "comparative_illness_and_disability_ratio_indicator":
            100 * np.exp(te["cidr_log_ratio_per_decile"] * centred + 0.03 * coast
                         + rng.normal(0.0, 0.12, n)),
        "acute_morbidity_indicator":
            te["acute_morbidity_per_decile"] * centred + te["acute_morbidity_coastal"] * coast
            + rng.normal(0.0, 0.4, n),
        "mental_health_indicator":
            te["mood_anxiety_per_decile"] * centred + rng.normal(0.0, 0.5, n),
    })
    csv(distances, "imd2019_lsoa11_indicators.csv", 3)
    csv(ind, "imd2025_lsoa21_indicators.csv", 3)

    # Census 2021 TS007A layout: five-year bands 0-4 .. 80-84, 85+, and 65+
    bands = {f"age_{lo}_{lo + 4}": sya[:, lo:lo + 5].sum(axis=1) for lo in range(0, 85, 5)}
    pop = pd.DataFrame({"lsoa21_code": code.to_numpy(), "lsoa21_name": name.to_numpy(),
                        "total_usual_residents": sya.sum(axis=1), **bands,
                        "age_85plus": sya[:, 85:].sum(axis=1),
                        "age_65plus": sya[:, 65:].sum(axis=1)})
    csv(pop, "census21_age_lsoa21.csv")
    csv(_ethnicity(areas, code, sya), "census21_ethnicity_lsoa21.csv")
    health, disability = _census_health(areas, code, name, sya)
    csv(health, "census21_general_health_lsoa21.csv")
    csv(disability, "census21_disability_lsoa21.csv")
    # the 2011 MSOA of each (unchanged) small area, for the MSOA life expectancy
    csv(pd.DataFrame({"lsoa11_code": code, "lsoa11_name": name,
                      "msoa11_code": areas["msoa_code"], "msoa11_name": areas["msoa_name"]}),
        "lookup_lsoa11_geography.csv")
    files.append(_write_msoa_life_expectancy(rng, out, areas))

    files += _write_lad_sources(rng, out, lads, areas, sya, icb_code, icb_idx)
    files += _write_practice_sources(rng, out, areas, icb_code, icb_idx)
    files += _write_hex_layouts(out, lads, icb_code, icb_name)
    return files


def _write_hex_layouts(out: Path, lads: pd.DataFrame, icb_code: np.ndarray,
                       icb_name: np.ndarray) -> list[str]:
    """Hex cartogram layouts in the Open Innovations flattened layout (odd-r), drawn
    without randomness: each region's authorities fill a block of rows, the blocks three
    to a row of regions; the 42 ICBs in rows of seven."""
    rows, top = [], 0
    regions = list(dict.fromkeys(lads["region_code"]))
    for start in range(0, len(regions), 3):
        left, height = 0, 0
        for region in regions[start:start + 3]:
            codes = lads.loc[lads["region_code"] == region, ["lad_code", "lad_name"]]
            width = max(2, int(np.ceil(np.sqrt(len(codes)))))
            for k, (code, name) in enumerate(codes.itertuples(index=False)):
                rows.append({"layout": "odd-r", "lad23_code": code, "name": name,
                             "q": left + k % width, "r": top + k // width,
                             "region_code": region, "colour": "", "lad19nmw": ""})
            left += width + 1
            height = max(height, int(np.ceil(len(codes) / width)))
        top += height + 1
    lad_hex = pd.DataFrame(rows)
    lad_hex["r"] = lad_hex["r"].max() - lad_hex["r"]  # HexJSON rows count upwards
    lad_hex.to_csv(out / "hex_lad23_odileeds.csv", index=False, lineterminator="\n")
    icb = pd.DataFrame({"layout": "odd-r", "icb_ods_code": [f"Q{k:02d}" for k in
                                                           range(len(icb_code))],
                        "ICS22NM": icb_name, "r": [5 - k // 7 for k in range(len(icb_code))],
                        "q": [k % 7 for k in range(len(icb_code))], "icb24_code": icb_code})
    icb.to_csv(out / "hex_icb22_odileeds.csv", index=False, lineterminator="\n")
    return ["hex_lad23_odileeds.csv", "hex_icb22_odileeds.csv"]


def _ethnicity(areas: pd.DataFrame, code: pd.Series, sya: np.ndarray) -> pd.DataFrame:
    """Census 2021 TS021 layout (five high-level groups): each small area's residents split
    multinomially, the share not White rising in urban, London and more deprived areas
    (log-odds -3.0 + 1.2 urban + 1.6 London + 0.12 per decile below 5.5, plus noise; about
    one in six residents overall), the rest 45% Asian, 22% Black, 17% Mixed, 16% Other. A
    separate generator, so the other generated files do not change."""
    rng = np.random.default_rng(len(areas) + 21)
    total = sya.sum(axis=1).astype(np.int64)
    logit = (-3.0 + 1.2 * (~areas["rural"].to_numpy()) + 1.6 * (areas["region_code"]
             .to_numpy() == "E12000007") + 0.12 * (5.5 - areas["imd_decile"].to_numpy())
             + rng.normal(0.0, 0.8, len(areas)))
    minority = rng.binomial(total, 1 / (1 + np.exp(-logit)))
    split = np.array([rng.multinomial(m, [0.45, 0.22, 0.17, 0.16]) for m in minority])
    return pd.DataFrame({"lsoa21_code": code.to_numpy(), "total_usual_residents": total,
                         "asian": split[:, 0], "black": split[:, 1], "mixed": split[:, 2],
                         "white": total - minority, "other": split[:, 3]})


def _census_health(areas: pd.DataFrame, code: pd.Series, name: pd.Series,
                   sya: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Census 2021 TS037 (general health) and TS038 (disability) layouts: binomial counts
    whose log-odds rise 0.06 (bad or very bad health) and 0.04 (disabled) per point of
    % aged 65+ above 18, and 0.12 and 0.08 per IMD decile below 5.5, from England's 5.2%
    and 17.3%; ethnic composition has no effect of its own. A separate generator."""
    rng = np.random.default_rng(len(areas) + 37)
    total = sya.sum(axis=1).astype(np.int64)
    old = 100 * sya[:, 65:].sum(axis=1) / np.maximum(total, 1) - 18.0
    dec = 5.5 - areas["imd_decile"].to_numpy()

    def draw(n, base, per_old, per_decile):
        logit = np.log(base / (1 - base)) + per_old * old + per_decile * dec
        return rng.binomial(n, 1 / (1 + np.exp(-logit)))

    bad_all = draw(total, 0.052, 0.06, 0.12)
    very_bad = rng.binomial(bad_all, 0.23)
    rest = total - bad_all
    fair = rng.binomial(rest, 0.134)
    very_good = rng.binomial(rest - fair, 0.59)
    health = pd.DataFrame({"lsoa21_code": code.to_numpy(), "lsoa21_name": name.to_numpy(),
                           "total_usual_residents": total, "very_good": very_good,
                           "good": rest - fair - very_good, "fair": fair,
                           "bad": bad_all - very_bad, "very_bad": very_bad})
    disabled = draw(total, 0.173, 0.04, 0.08)
    a_lot = rng.binomial(disabled, 0.42)
    ltc = rng.binomial(total - disabled, 0.08)
    disability = pd.DataFrame({
        "lsoa21_code": code.to_numpy(), "lsoa21_name": name.to_numpy(),
        "total_usual_residents": total, "disabled": disabled,
        "disabled_limited_a_lot": a_lot, "disabled_limited_a_little": disabled - a_lot,
        "not_disabled": total - disabled, "not_disabled_ltc_not_limited": ltc,
        "not_disabled_no_ltc": total - disabled - ltc})
    return health, disability


#: Demonstration practices: mean list size, and the recorded prevalence (per cent) of
#: each QOF register at an IMD score of 21 with its log-linear slope per IMD point
#: (England 2022-23 levels: HYP 14.4%, COPD 1.85%, SMI 1.0%; gradients invented).
_PRACTICE_LIST = 9_500
_REGISTERS = {"HYP": (14.4, 0.002), "COPD": (1.85, 0.022), "MH": (1.0, 0.018)}


def _write_practice_sources(rng: np.random.Generator, out: Path, areas: pd.DataFrame,
                            icb_code: np.ndarray, icb_idx: np.ndarray) -> list[str]:
    """GP practices in the layouts of the QOF, Fingertips 93553 and HEEC workforce files.

    Each ICB's small areas, sorted by IMD score, are cut into practices of about
    :data:`_PRACTICE_LIST` residents; a practice's IMD score is its areas' mean, its
    list their population, its registers binomial around :data:`_REGISTERS` and its GP
    FTE about one per 1,600 patients, fewer where deprivation is higher.
    """
    ods = {row["code"]: row["code_nhs"] for row in editions.read_nhs_table()
           if row["set"] == "icb"}
    rows = []
    for k, code in enumerate(icb_code):
        mine = areas[icb_idx == k].sort_values("imd_score")
        n = max(3, int(round(mine["population"].sum() / _PRACTICE_LIST)))
        for chunk in np.array_split(np.arange(len(mine)), n):
            part = mine.iloc[chunk]
            rows.append({"icb": ods[code], "score": float(part["imd_score"].mean()),
                         "list": int(part["population"].sum())})
    prac = pd.DataFrame(rows)
    prac["code"] = [f"D{i + 1:05d}" for i in range(len(prac))]
    prac["name"] = [f"Demonstration Surgery {i + 1}" for i in range(len(prac))]
    centred = prac["score"].to_numpy() - 21.0
    qof = []
    for group, (pct, slope) in _REGISTERS.items():
        p = np.clip(pct / 100 * np.exp(slope * centred + rng.normal(0, 0.1, len(prac))),
                    0, 0.9)
        qof.append(pd.DataFrame({"PRACTICE_CODE": prac["code"], "GROUP_CODE": group,
                                 "REGISTER": rng.binomial(prac["list"], p).astype(float),
                                 "PATIENT_LIST_TYPE": "TOTAL",
                                 "PRACTICE_LIST_SIZE": prac["list"]}))
    qof = pd.concat(qof).sort_values(["PRACTICE_CODE", "GROUP_CODE"])
    qof.to_csv(out / "qof_prevalence_practice_2223.csv", index=False, lineterminator="\n")
    pd.DataFrame({"ICB_ODS_CODE": prac["icb"], "PRACTICE_CODE": prac["code"],
                  "PRACTICE_NAME": prac["name"]}).to_csv(
        out / "qof_practice_nhs_geography_2223.csv", index=False, lineterminator="\n")
    imd = pd.concat([pd.DataFrame({"IndicatorID": 93553, "Year": year,
                                   "AreaCode": prac["code"], "AreaName": prac["name"],
                                   "IsAreaCurrent": 1, "Value": prac["score"] + shift})
                     for year, shift in ((2015, 1.0), (2019, 0.0))])
    _fmt(imd, out / "fingertips_93553_gp_practice_imd_score.csv", 4)
    work = []
    for year in (2023, 2024, 2025):
        patients = prac["list"].to_numpy() * rng.normal(1.0, 0.02, len(prac))
        fte = patients / 1_600 * np.exp(-0.006 * centred + rng.normal(0, 0.15, len(prac)))
        work.append(pd.DataFrame({"Practice.Code": prac["code"], "Year": year,
                                  "TOTAL_PATIENTS": patients, "TOTAL_GP_EXTGL_FTE": fte}))
    _fmt(pd.concat(work), out / "gp_practice_workforce_fy_heec.csv", 3)
    return ["qof_prevalence_practice_2223.csv", "qof_practice_nhs_geography_2223.csv",
            "fingertips_93553_gp_practice_imd_score.csv", "gp_practice_workforce_fy_heec.csv"]


def _write_msoa_life_expectancy(rng: np.random.Generator, out: Path,
                                areas: pd.DataFrame) -> str:
    """MSOA life expectancy by sex in the OHID Local Health layout: the sex's base plus
    ``le_years_per_decile`` x (mean IMD decile of the MSOA's small areas - 5.5) plus noise;
    each SMR 100 x exp(-``smr_log_per_decile`` x (that decile - 5.5) + noise)."""
    te = TRUE_EFFECTS
    msoa = areas.groupby("msoa_code", sort=True).agg(
        name=("msoa_name", "first"), decile=("imd_decile", "mean")).reset_index()
    centred = msoa["decile"].to_numpy() - 5.5
    frame = pd.DataFrame({"Code": msoa["msoa_code"], "Label": msoa["name"]})
    for sex in ("males", "females"):
        base = te["le_male_base_years" if sex == "males" else "le_female_base_years"]
        frame[f"Life expectancy at birth for {sex}"] = np.round(
            base + te["le_years_per_decile"] * centred + rng.normal(0.0, 1.0, len(msoa)), 1)
    for column in ("Deaths from all causes, all ages", "Deaths from all cancer, all ages",
                   "Deaths from circulatory disease, all ages",
                   "Deaths from respiratory diseases, all ages",
                   "Deaths from causes considered preventable, under 75 years, SMR"):
        frame[column] = np.round(100 * np.exp(-te["smr_log_per_decile"] * centred
                                              + rng.normal(0.0, 0.1, len(msoa))), 1)
    name = "ohid_localhealth_msoa11_le_smr_2015_19.csv"
    frame.to_csv(out / name, index=False, lineterminator="\n")
    return name


def _write_lad_sources(rng: np.random.Generator, out: Path, lads: pd.DataFrame,
                       areas: pd.DataFrame, sya: np.ndarray, icb_code: np.ndarray,
                       icb_idx: np.ndarray) -> list[str]:
    te = TRUE_EFFECTS
    pop = areas["population"].astype(float)
    a = areas.assign(_w=pop, _dec=pop * areas["imd_decile"], _coast=pop * areas["coastal"],
                     _rural=pop * areas["rural"], _u75=sya[:, :75].sum(axis=1))
    g = a.groupby("lad_code", sort=True)
    la = pd.DataFrame({
        "population": g["_w"].sum(), "decile": g["_dec"].sum() / g["_w"].sum(),
        "coastal_share": g["_coast"].sum() / g["_w"].sum(),
        "rural_share": g["_rural"].sum() / g["_w"].sum(), "u75_pop": g["_u75"].sum(),
        "decile_sd": g["imd_decile"].std().fillna(0.0),
    }).join(lads.set_index("lad_code")[["lad_name"]])
    la = la.reset_index()
    m = len(la)
    area_type = np.where(la["lad_code"].str.startswith("E07"), "District", "UA")
    england = {"area_code": "E92000001", "area_name": "England", "area_type": "Country"}
    files = []
    la_eff = rng.normal(0.0, te["le_la_sd_years"], m)

    def fingertips(values: dict, periods: list[str], indicator: str, measure: str,
                   unit: str) -> pd.DataFrame:
        rows = []
        for (sex, period), v in values.items():
            rows.append(pd.DataFrame({
                "area_code": la["lad_code"], "area_name": la["lad_name"],
                "area_type": area_type, "period": period, "indicator": indicator,
                "measure": measure, "unit": unit, "value": v,
                "compared_to_England": "Not compared", "sex": sex}))
            w = la["population"].to_numpy()
            rows.append(pd.DataFrame([{**england, "period": period, "indicator": indicator,
                                       "measure": measure, "unit": unit,
                                       "value": float(np.average(v, weights=w)),
                                       "compared_to_England": "Not compared", "sex": sex}]))
        return pd.concat(rows, ignore_index=True)

    le_periods = _period_labels(2015, 9)
    hle_periods = _period_labels(2015, 8)
    centred = la["decile"].to_numpy() - 5.5
    le, hle, sii = {}, {}, {}
    for sex, base, hbase in (("Male", te["le_male_base_years"], 63.1),
                             ("Female", te["le_female_base_years"], 63.9)):
        for t, period in enumerate(le_periods):
            trend = -0.25 * (t >= 4) + 0.05 * t
            le[(sex, period)] = (base + te["le_years_per_decile"] * centred
                                 + te["le_coastal_years"] * la["coastal_share"].to_numpy()
                                 + te["le_rural_years"] * la["rural_share"].to_numpy()
                                 + la_eff + trend + rng.normal(0.0, 0.15, m)).round(1)
        for period in hle_periods:
            hle[(sex, period)] = (hbase + te["hle_years_per_decile"] * centred
                                  - 1.0 * la["coastal_share"].to_numpy()
                                  + rng.normal(0.0, 1.0, m)).round(1)
            sii[(sex, period)] = np.maximum(
                1.0 + 2.5 * la["decile_sd"].to_numpy() + (sex == "Male") * 2.0
                + rng.normal(0.0, 1.0, m), 0.1).round(1)
    specs = [
        ("fingertips_life_expectancy_lad.csv", le, le_periods, "Life expectancy at birth",
         "Life expectancy", "Years"),
        ("fingertips_healthy_life_expectancy_ua.csv", hle, hle_periods,
         "Healthy life expectancy at birth", "Life expectancy", "Years"),
        ("fingertips_le_inequality_sii_lad.csv", sii, hle_periods,
         "Inequality in life expectancy at birth", "Slope Index of Inequality", "Years"),
    ]
    for name, values, periods, indicator, measure, unit in specs:
        fingertips(values, periods, indicator, measure, unit).to_csv(
            out / name, index=False, lineterminator="\n")
        files.append(name)

    # under-75 preventable mortality: Poisson counts, crude rate, exact limits
    rows = []
    for year in range(2014, 2025):
        for sex, factor, share in (("Male", 1.35, 0.49), ("Female", 0.68, 0.51)):
            denom = np.round(la["u75_pop"].to_numpy() * share)
            rate = (te["u75_base_rate_per_100k"] * factor
                    * np.exp(te["u75_log_rate_per_decile"] * centred
                             + te["u75_coastal_log_rate"] * la["coastal_share"].to_numpy()))
            count = rng.poisson(rate * denom / 1e5)
            rows.append((year, sex, count, denom))
        rows.append((year, "Persons", rows[-1][2] + rows[-2][2], rows[-1][3] + rows[-2][3]))
    frames = []
    for year, sex, count, denom in rows:
        lo, hi = _poisson_limits(count)
        block = pd.DataFrame({
            "area_code": la["lad_code"], "area_name": la["lad_name"], "area_type": area_type,
            "period": str(year), "sex": sex, "count": count, "denominator": denom,
            "value": 1e5 * count / denom, "lower": 1e5 * lo / denom, "upper": 1e5 * hi / denom})
        c, d = count.sum(), denom.sum()
        elo, ehi = _poisson_limits(np.array([c]))
        eng = pd.DataFrame([{**england, "period": str(year), "sex": sex, "count": c,
                             "denominator": d, "value": 1e5 * c / d,
                             "lower": 1e5 * elo[0] / d, "upper": 1e5 * ehi[0] / d}])
        frames += [eng, block]
    u75 = pd.concat(frames, ignore_index=True)
    u75.insert(4, "indicator", "Under 75 mortality rate from causes considered preventable "
               "(per 100,000 population)")
    u75.insert(5, "measure", "Crude rate (demonstration)")
    u75["compared_to_England"] = "Not compared"
    u75["unit"] = "per 100,000"
    u75["denominator"] = u75["denominator"].astype("int64")
    _fmt(u75, out / "fingertips_u75_preventable_mortality_lad.csv", 1)
    files.append("fingertips_u75_preventable_mortality_lad.csv")

    patients = np.round(la["population"].to_numpy() * rng.normal(1.12, 0.03, m))
    ppf = te["gp_patients_per_fte_base"] * np.exp(
        te["gp_patients_per_fte_rural_log"] * la["rural_share"].to_numpy()
        + te["gp_patients_per_fte_coastal_log"] * la["coastal_share"].to_numpy()
        + rng.normal(0.0, te["gp_patients_per_fte_la_sd_log"], m))
    gp = pd.DataFrame({"lad24_code": la["lad_code"],
                       "total_patients": patients.astype("int64"),
                       "total_gp_fte": patients / ppf, "patients_per_gp": ppf})
    _fmt(gp, out / "gp_patients_per_fte_lad24.csv", 6)
    files.append("gp_patients_per_fte_lad24.csv")

    ruc = lads[["lad_code"]].merge(la[["lad_code", "rural_share", "coastal_share"]])
    far = rng.random(len(ruc)) < 0.3
    code = np.select([ruc["rural_share"] >= 0.5, ruc["rural_share"] >= 0.26,
                      ruc["rural_share"] >= 0.1], ["RM", "RI", "UI"], "UU")
    code = np.char.add(code.astype(str), np.where(far, "F", "N"))
    ruc_out = pd.DataFrame({"lad24_code": ruc["lad_code"], "ruc21_code": code,
                            "classification": [RUC21_LAD[c][0] for c in code],
                            "ruc": [RUC21_LAD[c][1] for c in code]})
    ruc_out.to_csv(out / "ruc21_lad24.csv", index=False, lineterminator="\n")
    files.append("ruc21_lad24.csv")

    icb_pop = np.bincount(icb_idx, weights=areas["population"].to_numpy())
    ae_rows = []
    for k in range(40):
        year, month = 2022 + (3 + k) // 12, (3 + k) % 12
        season = 1.0 + 0.06 * np.cos(2 * np.pi * (month - 6) / 12)
        att = rng.poisson(icb_pop / 1000 * 35 * season)
        over = rng.binomial(att, np.clip(0.25 + rng.normal(0, 0.04, len(att)), 0.02, 0.9))
        adm = rng.binomial(att, 0.27)
        ae_rows.append(pd.DataFrame({
            "icb22_code": icb_code, "total_attendances": att.astype(float),
            "attendances_over_4hours": over.astype(float),
            "total_emergency_admissions": adm.astype(float),
            "emergency_admissions_over_4hours": np.round(adm * 0.2),
            "pct_attendance_over_4hours": np.round(over / att, 2),
            "pct_emergency_admissions_over_4hours": 0.2, "date": f"{_MONTHS[month]} {year}"}))
    ae = pd.concat(ae_rows, ignore_index=True)
    ae.to_csv(out / "nhs_ae_attendances_emergency_admissions_icb22_monthly.csv", index=False,
              lineterminator="\n")
    files.append("nhs_ae_attendances_emergency_admissions_icb22_monthly.csv")
    return files


def _write_manifest(folder: Path, files: list[str], seed: int) -> None:
    """Copy the shared manifest, keeping the generated sources, with their SHA-256."""
    text = shipped_manifests()["shared"].read_text(encoding="utf-8")
    head, *blocks = re.split(r"(?m)^\[\[source\]\]\n", text)
    kept = []
    for block in blocks:
        name = re.search(r'(?m)^file = "([^"]+)"', block).group(1)
        tagged = re.search(r'(?m)^vintages = \[([^\]]*)\]', block)
        if name not in files or (tagged and f'"{VINTAGE}"' not in tagged.group(1)):
            continue
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        block = re.sub(r'(?m)^sha256 = "[0-9a-f]*"', f'sha256 = "{digest}"', block)
        block = re.sub(r'(?m)^url = "[^"]*"', 'url = ""', block)
        block = re.sub(r'(?m)^licence = "[^"]*"',
                       'licence = "demonstration data (generated; no licence needed)"', block)
        block = re.sub(r'(?m)^publisher = "([^"]*)"',
                       r'publisher = "Demonstration data in the layout of: \1"', block)
        if name == "fingertips_u75_preventable_mortality_lad.csv":
            # the demonstration file also carries counts, denominators and 95% limits
            block = block.replace("[source.columns]\n", "[source.columns]\ncount = \"count\"\n"
                                  "denominator = \"denominator\"\nlower = \"lower\"\n"
                                  "upper = \"upper\"\n", 1)
        kept.append(block)
    header = (
        "# Demonstration data generated by inequalities.data.demo: NOT official statistics.\n"
        "# Same layout as data/manifests/shared.toml; checksums are of the generated files.\n"
        "\n[manifest]\nname = \"demo\"\n"
        f"description = \"Demonstration data (seed {seed}): not official statistics\"\n"
        f"lad_vintage = 2023\ndemo = true\nseed = {int(seed)}\nvintage = \"{VINTAGE}\"\n\n"
    )
    body = "".join("[[source]]\n" + b for b in kept)
    (folder / "manifest.toml").write_text(header + body, encoding="utf-8")
