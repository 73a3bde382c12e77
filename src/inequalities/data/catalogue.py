"""Catalogue of the indicators the data layer produces: id -> name, unit, polarity.

Ids are OHID Fingertips indicator ids where one exists (90366 life expectancy, 90362
healthy life expectancy, 92901 slope index of inequality in life expectancy, 93721 under-75
preventable mortality); otherwise a short prefixed name (``iod_`` for the English Indices
of Deprivation 2019 underlying indicators, ``gp_`` for NHS Digital workforce, ``ae_`` for
NHS England A&E, ``hi_`` for the ONS Health Index). The demonstration data use the same
ids, so analyses run unchanged on either.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """Metadata of one indicator: display name, unit and whether higher is worse."""

    id: str
    name: str
    unit: str
    level: str
    higher_is_worse: bool
    reference: str


INDICATORS: dict[str, Indicator] = {i.id: i for i in (
    Indicator("iod_gp_distance_km", "Road distance to a GP surgery", "km", "LSOA", True,
              "MHCLG IoD 2019 technical report, Geographical barriers sub-domain"),
    Indicator("iod_post_office_distance_km", "Road distance to a post office", "km", "LSOA",
              True, "MHCLG IoD 2019, Geographical barriers sub-domain"),
    Indicator("iod_store_distance_km", "Road distance to a general store or supermarket",
              "km", "LSOA", True, "MHCLG IoD 2019, Geographical barriers sub-domain"),
    Indicator("iod_primary_school_distance_km", "Road distance to a primary school", "km",
              "LSOA", True, "MHCLG IoD 2019, Geographical barriers sub-domain"),
    Indicator("iod_ypll", "Years of potential life lost (age and sex standardised measure "
              "of premature death)", "standardised measure", "LSOA", True,
              "MHCLG IoD 2019 technical report, Health deprivation and disability domain"),
    Indicator("iod_cidr", "Comparative illness and disability ratio (age and sex "
              "standardised work-limiting morbidity and disability)", "standardised ratio",
              "LSOA", True, "MHCLG IoD 2019, Health deprivation and disability domain"),
    Indicator("iod_acute_morbidity", "Acute morbidity (age and sex standardised emergency "
              "admissions, as published in File 8)", "standardised score", "LSOA", True,
              "MHCLG IoD 2019, Health deprivation and disability domain"),
    Indicator("iod_mood_anxiety", "Mood and anxiety disorders (score)", "score", "LSOA", True,
              "MHCLG IoD 2019, Health deprivation domain"),
    Indicator("90366", "Life expectancy at birth", "years", "LAD", False,
              "OHID Fingertips indicator 90366"),
    Indicator("90362", "Healthy life expectancy at birth", "years", "LAD", False,
              "OHID Fingertips indicator 90362"),
    Indicator("msoa_le_male", "Life expectancy at birth, males (MSOA, 2015-19)", "years",
              "MSOA", False, "OHID Local Health, MSOA life expectancy 2015-19"),
    Indicator("msoa_le_female", "Life expectancy at birth, females (MSOA, 2015-19)",
              "years", "MSOA", False, "OHID Local Health, MSOA life expectancy 2015-19"),
    *(Indicator(f"msoa_smr_{stem}", f"Standardised mortality ratio, {words} (MSOA, 2015-19)",
                "SMR (England = 100)", "MSOA", True, "OHID Local Health, MSOA SMRs 2015-19")
      for stem, words in (("all", "all causes, all ages"), ("cancer", "all cancer, all ages"),
                          ("circulatory", "circulatory disease, all ages"),
                          ("respiratory", "respiratory disease, all ages"),
                          ("preventable_u75", "causes considered preventable, under 75"))),
    *(Indicator(f"census_{stem}", f"Census 2021: {words} (count)", "people", "LSOA",
                stem != "residents_health" and stem != "residents_disability",
                "ONS Census 2021 TS037/TS038")
      for stem, words in (("residents_health", "usual residents (general health table)"),
                          ("bad_health", "usual residents in bad health"),
                          ("very_bad_health", "usual residents in very bad health"),
                          ("residents_disability", "usual residents (disability table)"),
                          ("disabled", "usual residents disabled under the Equality Act"))),
    *(Indicator(f"census_eth_{stem}", f"Census 2021: {words} (count)", "people", "LSOA",
                False, "ONS Census 2021 TS021")
      for stem, words in (("residents", "usual residents (ethnic group table)"),
                          ("asian", "usual residents, Asian, Asian British or Asian Welsh"),
                          ("black", "usual residents, Black, Black British, Black Welsh, "
                                    "Caribbean or African"),
                          ("mixed", "usual residents, Mixed or Multiple ethnic groups"),
                          ("white", "usual residents, White"),
                          ("other", "usual residents, Other ethnic group"))),
    Indicator("93671", "Cancers diagnosed at stage 1 or 2", "%", "LAD", False,
              "NHS England NDRS via OHID Fingertips 93671 and ONS Explore Local Statistics"),
    Indicator("smi_all6_checks", "People with severe mental illness with all six physical "
              "health checks in the previous 12 months", "%", "ICB", False,
              "NHS England, physical health checks for people with SMI"),
    Indicator("92901", "Inequality in life expectancy at birth (slope index of inequality)",
              "years", "LAD", True, "OHID Fingertips indicator 92901"),
    Indicator("93721", "Under 75 mortality rate from causes considered preventable",
              "per 100,000 (directly age-standardised)", "LAD", True,
              "OHID Fingertips indicator 93721"),
    Indicator("gp_patients_per_fte", "Registered patients per full-time equivalent GP",
              "patients per FTE", "LAD", True, "NHS Digital General Practice Workforce"),
    Indicator("gp_fte_per_10k", "GP full-time equivalents per 10,000 registered patients",
              "FTE per 10,000 patients", "LAD", False,
              "NHS Digital General Practice Workforce"),
    Indicator("ae_over_4h_pct", "A&E attendances waiting over four hours", "%", "ICB", True,
              "NHS England A&E Attendances and Emergency Admissions"),
    Indicator("ae_emergency_admissions", "Emergency admissions via A&E (count per month)",
              "count", "ICB", True, "NHS England A&E Attendances and Emergency Admissions"),
    Indicator("hi_distance_gp", "Distance to GP services (ONS Health Index input)",
              "distance (ONS Health Index metadata)", "LAD", True,
              "ONS Health Index for England, underlying indicators"),
    Indicator("hi_distance_pharmacy", "Distance to pharmacies (ONS Health Index input)",
              "distance (ONS Health Index metadata)", "LAD", True,
              "ONS Health Index for England, underlying indicators"),
    Indicator("hi_avoidable_mortality", "Avoidable mortality (ONS Health Index input)",
              "per 100,000", "LAD", True,
              "ONS Health Index for England, underlying indicators"),
    Indicator("hi_overall", "ONS Health Index, overall score (England 2015 = 100)", "index",
              "LAD", False, "ONS Health Index for England"),
    Indicator("hi_healthy_people", "ONS Health Index, Healthy People domain", "index", "LAD",
              False, "ONS Health Index for England"),
    Indicator("hi_healthy_lives", "ONS Health Index, Healthy Lives domain", "index", "LAD",
              False, "ONS Health Index for England"),
    Indicator("hi_healthy_places", "ONS Health Index, Healthy Places domain", "index", "LAD",
              False, "ONS Health Index for England"),
)}

#: ESP 2013 five-year age bands used by the population table, youngest first.
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)

#: RUC 2011 LSOA classes: code -> (label, urban/rural, sparse). ONS/Defra 2011 RUC guide.
RUC11_LSOA: dict[str, tuple[str, str, bool]] = {
    "A1": ("Urban major conurbation", "Urban", False),
    "B1": ("Urban minor conurbation", "Urban", False),
    "C1": ("Urban city and town", "Urban", False),
    "C2": ("Urban city and town in a sparse setting", "Urban", True),
    "D1": ("Rural town and fringe", "Rural", False),
    "D2": ("Rural town and fringe in a sparse setting", "Rural", True),
    "E1": ("Rural village and dispersed", "Rural", False),
    "E2": ("Rural village and dispersed in a sparse setting", "Rural", True),
}

#: RUC 2021 LSOA classes (ONS 2025): code -> (label, urban/rural).
RUC21_LSOA: dict[str, tuple[str, str]] = {
    "UN1": ("Urban: Nearer to a major town or city", "Urban"),
    "UF1": ("Urban: Further from a major town or city", "Urban"),
    "RLN1": ("Larger rural: Nearer to a major town or city", "Rural"),
    "RLF1": ("Larger rural: Further from a major town or city", "Rural"),
    "RSN1": ("Smaller rural: Nearer to a major town or city", "Rural"),
    "RSF1": ("Smaller rural: Further from a major town or city", "Rural"),
}

#: RUC 2021 LA classes (ONS 2025): code -> (label, urban/rural).
RUC21_LAD: dict[str, tuple[str, str]] = {
    "UUN": ("Urban: Majority nearer to a major town or city", "Urban"),
    "UUF": ("Urban: Majority further from a major town or city", "Urban"),
    "UIN": ("Intermediate urban: Majority nearer to a major town or city", "Urban"),
    "UIF": ("Intermediate urban: Majority further from a major town or city", "Urban"),
    "RIN": ("Intermediate rural: Majority nearer to a major town or city", "Rural"),
    "RIF": ("Intermediate rural: Majority further from a major town or city", "Rural"),
    "RMN": ("Majority rural: Majority nearer to a major town or city", "Rural"),
    "RMF": ("Majority rural: Majority further from a major town or city", "Rural"),
}

#: The nine English regions (ONS codes, 2019 onwards).
REGIONS: dict[str, str] = {
    "E12000001": "North East", "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber", "E12000004": "East Midlands",
    "E12000005": "West Midlands", "E12000006": "East of England", "E12000007": "London",
    "E12000008": "South East", "E12000009": "South West",
}
ENGLAND = "E92000001"
