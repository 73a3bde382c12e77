"""Tables of data sources and checksums for the Methods and Provenance chapters.

Both come from the manifest the edition was loaded with (``Dataset.sources``), so the
report lists exactly the files it read, with their publisher, vintage and licence, and the
SHA-256 of the bytes it read (checked against the manifest's).

* :func:`sources_table` - publisher, title, vintage and licence of each source the report
  uses (:data:`USES` says what for; :data:`NOT_USED` lists sources read but not used);
* :func:`checksums_table` - each source's file and SHA-256, and whether it matches the
  manifest;
* :func:`key_figures` - the numbers and sentences the chapters quote (``provenance.*``).
"""

from __future__ import annotations

import pandas as pd

from inequalities.topics.base import EditionData

SOURCE_COLUMNS = {"publisher": "Publisher", "title": "Title", "vintage": "Vintage",
                  "licence": "Licence"}

#: What each source the report uses is used for (manifest source id -> words).
USES: dict[str, str] = {
    "lookup_lsoa11_geography": "small areas' MSOA, authority, region and ICB",
    "lookup_lad_code_history": "authority codes harmonised to 2023",
    "lookup_lad_region": "authorities' regions",
    "ruc11_lsoa11": "urban or rural small areas and MSOAs (RUC 2011)",
    "ruc21_lad24": "urban or rural authorities (RUC 2021)",
    "imd2019_lsoa11": "deprivation of small areas (IoD 2019)",
    "imd2019_lsoa11_indicators": "health and access indicators (chapters 4 to 8)",
    "population_lsoa11_mid2019": "residents: weights and age structure",
    "coastal_lsoa11": "coastal small areas",
    "census21_general_health_lsoa21": "bad or very bad general health (small-area mortality; breakdowns)",
    "census21_disability_lsoa21": "disability (small-area mortality; breakdowns)",
    "census21_ethnicity_lsoa21": "ethnic composition of small areas (breakdowns chapter)",
    "ons_els_cancer_stage12_la": "early cancer diagnosis (small-area mortality)",
    "nhse_smi_health_checks": "SMI physical health checks (services chapter)",
    "lookup_subicb24_icb24": "sub-ICBs' ICBs, for the SMI health checks",
    "nhs_workforce_consultants_trust": "hospital consultants (services chapter)",
    "ohid_acute_trust_catchments": "trust catchment populations (services chapter)",
    "hospital_sites_rcpch": "where trusts' hospitals are (services chapter)",
    "ohid_localhealth_msoa11_le": "MSOA life expectancy (outcomes chapter) and SMRs (small-area mortality)",
    "fingertips_life_expectancy_lad": "authority life expectancy (outcomes and trends chapters)",
    "fingertips_healthy_life_expectancy_ua": "healthy life expectancy (chapter 5)",
    "fingertips_u75_preventable_mortality_lad": "preventable mortality (chapter 5)",
    "gp_patients_per_fte_lad24": "GP workforce (chapter 4)",
    "nhs_ae_icb22_monthly": "A&E four-hour waits (chapter 7)",
    # the 2025 vintage (2021 small areas)
    "lookup_lsoa21_lad22": "2021 small areas' authorities",
    "lookup_lsoa11_msoa11_for_lsoa21": "2021 small areas' 2011 MSOA (for MSOA life expectancy)",
    "lookup_lsoa21_icb24": "2021 small areas' ICB (2024)",
    "imd2025_lsoa21": "deprivation of small areas (IoD 2025)",
    "imd2025_lsoa21_indicators": "health indicators (chapters 5, 7 and 8)",
    "imd2019_distances_on_lsoa21": "road distance to a GP surgery (IoD 2019, carried to 2021 "
                                   "small areas; chapter 4)",
    "census21_age_lsoa21": "residents: weights and age structure (Census 2021; breakdowns by age)",
    "coastal_lsoa21": "coastal small areas (2021)",
    "ruc21_lsoa21": "urban or rural small areas (RUC 2021)",
    "lookup_lsoa11_lsoa21": "LSOA 2011 to 2021 lookup: carries 2011 measures to 2021 areas",
    # GP practices (both vintages; chapter 6)
    "qof_prevalence_practice_2223": "recorded prevalence of hypertension, COPD and severe "
                                    "mental illness by practice (chapter 6)",
    "qof_practice_nhs_geography_2223": "practices' ICB and NHS region (chapter 6)",
    "gp_practices_ods_epraccur": "ICB of practices not in QOF 2022-23 (chapter 6)",
    "fingertips_93553_gp_practice_imd_score": "practices' deprivation deciles (chapter 6)",
    "gp_practice_workforce_fy_heec": "GP FTE per patient by practice (chapter 6)",
    # maps (both vintages; "Your areas" chapter)
    "hex_lad23_odileeds": "hexagon positions of local authorities (Your areas map)",
    "hex_icb22_odileeds": "hexagon positions of integrated care boards (Your areas map, "
                          "England)",
}
#: Sources the data layer can read that no figure uses, and why they are left out.
NOT_USED: dict[str, str] = {
    "ruc11_lad11": "2011 classification of authorities; authorities use RUC 2021",
    "fingertips_le_inequality_sii_lad": "Fingertips 92901; no chapter reports it",
    "ons_health_index_lad21": "ONS Health Index; no chapter reports it",
    "ons_health_index_indicators_lad21": "ONS Health Index inputs; no chapter reports them",
}


def _present(sources: pd.DataFrame) -> pd.DataFrame:
    if "present" in sources.columns:
        sources = sources[sources["present"].astype(bool)]
    return sources.sort_values("source_id").reset_index(drop=True)


def sources_table(sources: pd.DataFrame, uses: dict[str, str] | None = None) -> pd.DataFrame:
    """Publisher, title, vintage, licence and use of each source read that the report
    uses (``uses``, default :data:`USES`: source id -> what for), by source id."""
    missing = set(SOURCE_COLUMNS) - set(sources.columns)
    if missing:
        raise ValueError(f"sources table lacks column(s) {sorted(missing)}; it should come "
                         "from Dataset.sources (the manifest)")
    uses = USES if uses is None else uses
    rows = _present(sources)
    rows = rows[rows["source_id"].isin(list(uses))]
    table = rows[list(SOURCE_COLUMNS)].rename(columns=SOURCE_COLUMNS)
    table["Used for"] = rows["source_id"].map(uses).to_numpy()
    return table.reset_index(drop=True)


def checksums_table(sources: pd.DataFrame, digits: int = 16) -> pd.DataFrame:
    """Return each source's id, file and SHA-256 as read (first ``digits`` hex digits).

    "As in manifest" says whether that is the checksum the manifest declares: "yes", "no:
    the file differs" or "none declared" (without a ``manifest_sha256`` column: "not
    known").
    """
    rows = _present(sources)
    read = rows["sha256"].fillna("").astype(str)
    if "manifest_sha256" in rows.columns:
        declared = rows["manifest_sha256"].fillna("").astype(str)
        matches = declared.eq(read).map({True: "yes", False: "no: the file differs"})
        matches = matches.where(declared.ne(""), "none declared")
    else:
        matches = pd.Series("not known", index=rows.index)
    return pd.DataFrame({"Source": rows["source_id"], "File": rows["file"],
                         "SHA-256 (start)": read.str[:digits], "As in manifest": matches})


DEMO_NOTICE = ("These figures come from demonstration data generated from a seed; "
               "they are not official statistics.")
OFFICIAL_NOTICE = "These figures come from official statistics listed in the data sources table."


def data_line(ed: EditionData, sources: pd.DataFrame, seed: int | None = None) -> str:
    """What the edition's figures were made from, in words, without local paths.

    Demonstration data: "demonstration data generated from seed 20240101"; real data:
    "15 published sources that the figures use (listed in the Methods chapter), vintages
    IoD 2019, …".
    """
    if ed.data.is_demo:
        return ("demonstration data generated from seed " + str(seed) if seed is not None
                else "demonstration data generated from a seed")
    count = len(sources)
    return (f"{count:,} published source{'s' if count != 1 else ''} that the figures use "
            f"(listed in the Methods chapter), vintages {ed.data.vintage}")


def key_figures(ed: EditionData, sources: pd.DataFrame,
                seed: int | None = None) -> dict[str, str]:
    """The provenance chapter's key figures from the :func:`sources_table` of edition ``ed``.

    ``provenance.sources``: how many sources the report uses; ``provenance.demo_notice``:
    whether the figures are demonstration data or official statistics;
    ``provenance.data_line``: :func:`data_line`.
    """
    return {"provenance.sources": str(len(sources)),
            "provenance.demo_notice": DEMO_NOTICE if ed.data.is_demo else OFFICIAL_NOTICE,
            "provenance.data_line": data_line(ed, sources, seed)}
