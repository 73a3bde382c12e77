"""Building editions: run the analysis notebooks, render the chapters, publish.

Public entry point: :func:`inequalities.build.pipeline.build_edition`.
"""
