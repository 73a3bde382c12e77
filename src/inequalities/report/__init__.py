"""The report's house style: how every chapter says, tabulates and draws its numbers.

* :mod:`~inequalities.report.wording`: plain-English findings that claim only what an
  interval supports, and the formatting of estimates with intervals;
* :mod:`~inequalities.report.outputs`: tables (Markdown for both engines, HTML for
  viewers), the figure and table data downloads and the key-figure files the chapters read;
* :mod:`~inequalities.report.charts`: the Altair charts in the house theme, with the
  renderer that gives each engine a chart it can show.

Nothing here knows about a particular chapter: the topics (:mod:`inequalities.topics`)
decide what to show and call these.
"""
