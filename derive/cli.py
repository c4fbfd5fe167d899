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

    _print(render(derive(args.model, **_unique(args.bindings)), args.format))
    return OK


def _unique(bindings):
    """``--set`` pairs as a dict; a name bound twice is an error."""
    names = [name for name, _ in bindings]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"--set binds {', '.join(repeated)} more than once")
    return dict(bindings)


# -- derive check and derive steps: student work --------------------------------------------

_INPUT_LIMIT = 64 * 1024          # bytes read from a file or standard input, at most


def _read(source, what):
    """The bytes of ``source`` (a path, or ``-`` for standard input), at most the limit."""
    if source == "-":
        data = sys.stdin.buffer.read(_INPUT_LIMIT + 1)
    else:
        with open(source, "rb") as handle:
            data = handle.read(_INPUT_LIMIT + 1)
    if len(data) > _INPUT_LIMIT:
        raise ValueError(f"the {what} is longer than {_INPUT_LIMIT} bytes")
    return data


def _add_student_options(parser):
    parser.add_argument("--model", default="cuda-graph", help="a preset (default: cuda-graph)")
    parser.add_argument("--set", dest="bindings", metavar="NAME=EXPR", action="append",
                        type=_binding, default=[], help="bind a parameter (repeatable)")
    parser.add_argument("--assume", metavar="A", action="append", default=[],
                        help="narrow the domain: 'n >= 2', 'c > 1/2', 'c integer' (repeatable)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _add_check(subparsers):
    parser = subparsers.add_parser(
        "check", help="check an answer: equivalent, not equivalent (with a counterexample), undecided",
        description="Check ANSWER (plain text or LaTeX; '-' reads standard input) for QUANTITY. "
                    "Exit 0 equivalent, 1 not equivalent, 3 undecided, 2 bad input. An answer "
                    "starting with '-' goes after '--'.")
    parser.add_argument("quantity", help="eager_total graph_total break_even crossover asymptote per_call_ratio")
    parser.add_argument("answer", help="the answer, or '-' to read it from standard input")
    _add_student_options(parser)
    parser.set_defaults(run=_run_check)


def _run_check(args):
    from .check import EQUIVALENT, NOT_EQUIVALENT, check

    answer = _read("-", "answer") if args.answer == "-" else args.answer
    verdict = check(args.quantity, answer, model=args.model, bindings=_unique(args.bindings),
                    assume=args.assume)
    _print(json.dumps(verdict.to_json(), indent=2) if args.format == "json" else str(verdict))
    return {EQUIVALENT: OK, NOT_EQUIVALENT: NEGATIVE}.get(verdict.verdict, UNDECIDED)


def _add_steps(subparsers):
    parser = subparsers.add_parser(
        "steps", help="check a derivation, one step a line, each against the one before",
        description="Check the derivation in FILE ('-': standard input): one relation or "
                    "expression a line, 'assume n >= 2' lines allowed, '#' comments. Exit 0 "
                    "every step follows, 1 one does not, 3 undecided, 2 bad input.")
    parser.add_argument("file", help="the derivation, or '-' to read it from standard input")
    _add_student_options(parser)
    parser.set_defaults(run=_run_steps)


def _run_steps(args):
    from .steps import INVALID, VALID, check_steps

    chain = check_steps(_read(args.file, "derivation"), model=args.model,
                        bindings=_unique(args.bindings), assume=args.assume)
    _print(json.dumps(chain.to_json(), indent=2, ensure_ascii=False) if args.format == "json" else str(chain))
    return {VALID: OK, INVALID: NEGATIVE}.get(chain.verdict, UNDECIDED)


_COMMANDS = (_add_show, _add_check, _add_steps)


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
