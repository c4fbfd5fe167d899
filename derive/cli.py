"""The ``derive`` command line: parse, call the library, render — nothing else.

Every subcommand is a pair of private functions: ``_add_<name>(subparsers)`` builds its
parser and sets ``run``; ``_run_<name>(args)`` calls the library and prints. Exit codes:
0 success, 1 a definite negative result, 2 bad input or usage (one line on stderr, no
traceback), 3 undecided.
"""

import argparse
import json
import sys

from ._version import __version__
from .errors import DeriveError

__all__ = ["main"]

OK, NEGATIVE, USAGE, UNDECIDED = 0, 1, 2, 3


class _UsageError(Exception):
    """Raised by the parser instead of printing usage and exiting."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(f"{message} (see '{self.prog} --help')")


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


def _add_model_and_bindings(parser, default="cuda-graph", help="a preset (default: cuda-graph)"):
    """The optional MODEL argument and the repeatable ``--set NAME=EXPR``."""
    parser.add_argument("model", nargs="?", default=default, help=help)
    parser.add_argument("--set", dest="bindings", metavar="NAME=EXPR", action="append",
                        type=_binding, default=[], help="bind a parameter (repeatable)")


def _bound(args):
    """The ``--set`` bindings as a dict; a name bound twice is an error."""
    names = [name for name, _ in args.bindings]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"--set binds {', '.join(repeated)} more than once")
    return dict(args.bindings)


def _add_show(subparsers):
    parser = subparsers.add_parser(
        "show", help="derive a model's break-even, crossover and asymptote",
        description="Derive a preset model with some parameters bound, e.g. --set c=3*n, "
                    "or a model of your own: --baseline 'k*t_eager' --amortized 't_setup + k*t_fast'.")
    _add_model_and_bindings(parser, default=None, help="a preset (default: cuda-graph; see --list)")
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
    from .render.formats import FORMATS

    return tuple(FORMATS)


def _run_show(args):
    from .engine.derivation import derive
    from .engine.presets import custom_model, describe
    from .render.formats import preset_list, render

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
    model = custom_model(args.baseline, args.amortized, assume=args.assume) if own else args.model or "cuda-graph"
    _print(render(derive(model, **_bound(args)), args.format))
    return OK


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


_CHECK_VALUED = {"--model", "--set", "--assume", "--format"}


def _negative_answer(argv):
    """``derive check crossover -(-c//(n-1))``: an answer that starts with ``-`` is not an
    option; it is moved after ``--`` so that argparse reads it as the answer."""
    if not argv or argv[0] != "check" or "--" in argv:
        return argv
    for index, arg in enumerate(argv[1:], start=1):
        option = arg.split("=", 1)[0]
        valued = argv[index - 1] in _CHECK_VALUED
        if arg.startswith("-") and len(arg) > 1 and not valued and option not in _CHECK_VALUED | {"-h", "--help"}:
            return argv[:index] + argv[index + 1:] + ["--", arg]
    return argv


def _run_check(args):
    from .checker.answer import EQUIVALENT, NOT_EQUIVALENT, check

    answer = _read("-", "answer") if args.answer == "-" else args.answer
    verdict = check(args.quantity, answer, model=args.model, bindings=_bound(args),
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
    from .checker.steps import INVALID, VALID, check_steps

    chain = check_steps(_read(args.file, "derivation"), model=args.model,
                        bindings=_bound(args), assume=args.assume)
    _print(json.dumps(chain.to_json(), indent=2, ensure_ascii=False) if args.format == "json" else str(chain))
    return {VALID: OK, INVALID: NEGATIVE}.get(chain.verdict, UNDECIDED)


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
    parser.add_argument("--import-timeout", type=_positive(float, "--import-timeout"), default=5.0,
                        metavar="SECONDS", help="time importing TARGET may take (default: 5)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=_run_verify)


def _run_verify(args):
    from contextlib import redirect_stdout

    from .conformance.suite import progress_printer, report_json, report_text, verify

    progress = None if args.quiet else progress_printer(sys.stderr)
    with redirect_stdout(sys.stderr):              # what the target prints is not our output
        report = verify(args.target, examples=args.examples, timeout=args.timeout,
                        progress=progress, import_timeout=args.import_timeout)
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
    from .render.formats import proofs_json, proofs_text

    results = run(args.names or None)
    _print(json.dumps(proofs_json(results), indent=2) if args.format == "json" else proofs_text(results))
    return OK if all(result.proved for result in results) else NEGATIVE


# -- derive plot / report / exercises: for course authors -----------------------------------

def _sizes(text):
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--n takes whole numbers separated by commas, e.g. 3,30,300; got {text!r}") from None
    return sizes


def _add_plot(subparsers):
    parser = subparsers.add_parser(
        "plot", help="draw per-call cost and speedup against k (.png, .svg or .pdf)",
        description="The lab's chart: per-call cost against the number of calls k for several "
                    "n (capture cost c = 3*n unless --set says otherwise), every crossover "
                    "marked, and the speedup approaching its ceiling.")
    _add_model_and_bindings(parser)
    parser.add_argument("--n", dest="sizes", type=_sizes, default=(3, 30, 300), metavar="N,N,...",
                        help="the values of n, one curve each (default: 3,30,300)")
    parser.add_argument("--kmax", type=int, help="the last call drawn (default: far enough to "
                        "see the ceiling)")
    parser.add_argument("--out", default="crossover.png", metavar="FILE",
                        help="where to draw: .png, .svg or .pdf (default: crossover.png)")
    parser.add_argument("--unit-us", dest="unit_us", metavar="X",
                        help="microseconds per launch, or a derive measure JSON file: draw "
                             "time instead of launches")
    parser.set_defaults(run=_run_plot)


def _run_plot(args):
    from .authoring.chart import plot

    _print(str(plot(args.model, args.sizes, out=args.out, bindings=_bound(args),
                    kmax=args.kmax, unit_us=args.unit_us)))
    return OK


def _add_report(subparsers):
    parser = subparsers.add_parser(
        "report", help="write a handout: report.md, report.tex and the chart",
        description="Write DIR/report.md and DIR/report.tex (the model, the derivation, the "
                    "two results to state cold, the chart, the machine-checked theorems) "
                    "with the chart as PNG and PDF. The same input gives the same bytes.")
    _add_model_and_bindings(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="the directory to write")
    parser.set_defaults(run=_run_report)


def _run_report(args):
    from .authoring.report import write_report

    _print("\n".join(str(path) for path in write_report(args.out, args.model,
                                                          bindings=_bound(args)).values()))
    return OK


def _add_exercises(subparsers):
    from .authoring.exercises import FORMATS

    parser = subparsers.add_parser(
        "exercises", help="a randomized exercise bank with answers, solutions and distractors",
        description="Exercises on the lab with exact answers, worked solutions and wrong "
                    "answers from the classic mistakes. The same seed gives the same bank.")
    parser.add_argument("model", nargs="?", default="cuda-graph", help="the model (cuda-graph)")
    parser.add_argument("--count", type=int, default=10, help="how many exercises (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="the random seed (default: 0)")
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.set_defaults(run=_run_exercises)


def _run_exercises(args):
    from .authoring.exercises import exercises, render

    _print(render(exercises(args.count, args.seed, args.model), args.format, seed=args.seed))
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
    from .measure.harness import format_text, measure, progress_printer

    result = measure(quick=args.quick, cuda=args.cuda, progress=progress_printer(sys.stderr))
    _print(json.dumps(result.as_dict(), indent=2) if args.format == "json" else format_text(result))
    return OK


# -- derive ladder --------------------------------------------------------------------------

def _add_ladder(subparsers):
    parser = subparsers.add_parser(
        "ladder", help="the best capture sizes for a traffic mix under a memory budget",
        description="Choose the batch sizes to capture as graphs, exactly, for the traffic, "
                    "costs and memory budget in a TOML file; compare with eager only, vLLM's "
                    "default ladder and powers of two. See examples/ladder.toml.")
    parser.add_argument("--config", required=True, metavar="FILE.toml",
                        help="the model's numbers (keys: max_batch traffic n t_launch t_gpu "
                             "graph_memory memory_budget capture_passes steps)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--plot", metavar="FILE",
                        help="also write total time against the number of rungs (PNG, SVG, PDF)")
    parser.set_defaults(run=_run_ladder)


def _run_ladder(args):
    from .ladder import ladder_json, ladder_report, ladder_text, load_ladder_config

    report = ladder_report(load_ladder_config(args.config))
    if args.plot:
        from .ladder.plot import plot_ladder

        plot_ladder(report, args.plot)
    _print(json.dumps(ladder_json(report), indent=2) if args.format == "json" else ladder_text(report))
    return OK


_COMMANDS = (_add_show, _add_check, _add_steps, _add_verify, _add_prove, _add_plot, _add_report,
             _add_exercises, _add_measure, _add_ladder)


def _parser(argv=()):
    parser = _Parser(
        prog="derive",
        description="Derive, prove, render and check the economics of pay once, save on every "
                    "repeat. With no command: the lab's results, derived.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output of the main job (default: text)")
    parser.set_defaults(run=_run_lab)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    # Only the subcommand asked for is built (``_add_<name>``): building all of them costs a
    # fresh process tens of milliseconds. Anything else (``--help``, a typo) builds all.
    wanted = [add for add in _COMMANDS if argv and add.__name__ == f"_add_{argv[0]}"]
    for add in wanted or _COMMANDS:
        add(subparsers)
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        argv = _negative_answer(list(sys.argv[1:] if argv is None else argv))
        args = _parser(argv).parse_args(argv)
        return args.run(args)
    except _UsageError as error:
        print(f"derive: error: {error}", file=sys.stderr)
    except (ValueError, TypeError, DeriveError, OSError) as error:
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"derive: error: {message}", file=sys.stderr)
    except (RecursionError, MemoryError) as error:   # last line of defence: the parser bounds sizes
        print(f"derive: error: the input is too large to work with ({type(error).__name__})", file=sys.stderr)
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    return USAGE
