"""The ``derive`` command line: parse, call the library, render — nothing else.

Every subcommand is a pair of private functions: ``_add_<name>(subparsers)`` builds its
parser and sets ``run``; ``_run_<name>(args)`` calls the library and prints. Exit codes:
0 success, 1 a definite negative result, 2 bad input or usage (one line on stderr, no
traceback), 3 undecided.
"""

import argparse
import json
import sys

from . import __version__
from .errors import DeriveError

__all__ = ["main"]

OK, NEGATIVE, USAGE, UNDECIDED = 0, 1, 2, 3


class _UsageError(Exception):
    """Raised by the parser instead of printing usage and exiting."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(f"{self.prog}: {message}")


def _print(text):
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# -- derive (no subcommand): the lab's results -------------------------------------------

def _run_lab(args):
    from .lab import lab_json, lab_results, lab_text

    results = lab_results()
    _print(json.dumps(lab_json(results), indent=2) if args.format == "json" else lab_text(results))
    return OK


# -- derive show ---------------------------------------------------------------------------

def _binding(text):
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier() or not value.strip():
        raise argparse.ArgumentTypeError(f"--set takes NAME=EXPR, e.g. c=3*n; got {text!r}")
    return name.strip(), value.strip()


def _add_show(subparsers):
    parser = subparsers.add_parser(
        "show", help="derive a model's break-even, crossover and asymptote",
        description="Derive a preset model with some parameters bound, e.g. --set c=3*n.")
    parser.add_argument("model", nargs="?", default="cuda-graph", help="a preset (default: cuda-graph)")
    parser.add_argument("--set", dest="bindings", metavar="NAME=EXPR", action="append",
                        type=_binding, default=[], help="bind a parameter (repeatable)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=_run_show)


def _run_show(args):
    from .derivation import derive
    from .render import render

    names = [name for name, _ in args.bindings]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"--set binds {', '.join(repeated)} more than once")
    _print(render(derive(args.model, **dict(args.bindings)), args.format))
    return OK


# -- derive measure ------------------------------------------------------------------------

def _add_measure(subparsers):
    parser = subparsers.add_parser(
        "measure", help="time a launch on this machine: put microseconds on the unit",
        description="Time a no-op Python call, a call stack 300 deep, a tiny torch.mm on the "
                    "CPU and, with --cuda and a GPU, a kernel launch and eager vs graph runs "
                    "held against the model. Progress goes to stderr.")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter samples (seconds)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--cuda", action="store_true",
                        help="also measure on the GPU (torch with CUDA; reported as null without one)")
    parser.set_defaults(run=_run_measure)


def _run_measure(args):
    from .measure import format_text, measure, progress_printer

    result = measure(quick=args.quick, cuda=args.cuda, progress=progress_printer(sys.stderr))
    _print(json.dumps(result.as_dict(), indent=2) if args.format == "json" else format_text(result))
    return OK


_COMMANDS = (_add_show, _add_measure)


def _parser():
    parser = _Parser(
        prog="derive",
        description="Derive, prove, render and check the economics of pay once, save on every "
                    "repeat. With no command: the lab's results, derived.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output of the main job (default: text)")
    parser.set_defaults(run=_run_lab)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for add in _COMMANDS:
        add(subparsers)
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except _UsageError as error:
        print(f"{error}  (see 'derive --help')", file=sys.stderr)
    except (ValueError, TypeError, DeriveError, OSError) as error:
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"derive: error: {message}", file=sys.stderr)
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    return USAGE
