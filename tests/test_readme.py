"""The README's Python examples run, and say what they show."""

import doctest
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_examples():
    result = doctest.testfile(str(README), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 5
    assert result.failed == 0


# -- a new user: `pip install .`, then every README command from an empty folder (issue 14) ---

def test_every_readme_command_runs_after_pip_install_from_an_empty_folder(tmp_path):
    """The package is installed from this tree with pip (no dependencies: they are this
    environment's), and each README command runs in a folder outside the clone, in order,
    as a reader would type them: ``derive examples copy examples`` first gives them the files."""
    import os
    import subprocess
    import sys

    from tests.readme_commands import commands, replay

    root = README.parent
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(root)],
                   check=True, capture_output=True, timeout=600, cwd=tmp_path)
    env = {**os.environ, "PATH": f"{target / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(target), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    home = tmp_path / "student"
    home.mkdir()
    where = subprocess.run([sys.executable, "-c", "import derive, shutil; print(derive.__file__); "
                            "print(shutil.which('derive'))"], env=env, cwd=home,
                           capture_output=True, text=True, check=True).stdout.split()
    assert all(path.startswith(str(target)) for path in where), where    # the installed copy

    listed = commands()
    assert listed.index("derive examples copy examples") < listed.index("derive verify examples/lab_impl.py")
    records = replay(listed, home, examples=False, env=env)
    try:
        import torch  # noqa: F401
        measured_unit_ok = True
    except ImportError:
        measured_unit_ok = False                                          # a Python call: refused
    expected = {
        "derive check crossover 'ceil(c/(n-1))' --assume 'n >= 2'": 1,   # not equivalent
        "derive check crossover 'ceil((c-1)/(n-1))'": 1,                  # the ceiling of the root
        "derive check break_even 1 --set c=n": 1,                         # no root at n = 1
        "derive steps examples/crossover-steps-wrong.txt": 1,            # a step does not follow
        "derive plot --unit-us measured.json --out crossover-us.png": 0 if measured_unit_ok else 2,
    }
    failures = [(r["command"], r["exit"], r["stderr"][-300:]) for r in records
                if r["exit"] != expected.get(r["command"], 0) or "Traceback" in r["stderr"]]
    assert failures == []
    assert len(records) >= 25
