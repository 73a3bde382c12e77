"""What each data vintage is made of, in the words the report prints (issue 18).

The report is rebuilt each year on the newest sources, so no topic may name a release
itself: a chart's source line, a ledger row's ``source``/``period``/``method`` and a
chapter's sentence ask the edition's vintage (:func:`describe`, or
``EditionData.vintage``) which population base, deprivation release, small-area
geography, rural-urban classification and coastal flag it shows. This module is the one
place that answers; a new vintage is described here (and declared in the manifest,
``[manifest.vintages.ID]``).

Some sources are the same on every vintage and are named where they are used: the GP
practices' deprivation (IMD 2019 score of their patients, OHID Fingertips 93553), MSOA
life expectancy (OHID Local Health, MSOA 2011, deaths 2015-19) and the road distance to a
GP surgery, which the 2025 Indices no longer publish: the 2025 vintage carries the IoD
2019 distances onto 2021 small areas (``data/manifests/shared.toml``,
``imd2019_distances_on_lsoa21``), and :attr:`Vintage.gp_distance_source` says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vintage:
    """The sources of one data vintage, as the report names them."""

    #: Vintage id, as in the manifest and ``inequalities build --vintage``.
    id: str
    #: Year of the English Indices of Deprivation release ("2019", "2025").
    iod_year: str
    #: Census whose small areas (LSOAs) and rural-urban classification the vintage uses.
    census_year: str
    #: The population base: ledger period, source and the residents it weights by.
    population_period: str
    population_source: str
    #: The population base in a few words, for source lines that name several sources.
    population_short: str
    residents: str
    #: Link to the deprivation release, for chapter text.
    iod_url: str
    #: Road distance to a GP surgery: source and period (IoD 2019's input year).
    gp_distance_source: str
    gp_distance_period: str = "2016 (IoD 2019 input)"

    @property
    def iod(self) -> str:
        """Short name of the deprivation release: "IoD 2025"."""
        return f"IoD {self.iod_year}"

    @property
    def imd(self) -> str:
        """The Index of Multiple Deprivation of the release: "IMD 2025"."""
        return f"IMD {self.iod_year}"

    @property
    def deprivation(self) -> str:
        """The release in full: "English Indices of Deprivation 2025"."""
        return f"English Indices of Deprivation {self.iod_year}"

    @property
    def deprivation_source(self) -> str:
        """The release with its publisher, as a source line begins."""
        return f"MHCLG, {self.deprivation}"

    @property
    def small_areas(self) -> str:
        """The small-area geography: "LSOA 2021"."""
        return f"LSOA {self.census_year}"

    @property
    def small_areas_plural(self) -> str:
        """"2021 LSOAs", as a count's method names them."""
        return f"{self.census_year} LSOAs"

    @property
    def rurality(self) -> str:
        """The rural-urban classification of the small areas, with its publisher."""
        return f"ONS, Rural-Urban Classification {self.census_year}"

    @property
    def ruc(self) -> str:
        """Short name of the classification: "RUC 2021"."""
        return f"RUC {self.census_year}"

    @property
    def coastal(self) -> str:
        """The coastal flag of the small areas."""
        return (f"coastal small areas ({self.census_year} LSOAs) of Welsh et al., BMJ Public "
                "Health 2024")

    def terms(self) -> dict[str, str]:
        """The vintage's names as ``vintage.*`` key figures, for chapter text (words, not
        bare years, so that ``inequalities diff`` does not read them as numbers)."""
        return {"vintage.iod": self.iod,
                "vintage.imd": self.imd, "vintage.deprivation": self.deprivation,
                "vintage.iod_url": self.iod_url, "vintage.residents": self.residents,
                "vintage.population": self.population_source,
                "vintage.small_areas": self.small_areas, "vintage.ruc": self.ruc}


_IOD_2019_URL = "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"

#: Every described vintage, by id.
VINTAGES: dict[str, Vintage] = {
    "2019": Vintage(
        id="2019", iod_year="2019", census_year="2011", population_period="mid-2019",
        population_source="ONS, mid-2019 small-area (LSOA 2011) population estimates",
        population_short="ONS mid-2019 population", residents="mid-2019 residents",
        iod_url=_IOD_2019_URL,
        gp_distance_source="MHCLG, English Indices of Deprivation 2019 (Barriers domain, "
                           "road distance)"),
    "2025": Vintage(
        id="2025", iod_year="2025", census_year="2021", population_period="Census 2021",
        population_source="ONS, Census 2021 usual residents of small areas (LSOA 2021)",
        population_short="ONS Census 2021 population", residents="Census 2021 residents",
        iod_url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
        gp_distance_source="MHCLG, English Indices of Deprivation 2019 (Barriers domain, "
                           "road distance), carried from 2011 to 2021 small areas"),
}
#: The vintage of data that declare none: the publishers' official layout
#: (``data/manifests/official.toml``) is the 2019 one (IoD 2019 on 2011 small areas).
UNDECLARED = "2019"


def describe(vintage_id: str) -> Vintage:
    """The :class:`Vintage` of ``vintage_id`` ("" = data that declare no vintage).

    An id not described here is refused, naming the described ones: a report must not
    label a new vintage's numbers with an old vintage's sources.
    """
    key = str(vintage_id) or UNDECLARED
    try:
        return VINTAGES[key]
    except KeyError:
        raise ValueError(f"data vintage {key!r} is not described in "
                         f"inequalities.data.vintage (described: {', '.join(VINTAGES)}); "
                         "add it there before building on it") from None
