"""Design matrices for the models, built with numpy from tidy columns (no formula engine).

Building the matrices ourselves keeps the fits fast on England-sized data (~33,000 rows),
lets us name every column for the tidy output, and lets us detect levels that are absent
from a group or have no events *before* statsmodels sees them.

Conventions
-----------
* A term is a column name. Numeric columns enter linearly (one coefficient per unit);
  bool, string and categorical columns enter as indicator (dummy) columns against a
  reference level. Write ``"C(column)"`` to force a numeric column to be categorical
  (for example ``"C(imd_decile)"``).
* The default reference level of a categorical term is the level holding the largest
  population in the whole input (``Urban``, ``A1``, not coastal ...), ties broken by sort
  order; it is fixed before any ``by`` split so every group uses the same reference.
* The levels of a categorical term are its observed values, sorted, or, for a pandas
  ``Categorical`` column, all its declared categories. Declaring the categories is how
  a slice that lacks a level (London has no rural areas) still gets a flagged row for
  that level instead of an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

_FORCED = re.compile(r"^C\((?P<column>.+)\)$")


class GroupProblem(Exception):
    """Raised inside one group's fit when the data cannot support the model.

    Converted into a flagged note row when fitting ``by`` groups, or into a
    :class:`ValueError` when the whole input is one group.
    """


@dataclass(frozen=True)
class Term:
    """One model term: a column, entered linearly or as indicator columns."""

    label: str
    column: str
    categorical: bool
    levels: tuple = ()
    reference: object = None


@dataclass
class Design:
    """A design matrix with named columns and the meaning of each column."""

    matrix: np.ndarray
    names: list[str]
    # per column: (variable, level, reference, within-level); level None for numeric terms
    meaning: list[tuple[str, object, object, object]] = field(default_factory=list)


def as_list(value: str | Sequence[str] | None) -> list[str]:
    """Normalise a column-or-columns argument to a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def parse_term(term: str) -> tuple[str, bool]:
    """Split ``"C(col)"`` into ``("col", True)``; a bare name gives ``(name, False)``."""
    match = _FORCED.match(term.strip())
    if match:
        return match.group("column").strip(), True
    return term, False


def is_categorical(series: pd.Series) -> bool:
    """Tell whether a column is categorical (bool, string, object, categorical)."""
    return not ptypes.is_numeric_dtype(series) or ptypes.is_bool_dtype(series)


def _sorted_levels(series: pd.Series) -> list:
    levels = pd.unique(series.dropna())
    try:
        return sorted(levels.tolist())
    except TypeError:  # mixed types: fall back to string order
        return sorted(levels.tolist(), key=str)


def make_term(
    frame: pd.DataFrame,
    label: str,
    weights: pd.Series,
    reference: Mapping[str, object] | None = None,
) -> Term:
    """Resolve a term label against ``frame`` (levels and reference from the whole frame)."""
    column, forced = parse_term(label)
    if column not in frame.columns:
        raise ValueError(
            f"term {label!r}: column {column!r} is not in the data "
            f"(columns are {sorted(map(str, frame.columns))}); pass an existing column name"
        )
    series = frame[column]
    if not (forced or is_categorical(series)):
        return Term(label=column, column=column, categorical=False)
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = list(series.cat.categories)  # all declared levels, in declared order
    else:
        levels = _sorted_levels(series)
    if reference is not None and column in reference:
        ref = reference[column]
        if ref not in levels:
            raise ValueError(
                f"reference level {ref!r} for column {column!r} is not among its levels "
                f"{levels}; choose one of them"
            )
    else:
        totals = weights.groupby(series.to_numpy(), sort=True).sum()
        ref = totals.index[int(np.argmax(totals.to_numpy()))] if len(totals) else None
        if isinstance(ref, np.generic):
            ref = ref.item()
    return Term(label=column, column=column, categorical=True, levels=tuple(levels), reference=ref)


def _indicator(values: np.ndarray, level: object) -> np.ndarray:
    return (values == level).astype(float)


def build_design(
    frame: pd.DataFrame,
    exposures: Sequence[Term],
    adjust: Sequence[Term],
    within: Term | None = None,
    intercept: bool = True,
) -> Design:
    """Build the design matrix: intercept, exposures (optionally nested in ``within``), adjust.

    With ``within`` (for example region), each exposure column is multiplied by the
    indicator of each ``within`` level, so that its coefficient is the exposure's effect
    *inside* that level (the rurality x region interaction written in its nested form),
    and ``within`` itself enters as a main effect.
    """
    n = len(frame)
    columns: list[np.ndarray] = []
    names: list[str] = []
    meaning: list[tuple[str, object, object, object]] = []
    if intercept:
        columns.append(np.ones(n))
        names.append("Intercept")
        meaning.append(("Intercept", None, None, None))

    within_values = frame[within.column].to_numpy() if within is not None else None
    within_levels = list(within.levels) if within is not None else [None]

    def exposure_columns(term: Term) -> list[tuple[np.ndarray, str, object]]:
        values = frame[term.column].to_numpy()
        if not term.categorical:
            return [(values.astype(float), term.column, None)]
        return [
            (_indicator(values, level), f"{term.column}[{level}]", level)
            for level in term.levels
            if level != term.reference
        ]

    for term in exposures:
        for base, name, level in exposure_columns(term):
            for wlevel in within_levels:
                if within is None:
                    columns.append(base)
                    names.append(name)
                else:
                    columns.append(base * _indicator(within_values, wlevel))
                    names.append(f"{name}:{within.column}[{wlevel}]")
                meaning.append((term.column, level, term.reference, wlevel))

    extra = list(adjust) + ([within] if within is not None else [])
    for term in extra:
        for base, name, level in exposure_columns(term):
            columns.append(base)
            names.append(name)
            meaning.append((term.column, level, term.reference, "__adjust__"))

    matrix = np.column_stack(columns) if columns else np.empty((n, 0))
    return Design(matrix=matrix, names=names, meaning=meaning)


def drop_empty_columns(design: Design, keep: np.ndarray | None = None) -> tuple[Design, list[int]]:
    """Remove all-zero columns (levels absent from this group); return dropped indices."""
    nonzero = np.any(design.matrix != 0, axis=0)
    if keep is not None:
        nonzero &= keep
    dropped = [i for i, ok in enumerate(nonzero) if not ok]
    if not dropped:
        return design, []
    idx = np.flatnonzero(nonzero)
    return (
        Design(
            matrix=design.matrix[:, idx],
            names=[design.names[i] for i in idx],
            meaning=[design.meaning[i] for i in idx],
        ),
        dropped,
    )


def collinear_columns(matrix: np.ndarray, tol: float = 1e-9) -> list[int]:
    """Find columns that are (near) linear combinations of *earlier* columns.

    Works on the scaled cross-product matrix X'X (p x p, cheap for tall X): column j is
    dependent when its squared residual norm after projection on the kept earlier
    columns is below ``tol`` (columns scaled to unit norm). Checking in column order
    means exposures, which come first, are kept and adjustment terms dropped.
    """
    p = matrix.shape[1]
    if p == 0:
        return []
    scale = np.sqrt((matrix**2).sum(axis=0))
    zero = scale == 0
    scale[zero] = 1.0
    scaled = matrix / scale
    gram = scaled.T @ scaled
    kept: list[int] = []
    dependent: list[int] = []
    for j in range(p):
        if zero[j]:
            dependent.append(j)
            continue
        if kept:
            sub = gram[np.ix_(kept, kept)]
            cross = gram[kept, j]
            residual = gram[j, j] - cross @ np.linalg.lstsq(sub, cross, rcond=None)[0]
        else:
            residual = gram[j, j]
        if residual < tol:
            dependent.append(j)
        else:
            kept.append(j)
    return dependent


def subset(design: Design, keep_columns: Sequence[int]) -> Design:
    """Keep only the given column indices."""
    idx = list(keep_columns)
    return Design(
        matrix=design.matrix[:, idx],
        names=[design.names[i] for i in idx],
        meaning=[design.meaning[i] for i in idx],
    )


def require_contrast(terms: Sequence[Term], what: str) -> None:
    """Raise ValueError if a categorical exposure has no level besides its reference."""
    for term in terms:
        if term.categorical and len(term.levels) < 2:
            raise ValueError(
                f"{what}: exposure {term.column!r} has a single level {list(term.levels)} in "
                "these data, so there is no contrast to estimate (e.g. a region without "
                "rural areas). Give the column a pandas Categorical dtype listing every "
                "level to get a flagged row instead, or choose another exposure."
            )
