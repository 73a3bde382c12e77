"""Plan a build: which editions, which steps, and which of them are already done.

Every build, of one edition or of all, is planned here and run by
:mod:`inequalities.publishing.runner`:

1. :func:`fingerprints` loads the data once and computes, for every edition, one
   fingerprint per notebook (:func:`inequalities.topics.edition.fingerprints`: its slice
   cut to what the notebook reads, and England's comparators);
2. :func:`plan` turns each requested edition into an
   :class:`~inequalities.publishing.worker.EditionJob` carrying the key of each of its steps
   (:mod:`inequalities.publishing.keys`): each notebook, then one render per format;
3. :func:`is_current` says whether the published copy was made from exactly those keys,
   in which case the edition is reused untouched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inequalities.data import editions
from inequalities.publishing import keys, provenance
from inequalities.publishing import project as project_mod
from inequalities.publishing.cache import StepCache, default_root
from inequalities.publishing.worker import EditionJob


@dataclass(frozen=True)
class BuildRequest:
    """A validated request to build one or more editions (one path for both)."""

    editions: tuple[editions.Edition, ...]
    formats: tuple[str, ...]
    renderer: str
    data_dir: Path | None
    out_dir: Path
    seed: int
    jobs: int
    force: bool = False
    executor: str = "local"
    scheduler: str | None = None
    cache_dir: Path | None = None
    #: A fresh kernel per notebook (the naive baseline of benchmarks/bench_build.py).
    fresh_kernels: bool = False
    #: Build even though the data fail validation (every page then says so).
    accept_unverified: bool = False


class DataNotValid(ValueError):
    """The data fail validation (or their manifest checksums): nothing is built."""


def verify_data(request: BuildRequest) -> list[str]:
    """Validate ``request``'s data folder with the code of ``inequalities data validate``.

    Returns the problems (one line each: file, row, column, rule) when the user accepted
    unverified data; raises :class:`DataNotValid` with the first of them otherwise. The
    embedded demonstration data are valid by construction (their tests check it).
    """
    if request.data_dir is None:
        return []
    problems = validation_problems(request.data_dir)
    if problems and not request.accept_unverified:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DataNotValid(
            f"the data in {request.data_dir} fail validation: {problems[0]}{more}; correct "
            f"the data (list every problem with 'inequalities data validate "
            f"{request.data_dir}') or build anyway with --accept-unverified")
    return problems


def _validation_key(data_dir: Path) -> str:
    """SHA-256 of what validating ``data_dir`` depends on: the library (the rules), the
    shipped manifests and the names and bytes of every file in the folder (its own
    ``manifest.toml`` included). Content only, never sizes or modification times."""
    import hashlib

    from inequalities.data.digests import files_digest
    from inequalities.data.manifest import shipped_manifests

    shipped = shipped_manifests()
    manifests = files_digest(Path("/"), [p.resolve() for p in shipped.values()])
    files = files_digest(data_dir, (p for p in data_dir.rglob("*") if p.is_file()))
    return hashlib.sha256(f"validation-1\0{keys.library_digest()}\0{manifests}\0{files}"
                          .encode()).hexdigest()


def validation_problems(data_dir: Path) -> list[str]:
    """The problems :func:`inequalities.data.validate.validate_dir` finds in ``data_dir``,
    one line each; memoised by content in the data cache (``validated/KEY.json``).

    Validating the national data parses every file again (seconds), while hashing them
    takes a quarter of a second, so a rebuild of unchanged data reads the memo instead.
    The key is :func:`_validation_key` (file bytes, never sizes or times): any changed
    byte validates again, and then only the changed files parse again (each file's own
    problems and codes are memoised under ``validated/sources/``).
    """
    from inequalities.data._files import write_atomically
    from inequalities.data.dataset import default_cache_dir
    from inequalities.data.validate import validate_dir

    memo = default_cache_dir() / "validated" / f"{_validation_key(data_dir)}.json"
    try:
        problems = json.loads(memo.read_text(encoding="utf-8"))
        if isinstance(problems, list) and all(isinstance(p, str) for p in problems):
            return problems
    except (OSError, ValueError):
        pass
    # Each file's own checks are remembered too, so when one file changed only that file
    # is validated again (the rules across files still see every file's codes).
    problems = [str(problem) for problem in
                validate_dir(data_dir, memo=default_cache_dir() / "validated" / "sources")]
    try:
        write_atomically(memo, lambda tmp: tmp.write_text(json.dumps(problems),
                                                          encoding="utf-8"))
    except OSError:  # a read-only cache only costs the time
        pass
    return problems


_FINGERPRINTS: dict[str, dict[str, dict[str, str]]] = {}


def _fingerprints_known(request: BuildRequest, cache: StepCache,
                        notebooks: tuple[str, ...]) -> bool:
    state = _prints_key(request, notebooks)
    return state in _FINGERPRINTS or cache.get("fingerprints", state) is not None


def _data_state(request: BuildRequest) -> str:
    """SHA-256 of what the dataset is made from: the library (loaders, slicing, measures,
    demonstration generator), the seed, the data vintage ($INEQUALITIES_VINTAGE) and the
    names and bytes of the data files.

    Content, never path, size or modification time: a file edited in place keeping its
    size and time (``cp -p``, ``rsync -a``, ``tar``) still changes the state.
    """
    import hashlib
    import os

    from inequalities.data.digests import files_digest
    from inequalities.data.manifest import VINTAGE_ENV

    data = request.data_dir
    files = (files_digest(data, (p for p in data.rglob("*") if p.is_file()))
             if data is not None else "demonstration data")
    vintage = os.environ.get(VINTAGE_ENV, "")
    return hashlib.sha256(f"{keys.library_digest()}\0{request.seed}\0{vintage}\0{files}"
                          .encode()).hexdigest()


def _prints_key(request: BuildRequest, notebooks: tuple[str, ...]) -> str:
    """The memo key of the requested editions' fingerprints: the data state, the slugs and
    the notebooks' names (what each reads is library code, in the data state).

    Only the requested editions (and England, which every edition compares with) are
    fingerprinted: slicing and hashing all 59 editions takes seconds that a one-edition
    build should not pay.
    """
    import hashlib

    slugs = ",".join(sorted({"england", *(e.slug for e in request.editions)}))
    return hashlib.sha256(f"{_data_state(request)}\0{slugs}\0{','.join(notebooks)}"
                          .encode()).hexdigest()


#: Fingerprints by edition slug, then by notebook.
Prints = dict[str, dict[str, str]]


def _copy(prints: Prints) -> Prints:
    return {slug: dict(found) for slug, found in prints.items()}


def fingerprints(request: BuildRequest, notebooks: tuple[str, ...],
                 cache: StepCache | None = None,
                 on_print: Callable[[str, dict[str, str]], None] | None = None) -> Prints:
    """Data fingerprints of England and each requested edition, one per notebook
    (``notebooks``: the analysis notebooks' stems; see
    :func:`inequalities.topics.edition.fingerprints`), from one load of the data.

    Slicing and hashing every edition takes a few seconds, so the fingerprints are memoised
    in the step cache under :func:`_data_state`: any change to a data file's bytes, the
    seed or the library computes them afresh, and so does ``--force``. When computing,
    ``on_print(slug, prints)`` is called as each edition's are ready, England first, so its
    work can start while the others are sliced. Every edition compares itself with the
    previous data vintage (:mod:`inequalities.topics.vintages`), so the checksums of that
    vintage's files join each fingerprint.
    """
    state = _prints_key(request, notebooks)
    if state in _FINGERPRINTS and not request.force:
        return _copy(_FINGERPRINTS[state])
    entry = (cache.get("fingerprints", state)
             if cache is not None and not request.force else None)
    if entry is not None:
        prints = json.loads((entry / "fingerprints.json").read_text(encoding="utf-8"))
        _FINGERPRINTS[state] = prints
        return _copy(prints)
    import hashlib

    from inequalities.data import load
    from inequalities.topics import edition as editiondata
    from inequalities.topics import vintages

    dataset = load(request.data_dir, seed=request.seed, use_cache=not request.force)
    previous = vintages.previous_key(request.data_dir, dataset.vintage_id)

    def with_previous(found: dict[str, str]) -> dict[str, str]:
        if not previous:
            return found
        return {name: hashlib.sha256(f"{fingerprint}\0{previous}".encode()).hexdigest()
                for name, fingerprint in found.items()}

    # Each row of the large tables is hashed once; an edition's fingerprint picks its rows'
    # hashes instead of cutting and hashing its own copy of them.
    hashes = editiondata.row_hashes(dataset)
    national = editiondata.comparators(dataset)  # also stored for the notebooks' kernels
    prints: Prints = {}
    for edition in (editions.get("england"),
                    *(e for e in request.editions if not e.is_england)):
        prints[edition.slug] = with_previous(
            editiondata.fingerprints_of(edition, dataset, national, hashes, notebooks))
        if on_print is not None:
            on_print(edition.slug, prints[edition.slug])
    if cache is not None:
        import tempfile

        # In the cache's own temporaries (named by pid), which the next build removes if
        # this one is killed here, not in the system's temporary folder.
        (cache.root / ".tmp").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f"{os.getpid()}-", dir=cache.root / ".tmp") as tmp:
            path = Path(tmp) / "fingerprints.json"
            path.write_text(json.dumps(prints, indent=1, sort_keys=True), encoding="utf-8")
            cache.put("fingerprints", state, [(path, "fingerprints.json")])
    _FINGERPRINTS[state] = prints
    return _copy(prints)


def engine_identity(renderer: str) -> tuple[str, dict[str, str]]:
    """Name and tool versions of the engine ``renderer`` picks, for the render keys.

    Chosen as the worker does (``auto`` prefers Quarto when it is on PATH). The pandoc
    engine's tools are wheels, so their distribution versions name them
    (``pypandoc_binary`` bundles pandoc); Quarto is asked for its version. Importing the
    engines is left to the workers: it costs about a second.
    """
    import shutil
    import subprocess
    from importlib import metadata

    versions = {}
    for dist in ("pypandoc_binary", "typst", "vl-convert-python"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "absent"
    quarto = shutil.which("quarto")
    if renderer == "quarto" or (renderer == "auto" and quarto):
        result = (subprocess.run([quarto, "--version"], capture_output=True, text=True,
                                 check=False) if quarto else None)
        versions["quarto"] = (result.stdout.strip() or "unknown") if result else "absent"
        return "quarto", versions
    return "pandoc", versions


@dataclass(frozen=True)
class _PlanContext:
    request: BuildRequest
    project: project_mod.Project
    engine: str
    versions: dict[str, str]
    commit: str
    chapters: str
    facts: dict[str, str]
    cache_root: Path
    #: The analysis notebooks' file names and bytes, read once for every edition's keys.
    sources: dict[str, bytes]
    unverified: tuple[str, ...] = ()


def notebook_names(project: project_mod.Project) -> tuple[str, ...]:
    """The analysis notebooks' stems: the names fingerprints and ``READS`` go by."""
    return tuple(path.stem for path in project.notebooks)


def _context(request: BuildRequest, project: project_mod.Project,
             unverified: tuple[str, ...] = ()) -> _PlanContext:
    engine_name, versions = engine_identity(request.renderer)
    commit = provenance.git_commit(project.root)
    return _PlanContext(
        request=request, project=project, engine=engine_name, versions=versions,
        commit=commit, chapters=keys.project_digest(project.root, project.chapters),
        facts={"git_commit": commit, "build_date": provenance.build_date(),
               "data_dir": provenance.data_label(request.data_dir),
               # the notice on every page of a report built from data failing validation
               "unverified": "\n".join(unverified)},
        cache_root=request.cache_dir or default_root(request.out_dir),
        sources={path.name: path.read_bytes() for path in project.notebooks},
        unverified=unverified)


def _plan_one(ctx: _PlanContext, slug: str, prints: dict[str, str]) -> EditionJob:
    request = ctx.request
    notebook_keys = {name: keys.notebook_key(fingerprint=prints[Path(name).stem],
                                             notebook=name, source=source, seed=request.seed)
                     for name, source in ctx.sources.items()}
    nb_key = keys.notebooks_key(notebook_keys)
    render_keys = {fmt: keys.render_key(notebook_key=nb_key, project=ctx.chapters,
                                        engine=ctx.engine, engine_versions=ctx.versions,
                                        fmt=fmt, facts=ctx.facts)
                   for fmt in request.formats}
    return EditionJob(
        slug=slug, formats=request.formats, engine=ctx.engine, engine_versions=ctx.versions,
        data_dir=str(request.data_dir) if request.data_dir else None, seed=request.seed,
        out_dir=request.out_dir, cache_root=ctx.cache_root, project_root=ctx.project.root,
        notebook_key=nb_key, notebook_keys=notebook_keys, render_keys=render_keys,
        git_commit=ctx.commit,
        force=request.force, fresh_kernels=request.fresh_kernels,
        unverified=ctx.unverified)


def plan(request: BuildRequest, project: project_mod.Project,
         prints: Prints) -> list[EditionJob]:
    """One :class:`EditionJob` per requested edition with its step keys."""
    ctx = _context(request, project, tuple(verify_data(request)))
    return [_plan_one(ctx, e.slug, prints[e.slug]) for e in request.editions]


def is_current(job: EditionJob) -> bool:
    """True when ``OUT/<slug>`` was published from exactly this job's step keys and
    still holds exactly the files its provenance lists, byte for byte."""
    folder = job.out_dir / job.slug
    try:
        record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = {"notebooks": job.notebook_key,
              **{f"render-{f}": k for f, k in job.render_keys.items()}}
    return (isinstance(record, dict) and record.get("cache_keys") == wanted
            and all((folder / f"report.{f}").is_file() for f in job.formats)
            and provenance.files_intact(folder, record.get("files")))
