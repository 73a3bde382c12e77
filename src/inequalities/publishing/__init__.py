"""Publishing editions: plan, cache, run the notebooks, render, publish.

One path builds one edition or all of them (``inequalities build --edition SLUG`` or
``--all``):

* :mod:`~inequalities.publishing.cli` checks the options and makes a
  :class:`~inequalities.publishing.plan.BuildRequest`;
* :mod:`~inequalities.publishing.plan` fingerprints the editions' data and keys every step
  (:mod:`~inequalities.publishing.keys`), reusing what is already published;
* :mod:`~inequalities.publishing.runner` locks the output folder and runs the jobs, in this
  process, a local process pool or a Dask cluster;
* :mod:`~inequalities.publishing.worker` builds one edition: notebooks
  (:mod:`~inequalities.publishing.notebooks`), then each format through an engine
  (:mod:`~inequalities.publishing.engine_quarto` or
  :mod:`~inequalities.publishing.engine_pandoc`), taking and filling the step cache
  (:mod:`~inequalities.publishing.cache`), and publishes it atomically
  (:mod:`~inequalities.publishing.publish`);
* :mod:`~inequalities.publishing.site_index` writes the landing page;
  :mod:`~inequalities.publishing.diff` compares two builds.
"""
