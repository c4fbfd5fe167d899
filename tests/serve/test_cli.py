"""``derive serve``'s options: bad ones end as exit 2 and one line, before anything starts."""

import pytest

from derive.cli import main


@pytest.mark.parametrize("argv, message", [
    (["--port", "99999"], "--port must be a whole number from 0 to 65535, got '99999'"),
    (["--port", "http"], "--port must be a whole number from 0 to 65535"),
    (["--workers", "0"], "--workers must be a number > 0, got '0'"),
    (["--timeout", "nan"], "--timeout must be a number > 0"),
    (["--rate", "-1"], "--rate must be >= 0, got -1.0"),
    (["--memory-mb", "-5"], "--memory-mb must be a number > 0"),
])
def test_bad_options_are_one_line_and_exit_2(capsys, argv, message):
    assert main(["serve", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err, err


def test_help_names_the_extra_and_the_default_host(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "127.0.0.1" in out and "pip install 'derive[serve]'" in out
