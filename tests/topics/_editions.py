"""Hand-made editions for the key-figure tests: an EditionData from small frames."""

import pandas as pd

from inequalities.data import Dataset, editions
from inequalities.topics.base import EditionData


def edition_data(slug: str, *, national: dict[str, dict[str, float]] | None = None,
                 is_demo: bool = False, **tables: pd.DataFrame) -> EditionData:
    """EditionData of edition ``slug`` with the given Dataset tables (others empty).

    ``national`` maps a measure name to its {group: value} rows.
    """
    empty = pd.DataFrame()
    frames = {name: tables.get(name, empty)
              for name in ("areas", "population", "indicators", "lads", "sources")}
    if "practices" in tables:
        frames["practices"] = tables["practices"]
    dataset = Dataset(**frames, is_demo=is_demo, label="Test data", vintage="2024")
    rows = [{"measure": measure, "group": group, "value": value}
            for measure, values in (national or {}).items() for group, value in values.items()]
    return EditionData(editions.get(slug), dataset,
                       pd.DataFrame(rows, columns=["measure", "group", "value"]))
