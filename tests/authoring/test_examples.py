"""The example files ship with derive (issue 14.2): listed, shown and copied from anywhere."""

from pathlib import Path

import pytest

from derive.authoring.examples import (
    EXAMPLES,
    copy_examples,
    example_path,
    examples_dir,
)
from derive.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_every_example_file_is_listed_and_every_listed_one_exists():
    assert sorted(EXAMPLES) == sorted(p.name for p in (ROOT / "examples").iterdir() if p.is_file())
    for name in EXAMPLES:
        assert example_path(name).is_file()
    assert examples_dir().name == "examples"


def test_list_show_and_copy_from_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["examples", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == sorted(EXAMPLES)
    assert main(["examples", "show", "ladder.toml"]) == 0
    assert capsys.readouterr().out == (ROOT / "examples" / "ladder.toml").read_text()
    assert main(["examples", "copy", "examples"]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == len(EXAMPLES)
    for name in EXAMPLES:
        assert (tmp_path / "examples" / name).read_bytes() == (ROOT / "examples" / name).read_bytes()
    assert main(["examples", "copy", "examples"]) == 0                 # again: nothing to do
    assert "already" in capsys.readouterr().out


def test_copy_never_overwrites_a_changed_file_unless_forced(tmp_path, capsys):
    (tmp_path / "lab_impl.py").write_text("# my own work\n")
    with pytest.raises(ValueError, match="lab_impl.py already in .* and different; --force overwrites"):
        copy_examples(tmp_path)
    assert (tmp_path / "lab_impl.py").read_text() == "# my own work\n"
    assert main(["examples", "copy", str(tmp_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    copy_examples(tmp_path, force=True)
    assert (tmp_path / "lab_impl.py").read_bytes() == example_path("lab_impl.py").read_bytes()


@pytest.mark.parametrize("argv, message", [
    (["examples", "show", "nope.txt"], "example must be one of"),
    (["examples", "copy"], "derive examples copy needs a directory"),
    (["examples", "show", "crossover.png"], "is an image"),
], ids=["unknown", "no dir", "image"])
def test_bad_input_is_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
