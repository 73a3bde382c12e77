"""Tables of data sources and checksums for the Methods and Provenance chapters.

Both come from the manifest the edition was loaded with (``Dataset.sources``), so the
report lists exactly the files it read, with their publisher, vintage and licence.
"""

from __future__ import annotations

import pandas as pd

SOURCE_COLUMNS = {"publisher": "Publisher", "title": "Title", "vintage": "Vintage",
                  "licence": "Licence"}


def _present(sources: pd.DataFrame) -> pd.DataFrame:
    if "present" in sources.columns:
        sources = sources[sources["present"].astype(bool)]
    return sources.sort_values("source_id").reset_index(drop=True)


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """Publisher, title, vintage and licence of each source that was read, by source id."""
    missing = set(SOURCE_COLUMNS) - set(sources.columns)
    if missing:
        raise ValueError(f"sources table lacks column(s) {sorted(missing)}; it should come "
                         "from Dataset.sources (the manifest)")
    return _present(sources)[list(SOURCE_COLUMNS)].rename(columns=SOURCE_COLUMNS)


def checksums_table(sources: pd.DataFrame, digits: int = 16) -> pd.DataFrame:
    """Source id, file name and the first ``digits`` hex digits of each file's SHA-256."""
    rows = _present(sources)
    return pd.DataFrame({"Source": rows["source_id"], "File": rows["file"],
                         "SHA-256 (start)": rows["sha256"].fillna("").str[:digits]})
