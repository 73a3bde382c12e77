"""Tables of data sources and checksums for the Methods and Provenance chapters.

Both come from the manifest the edition was loaded with (``Dataset.sources``), so the
report lists exactly the files it read, with their publisher, vintage and licence, and the
SHA-256 of the bytes it read (checked against the manifest's).

* :func:`sources_table` - publisher, title, vintage and licence of each source read;
* :func:`checksums_table` - each source's file and SHA-256, and whether it matches the
  manifest;
* :func:`key_figures` - the numbers and sentences the chapters quote (``provenance.*``).
"""

from __future__ import annotations

import pandas as pd

from inequalities.topics.base import EditionData

SOURCE_COLUMNS = {"publisher": "Publisher", "title": "Title", "vintage": "Vintage",
                  "licence": "Licence"}


def _present(sources: pd.DataFrame) -> pd.DataFrame:
    if "present" in sources.columns:
        sources = sources[sources["present"].astype(bool)]
    return sources.sort_values("source_id").reset_index(drop=True)


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """Return publisher, title, vintage and licence of each source read, by source id."""
    missing = set(SOURCE_COLUMNS) - set(sources.columns)
    if missing:
        raise ValueError(f"sources table lacks column(s) {sorted(missing)}; it should come "
                         "from Dataset.sources (the manifest)")
    return _present(sources)[list(SOURCE_COLUMNS)].rename(columns=SOURCE_COLUMNS)


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


def key_figures(ed: EditionData, sources: pd.DataFrame) -> dict[str, str]:
    """The provenance chapter's key figures from the :func:`sources_table` of edition ``ed``.

    ``provenance.sources``: how many sources were read; ``provenance.demo_notice``: whether
    the figures are demonstration data or official statistics.
    """
    return {"provenance.sources": str(len(sources)),
            "provenance.demo_notice": DEMO_NOTICE if ed.data.is_demo else OFFICIAL_NOTICE}
