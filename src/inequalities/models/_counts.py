"""Prepare one group's count data, guard against the cases statsmodels cannot fit, fit it.

Guards, each turned into a ``note`` on the affected rows rather than a crash:

* a level absent from the group (e.g. no rural areas in London): its indicator column is
  all zero, so it is dropped and its rate ratio reported as not estimable;
* a level with areas but no events (every count zero): the maximum-likelihood rate ratio
  is 0 and its Wald interval does not exist; those areas are set aside (they carry no
  information about the other coefficients once their level has its own parameter) and
  the level is reported as not estimable;
* columns collinear with others in this group (a covariate constant within a region);
* fewer areas than parameters, or no events at all: :class:`GroupProblem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inequalities.models._design import (
    Design,
    GroupProblem,
    Term,
    build_design,
    collinear_columns,
    drop_empty_columns,
    subset,
)
from inequalities.models._fit import CountFit, fit_counts


@dataclass
class GroupFit:
    """A fitted count model for one group, with notes on the columns it could not fit."""

    fit: CountFit
    design: Design
    expected: list[tuple[str, tuple]]  # (column name, meaning) of the exposure columns
    notes: dict[str, str] = field(default_factory=dict)  # column name -> why not estimable
    events: float = 0.0

    def index(self, name: str) -> int | None:
        """Position of a column in the fitted design, or None if it was dropped."""
        try:
            return self.design.names.index(name)
        except ValueError:
            return None


def fit_group_counts(
    group: pd.DataFrame,
    *,
    count: str,
    population: str,
    exposures: Sequence[Term],
    adjust: Sequence[Term],
    within: Term | None,
    family: str,
    threshold: float,
) -> GroupFit:
    """Fit the count model on one group after the guards described in the module docstring."""
    y = group[count].to_numpy(dtype=float)
    offset = np.log(group[population].to_numpy(dtype=float))
    if len(y) == 0:
        raise GroupProblem("no areas in this group")
    if y.sum() <= 0:
        raise GroupProblem(
            f"no events in this group ({len(y)} area(s), every {count!r} is 0): "
            "rate ratios are not estimable; combine with a larger group"
        )
    design = build_design(group, exposures, adjust, within)
    expected = [
        (name, meaning)
        for name, meaning in zip(design.names, design.meaning, strict=True)
        if name != "Intercept" and meaning[3] != "__adjust__"
    ]
    notes: dict[str, str] = {}

    # Levels present but without events: set their areas aside.
    indicator = np.array([m[1] is not None for m in design.meaning])
    if indicator.any():
        block = design.matrix[:, indicator]
        present = block.sum(axis=0) > 0
        events = y @ block
        zero = present & (events <= 0)
        if zero.any():
            names = np.array(design.names)[indicator][zero]
            for name in names:
                notes[name] = "no events among the areas at this level: not estimable"
            rows = (block[:, zero] != 0).any(axis=1)
            keep = ~rows
            group = group.loc[keep]
            y, offset = y[keep], offset[keep]
            design = Design(design.matrix[keep], design.names, design.meaning)
            if y.size == 0:
                raise GroupProblem("every area is at a level without events")

    before = list(design.names)
    design, dropped = drop_empty_columns(design)
    for i in dropped:
        notes.setdefault(before[i], "no areas at this level in this group: not estimable")

    collinear = collinear_columns(design.matrix)
    if collinear:
        for i in collinear:
            notes.setdefault(
                design.names[i],
                "collinear with other terms in this group (e.g. constant within it): not estimable",
            )
        design = subset(design, [i for i in range(len(design.names)) if i not in collinear])

    n, p = design.matrix.shape
    if n <= p:
        raise GroupProblem(
            f"too few areas: {n} area(s) for {p} parameter(s); fit a larger group "
            "(e.g. without `by`) or use fewer adjustment terms"
        )
    try:
        fit = fit_counts(y, design.matrix, offset, family=family, threshold=threshold)
    except (np.linalg.LinAlgError, ValueError, FloatingPointError) as error:
        raise GroupProblem(f"statsmodels could not fit this group ({error})") from error
    return GroupFit(fit=fit, design=design, expected=expected, notes=notes, events=float(y.sum()))
