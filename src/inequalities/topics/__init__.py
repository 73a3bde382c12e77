"""Topics: what each chapter of the report computes for an edition.

One module per analysis chapter, named as its notebook in ``analysis/`` is:
:mod:`~inequalities.topics.population`, :mod:`~inequalities.topics.access`,
:mod:`~inequalities.topics.outcomes`, :mod:`~inequalities.topics.inequality`,
:mod:`~inequalities.topics.adjusted_gaps`, :mod:`~inequalities.topics.trends`,
:mod:`~inequalities.topics.breakdowns` (deprivation, age, sex and ethnicity; and so on).
Each takes an edition's inputs (:class:`~inequalities.topics.base.EditionData`, loaded by
:func:`inequalities.topics.edition.load`) and returns tidy DataFrames and the key figures
its chapter quotes, using the statistics in :mod:`inequalities.methods` and
:mod:`inequalities.models` and the house style in :mod:`inequalities.report`.

Shared by every topic: :mod:`~inequalities.topics.base` (the edition's inputs and the
national-measure record), :mod:`~inequalities.topics.national` (England's comparators,
collected from each topic's ``MEASURES``), :mod:`~inequalities.topics.edition` (loading and
fingerprinting an edition) and :mod:`~inequalities.topics._places` (summaries by type of
place).
"""
