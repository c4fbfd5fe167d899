"""setup.cfg has the metadata; this adds what it cannot say: examples/ ships in the package.

The example files live at the top of the repository (where the README points), and are
installed as the package data ``derive/examples/``, so that ``derive examples`` finds them
after a plain ``pip install``. All the package data is listed here: a ``package_data``
given to ``setup()`` replaces the one of setup.cfg rather than adding to it.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["derive", "derive.*", "proofs"]) + ["derive.examples"],
    package_dir={"derive.examples": "examples"},
    package_data={
        "derive.examples": ["*"],
        "derive.serve": ["static/*.js", "static/*.css"],             # the practice pages' script
        "derive.authoring": ["lab_templates/*.txt"],                 # derive lab new's files
    },
)
