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
        description="Derive a preset model with some parameters bound, e.g. --set c=3*n, "
                    "or a model of your own: --baseline 'k*t_eager' --amortized 't_setup + k*t_fast'.")
    parser.add_argument("model", nargs="?", help="a preset (default: cuda-graph; see --list)")
    parser.add_argument("--set", dest="bindings", metavar="NAME=EXPR", action="append",
                        type=_binding, default=[], help="bind a parameter (repeatable)")
    parser.add_argument("--format", choices=_formats(), default="text",
                        help="text, json, or a handout in latex or markdown (default: text)")
    parser.add_argument("--list", action="store_true", help="list the presets, one line each")
    parser.add_argument("--baseline", metavar="EXPR", help="your own model: the total paid every call, in k")
    parser.add_argument("--amortized", metavar="EXPR", help="your own model: the total paid upfront, then per call")
    parser.add_argument("--assume", metavar="FACT", action="append", default=[],
                        help="for --baseline/--amortized: 'NAME integer', 'NAME >= X' or 'NAME > X' "
                             "(default: every name is a rational > 0)")
    parser.set_defaults(run=_run_show)


def _formats():
    from .render import FORMATS

    return tuple(FORMATS)


def _run_show(args):
    from .derivation import derive
    from .presets import custom_model, describe
    from .render import preset_list, render

    own = args.baseline is not None or args.amortized is not None
    if args.list:
        if args.model or own or args.bindings or args.assume:
            raise ValueError("--list takes no model, --set, --baseline, --amortized or --assume")
        _print(preset_list(describe(), args.format))
        return OK
    if own and (args.model or args.baseline is None or args.amortized is None):
        raise ValueError("a model of your own takes both --baseline and --amortized, and no preset name")
    if args.assume and not own:
        raise ValueError("--assume applies to --baseline/--amortized models only")
    names = [name for name, _ in args.bindings]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"--set binds {', '.join(repeated)} more than once")
    model = custom_model(args.baseline, args.amortized, assume=args.assume) if own else args.model or "cuda-graph"
    _print(render(derive(model, **dict(args.bindings)), args.format))
    return OK


# -- derive verify ------------------------------------------------------------------------

def _positive(kind, name):
    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{name} must be a number > 0, got {text!r}")
        return value
    return convert


def _add_verify(subparsers):
    parser = subparsers.add_parser(
        "verify", help="property-test an implementation of the lab's functions",
        description="Import TARGET (a module name or a .py file), call its eager_launches, "
                    "graph_launches, crossover, asymptotic_speedup (and per_call_ratio, if "
                    "defined) on hundreds of exact examples, and compare each answer with the "
                    "engine's. Each failure is shrunk to a minimal example. Exit 0: all conform; "
                    "1: some do not; 2: bad target.")
    parser.add_argument("target", metavar="TARGET", help="a module name or a path to a .py file")
    parser.add_argument("--examples", type=_positive(int, "--examples"), default=200,
                        metavar="N", help="examples per function (default: 200)")
    parser.add_argument("--timeout", type=_positive(float, "--timeout"), default=2.0,
                        metavar="SECONDS", help="time one call may take (default: 2)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=_run_verify)


def _run_verify(args):
    from contextlib import redirect_stdout

    from .conformance import progress_printer, report_json, report_text, verify

    progress = None if args.quiet else progress_printer(sys.stderr)
    with redirect_stdout(sys.stderr):              # what the target prints is not our output
        report = verify(args.target, examples=args.examples, timeout=args.timeout,
                        progress=progress)
    _print(report_json(report) if args.format == "json" else report_text(report))
    return OK if report.passed else NEGATIVE


# -- derive prove --------------------------------------------------------------------------

def _add_prove(subparsers):
    parser = subparsers.add_parser(
        "prove", help="prove the lab's claims (z3 and sympy)",
        description="Prove the lab's claims as theorems with z3 and sympy; exit 1 if any fails.")
    parser.add_argument("names", nargs="*", metavar="NAME", help="theorems to prove (default: all)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=_run_prove)


def _run_prove(args):
    from .prove import run
    from .render import proofs_json, proofs_text

    results = run(args.names or None)
    _print(json.dumps(proofs_json(results), indent=2) if args.format == "json" else proofs_text(results))
    return OK if all(result.proved for result in results) else NEGATIVE


_COMMANDS = (_add_show, _add_verify, _add_prove)


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
