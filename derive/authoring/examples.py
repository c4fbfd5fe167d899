"""The example files, shipped with derive: ``derive examples``.

The README's commands use files from ``examples/`` — an implementation to verify, derivation
chains to check, a ladder config. They are installed as package data (``derive/examples/``),
so after a plain ``pip install`` they are one command away, from any directory::

    derive examples --list
    derive examples copy examples        # then every README command runs here

=================  ==============================================================
``EXAMPLES``       ``{name: what it is}`` for every example file
``example_path``   the installed path of one example, by its name
``copy_examples``  copy them (all, or some) into a directory; never overwrites a
                   different file unless asked
=================  ==============================================================

>>> sorted(EXAMPLES)[:3]
['README.md', 'crossover-steps-wrong.txt', 'crossover-steps.txt']
>>> example_path("ladder.toml").name
'ladder.toml'
"""

import shutil
from pathlib import Path

__all__ = ["EXAMPLES", "copy_examples", "example_path", "examples_dir"]

#: Every example file and what it is for.
EXAMPLES = {
    "README.md": "what each example is and the command that regenerates it",
    "crossover-steps-wrong.txt": "a derivation chain with a wrong step: derive steps FILE",
    "crossover-steps.txt": "the crossover derived step by step: derive steps FILE",
    "crossover.png": "the lab's chart, as derive plot draws it",
    "exercises-seed-1.md": "an exercise bank: derive exercises --count 6 --seed 1",
    "lab.ipynb": "a notebook: the derivation, the chart, a check and a verify",
    "lab_impl.py": "a plain implementation of the lab: derive verify FILE, pytest --derive-impl FILE",
    "ladder.toml": "a capture-ladder config: derive ladder --config FILE",
}


def examples_dir():
    """Where the examples are: ``derive/examples`` when installed, ``examples/`` in a clone."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "examples", here.parent / "examples"):
        if (folder / "lab_impl.py").is_file():
            return folder
    raise FileNotFoundError("derive's examples are not installed with this copy of derive")


def example_path(name):
    """The path of the example ``name`` (one of :data:`EXAMPLES`)."""
    if name not in EXAMPLES:
        raise ValueError(f"example must be one of {', '.join(sorted(EXAMPLES))}, got {name!r}")
    return examples_dir() / name


def copy_examples(destination, names=None, *, force=False):
    """Copy the examples ``names`` (default: all) into ``destination``, created if missing.

    A file already there with the same bytes is left alone; one that differs is an error
    unless ``force``. Returns the paths written.
    """
    names = sorted(EXAMPLES) if names is None else list(names)
    sources = [example_path(name) for name in names]
    target = Path(destination)
    if target.exists() and not target.is_dir():
        raise ValueError(f"destination must be a directory, got the file {str(target)!r}")
    clashes = [name for name, source in zip(names, sources)
               if (target / name).exists() and (target / name).read_bytes() != source.read_bytes()]
    if clashes and not force:
        raise ValueError(f"{', '.join(clashes)} already in {target} and different; "
                         "--force overwrites")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in zip(names, sources):
        path = target / name
        if path.exists() and path.read_bytes() == source.read_bytes():
            continue
        shutil.copyfile(source, path)
        written.append(path)
    return written
