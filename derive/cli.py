"""The ``derive`` command line: parse, call the library, render — nothing else.

Every subcommand is a pair of private functions: ``_add_<name>(subparsers)`` builds its
parser and sets ``run``; ``_run_<name>(args)`` calls the library and prints. Exit codes:
0 success, 1 a definite negative result, 2 bad input or usage (one line on stderr, no
traceback), 3 undecided.
"""

import argparse
import json
import os
import re
import sys

from ._version import __version__
from .alarm import time_limit
from .errors import DeriveError, error_line, short_line, shown

__all__ = ["main"]

OK, NEGATIVE, USAGE, UNDECIDED = 0, 1, 2, 3


class _UsageError(Exception):
    """Raised by the parser instead of printing usage and exiting."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(f"{_cut_quoted(message)} (see '{self.prog} --help')")


def _cut_quoted(message):
    """argparse's message with every long quoted value (``invalid int value: '999…'``) cut."""
    quoted = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""        # a repr: 'a\'b' or "a'b"
    message = re.sub(quoted, lambda match: match.group() if len(match.group()) <= 42 else
                     shown(match.group()[1:-1]), message)
    return short_line(message, 220)


class _OverBudget(BaseException):
    """Raised by the alarm when a command has used its time (past ``except Exception``)."""


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
        raise argparse.ArgumentTypeError(f"--set takes NAME=EXPR, e.g. c=3*n; got {shown(text)}")
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
    parser.add_argument("--seconds", type=_positive(float, "--seconds", 600), default=None,
                        metavar="S", help="give up after S seconds, exit 2 (default: 10)")
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
    if source != "-":                             # a regular file only: no /dev/zero, no FIFO
        from .limits import read_file

        return read_file(source, f"the {what}", _INPUT_LIMIT)
    data = sys.stdin.buffer.read(_INPUT_LIMIT + 1)
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
    parser.add_argument("--seconds", type=_positive(float, "--seconds", 600), default=5.0,
                        metavar="S", help="time for the whole derivation; the steps left "
                                          "are undecided (default: 5)")
    parser.set_defaults(run=_run_steps)


def _run_steps(args):
    from .checker.steps import INVALID, VALID, check_steps

    chain = check_steps(_read(args.file, "derivation"), model=args.model,
                        bindings=_bound(args), assume=args.assume, total_seconds=args.seconds)
    _print(json.dumps(chain.to_json(), indent=2, ensure_ascii=False) if args.format == "json" else str(chain))
    return {VALID: OK, INVALID: NEGATIVE}.get(chain.verdict, UNDECIDED)


# -- derive verify ------------------------------------------------------------------------

def _positive(kind, name, high=None):
    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not value > 0 or value != value or value == float("inf") \
                or (high is not None and value > high):
            most = "" if high is None else f" and <= {high}"
            raise argparse.ArgumentTypeError(f"{name} must be a number > 0{most}, got {shown(text)}")
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
        description="Exercises on a model — the lab (cuda-graph), any preset, or your own with "
                    "--baseline/--amortized — with exact answers, worked solutions and wrong "
                    "answers from the classic mistakes. The same seed gives the same bank. "
                    "--format latex is a printable sheet (questions, then the answer key).")
    parser.add_argument("model", nargs="?", default=None, help="a preset (default: cuda-graph)")
    parser.add_argument("--count", type=int, default=10, help="how many exercises (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="the random seed (default: 0)")
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.add_argument("--baseline", metavar="EXPR", help="your own model: the total paid every call, in k")
    parser.add_argument("--amortized", metavar="EXPR", help="your own model: the total paid upfront, then per call")
    parser.add_argument("--assume", metavar="FACT", action="append", default=[],
                        help="for --baseline/--amortized: 'NAME integer', 'NAME >= X' or 'NAME > X'")
    parser.add_argument("--pdf", metavar="FILE", help="with --format latex: also compile the sheet "
                        "to FILE with pdflatex")
    parser.set_defaults(run=_run_exercises)


def _run_exercises(args):
    from .authoring.exercises import MODEL, exercises, latex_pdf, render

    own = args.baseline is not None or args.amortized is not None
    if own and (args.model or args.baseline is None or args.amortized is None):
        raise ValueError("a model of your own takes both --baseline and --amortized, and no preset name")
    if args.assume and not own:
        raise ValueError("--assume applies to --baseline/--amortized models only")
    if args.pdf and args.format != "latex":
        raise ValueError("--pdf needs --format latex")
    if args.pdf:
        from .render.figures import check_writable

        check_writable(args.pdf)
    if own:
        from .authoring.model_exercises import model_exercises
        from .engine.presets import custom_model

        model = custom_model(args.baseline, args.amortized, assume=args.assume)
        bank, name = model_exercises(model, args.count, args.seed), "custom"
    elif (args.model or MODEL) == MODEL:
        bank, name = exercises(args.count, args.seed), MODEL
    else:
        from .authoring.model_exercises import model_exercises

        bank, name = model_exercises(args.model, args.count, args.seed), args.model
    text = render(bank, args.format, seed=args.seed, model=name)
    if args.pdf:
        latex_pdf(text, args.pdf)
    _print(text)
    return OK


def _add_examples(subparsers):
    parser = subparsers.add_parser(
        "examples", help="the example files the README uses: list, show or copy them",
        description="The example files ship with derive. With no action: list them. "
                    "'derive examples copy DIR' copies them into DIR (then every README "
                    "command runs there); 'derive examples show NAME' prints one.")
    parser.add_argument("action", nargs="?", choices=("list", "copy", "show"), default="list")
    parser.add_argument("target", nargs="?", metavar="DIR|NAME",
                        help="copy: the directory; show: the example's name")
    parser.add_argument("--list", dest="listing", action="store_true", help="list them (the default)")
    parser.add_argument("--force", action="store_true", help="copy: overwrite different files")
    parser.set_defaults(run=_run_examples)


def _run_examples(args):
    from .authoring.examples import EXAMPLES, copy_examples, example_path

    if args.listing or args.action == "list":
        if args.target is not None:
            raise ValueError("derive examples --list takes no DIR or NAME")
        width = max(map(len, EXAMPLES))
        _print("\n".join(f"{name.ljust(width)}  {what}" for name, what in sorted(EXAMPLES.items())))
        return OK
    if args.target is None:
        raise ValueError(f"derive examples {args.action} needs "
                         + ("a directory" if args.action == "copy" else "an example's name"))
    if args.action == "show":
        data = example_path(args.target).read_bytes()
        if args.target.endswith(".png"):
            raise ValueError(f"{args.target} is an image; derive examples copy DIR copies it")
        sys.stdout.write(data.decode("utf-8"))
        return OK
    written = copy_examples(args.target, force=args.force)
    _print("\n".join(str(path) for path in written) or f"{args.target}: the examples are there already")
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
                    "default ladder and powers of two. An example config: 'derive examples "
                    "show ladder.toml > ladder.toml'.")
    parser.add_argument("--config", required=True, metavar="FILE.toml",
                        help="the model's numbers (keys: max_batch traffic n t_launch t_gpu "
                             "graph_memory memory_budget capture_passes steps)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--plot", metavar="FILE",
                        help="also write total time against the number of rungs (PNG, SVG, PDF)")
    parser.set_defaults(run=_run_ladder)


def _run_ladder(args):
    from .ladder import ladder_json, ladder_report, ladder_text, load_ladder_config

    if args.plot:
        from .render.figures import check_writable, file_format

        file_format(args.plot)                     # a bad --plot is refused before the work
        check_writable(args.plot)
    report = ladder_report(load_ladder_config(args.config))
    if args.plot:
        from .ladder.plot import plot_ladder

        plot_ladder(report, args.plot)
    _print(json.dumps(ladder_json(report), indent=2) if args.format == "json" else ladder_text(report))
    return OK


# -- derive lab new -----------------------------------------------------------------------

def _add_own_model(parser):
    parser.add_argument("--baseline", metavar="EXPR", help="a model of your own: the total paid every call, in k")
    parser.add_argument("--amortized", metavar="EXPR", help="a model of your own: the total paid upfront, then per call")
    parser.add_argument("--assume", metavar="FACT", action="append", default=[],
                        help="for --baseline/--amortized: 'NAME integer', 'NAME >= X' or 'NAME > X'")


def _own_model(args, preset_name):
    """The model the options name: a preset, or --baseline/--amortized (not both)."""
    from .engine.presets import custom_model

    own = args.baseline is not None or args.amortized is not None
    if own and (preset_name or args.baseline is None or args.amortized is None):
        raise ValueError("a model of your own takes both --baseline and --amortized, and no preset name")
    if args.assume and not own:
        raise ValueError("--assume applies to --baseline/--amortized models only")
    return custom_model(args.baseline, args.amortized, assume=args.assume) if own else preset_name or "cuda-graph"


def _add_lab(subparsers):
    parser = subparsers.add_parser(
        "lab", help="write a lab folder: starter, solution, tests, handout",
        description="derive lab new DIR [MODEL]: write DIR/starter.py, solution.py, test_lab.py, "
                    "conftest.py and README.md for a preset (default: cuda-graph, the seed lab) or "
                    "a model of your own. LAB_IMPL=starter pytest DIR tests the starter.")
    parser.add_argument("action", choices=("new",), help="new: write a lab folder")
    parser.add_argument("directory", metavar="DIR", help="the folder to write")
    parser.add_argument("model", nargs="?", default=None, help="a preset (default: cuda-graph)")
    _add_own_model(parser)
    parser.add_argument("--force", action="store_true", help="overwrite the lab's files if DIR has them")
    parser.set_defaults(run=_run_lab_new)


def _run_lab_new(args):
    from .authoring.lab_folder import write_lab

    paths = write_lab(args.directory, _own_model(args, args.model), force=args.force)
    _print("\n".join(str(path) for path in paths))
    return OK


# -- derive grade --------------------------------------------------------------------------

_GRADE_FORMATS = ("markdown", "csv", "json", "gradescope")      # derive.grade.report.FORMATS


def _add_grade(subparsers):
    parser = subparsers.add_parser(
        "grade", help="grade a class of submissions, each in a sandboxed child process",
        description="Grade each SUBMISSION (a .py file, or a folder holding one) in a child "
                    "process of its own, with bounded time, memory, files and processes, and "
                    "isolated from the others where the machine allows; compare every answer "
                    "with the engine's. --merge joins shards' JSON reports. Exit 0 when every "
                    "student has full marks, 1 otherwise.")
    parser.add_argument("submissions", nargs="*", metavar="SUBMISSION")
    parser.add_argument("--model", default=None, help="a preset (default: cuda-graph)")
    _add_own_model(parser)
    parser.add_argument("--workers", type=_positive(int, "--workers"), default=2, metavar="N")
    parser.add_argument("--timeout", type=_positive(float, "--timeout"), default=2.0, metavar="S",
                        help="time one call may take (default: 2)")
    parser.add_argument("--memory", type=_positive(int, "--memory"), default=1024, metavar="MB",
                        help="address space of a submission (default: 1024)")
    parser.add_argument("--examples", type=_positive(int, "--examples"), default=160, metavar="N",
                        help="points per function (default: 160)")
    parser.add_argument("--seed", type=int, default=0, help="the corpus's seed (default: 0)")
    parser.add_argument("--format", choices=_GRADE_FORMATS, default="markdown")
    parser.add_argument("--out", metavar="DIR", help="also write every format there")
    parser.add_argument("--shard", metavar="I/N", help="grade the I-th of N slices")
    parser.add_argument("--merge", action="store_true", help="join the JSON reports given as SUBMISSIONs")
    parser.add_argument("--timings", action="store_true",
                        help="add seconds and the slowest submissions (reports then vary by run)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--allow-unbounded", action="store_true",
                        help="grade even where a fork bomb could not be bounded (root without "
                             "namespaces or an unprivileged uid)")
    parser.set_defaults(run=_run_grade)


def _run_grade(args):
    from .grade import report as reports

    if args.merge:
        if args.shard:
            raise ValueError("--merge takes no --shard")
        texts = []
        for path in args.submissions:
            with open(path, encoding="utf-8") as handle:
                texts.append(handle.read())
        report, _ = reports.merge(texts, timings=args.timings)
    else:
        if not args.submissions:
            raise ValueError("derive grade needs at least one SUBMISSION (a .py file or a folder)")
        report = _grade(args)
    if args.out:
        reports.write(report, args.out)
    _print(reports.FORMATS[args.format](report).rstrip("\n"))
    full = all(s["score"] == s["max_score"] for s in report["students"])
    return OK if full else NEGATIVE


def _grade(args):
    from .conformance.sandbox import can_drop, isolation
    from .conformance.spec import lab_spec
    from .grade import report as reports
    from .grade.judge import Options
    from .grade.run import Progress, grade_class, parse_shard, select, unbounded

    for path in args.submissions:
        if not os.path.exists(path):
            raise ValueError(f"submission {path!r} does not exist")
    spec = lab_spec(_own_model(args, args.model))
    shard = parse_shard(args.shard)
    options = Options(timeout=args.timeout, memory_mb=args.memory, count=args.examples, seed=args.seed)
    chosen = select(args.submissions, shard)
    progress = Progress(len(chosen), sys.stderr, enabled=not args.quiet)
    students = grade_class(args.submissions, spec, options, workers=args.workers, shard=shard,
                           progress=progress)
    isolated, how = isolation()
    danger = unbounded(isolated, os.geteuid() == 0, can_drop())
    if danger and not args.allow_unbounded:
        raise ValueError(danger)
    if danger:
        how += "; as root with no uid to drop to, the process limit does not bind"
    return reports.build(students, model=spec.model.name, functions=spec.names, seed=args.seed,
                         isolation=(isolated, how), shard=shard, timings=args.timings)


# -- derive serve ----------------------------------------------------------------------------

def _port(text):
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be a whole number from 0 to 65535, got {text!r}")
    return port


def _add_serve(subparsers):
    parser = subparsers.add_parser(
        "serve", help="the practice pages and the JSON API, on http://127.0.0.1:8000",
        description="Serve the Practice, Derivation and Lab pages and the JSON API (/api/check, "
                    "/api/steps, /api/derive, /api/exercises; /openapi.json). Every check runs in "
                    "a worker process bounded in time and memory. Needs the serve extra: "
                    "pip install 'derive[serve]'.")
    parser.add_argument("--host", default="127.0.0.1", help="the address to bind (default: 127.0.0.1, "
                        "this machine only)")
    parser.add_argument("--port", type=_port, default=8000, help="the port (default: 8000)")
    parser.add_argument("--workers", type=_positive(int, "--workers"), default=None,
                        help="worker processes that check answers (default: one per CPU)")
    parser.add_argument("--timeout", type=_positive(float, "--timeout"), default=10.0, metavar="SECONDS",
                        help="the longest one request may run before its worker is killed (default: 10)")
    parser.add_argument("--memory-mb", type=_positive(int, "--memory-mb"), default=2048, metavar="MB",
                        help="each worker's address space (default: 2048)")
    parser.add_argument("--max-body", type=_positive(int, "--max-body"), default=2 * 1024 * 1024,
                        metavar="BYTES", help="the largest request body (default: 2 MiB)")
    parser.add_argument("--rate", type=float, default=20.0, metavar="PER_SECOND",
                        help="requests a second per client address, 0 for no limit (default: 20)")
    parser.add_argument("--burst", type=_positive(int, "--burst"), default=40,
                        help="requests a client may send at once (default: 40)")
    parser.add_argument("--forwarded-allow-ips", metavar="IPS", default=None,
                        help="behind a reverse proxy: the proxy's addresses, whose X-Forwarded-For "
                             "names the client (default: none trusted)")
    parser.set_defaults(run=_run_serve)


def _run_serve(args):
    try:
        from .serve.app import Settings, serve
    except ImportError as error:
        raise ValueError(f"derive serve needs the serve extra: pip install 'derive[serve]' ({error})") from None

    if not args.rate >= 0:
        raise ValueError(f"--rate must be >= 0, got {args.rate}")
    settings = Settings(workers=args.workers or 0, seconds=args.timeout, memory_mb=args.memory_mb,
                        max_body=args.max_body, rate=args.rate, burst=args.burst)
    print(f"derive serve: http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    serve(args.host, args.port, settings, forwarded_allow_ips=args.forwarded_allow_ips)
    return OK


_COMMANDS = (_add_show, _add_check, _add_steps, _add_verify, _add_prove, _add_plot, _add_report,
             _add_exercises, _add_examples, _add_measure, _add_ladder, _add_lab, _add_grade, _add_serve)


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


def _budget(args):
    """``(command, seconds)``: the time the command may take (README: Budgets), or ``None``."""
    from .limits import BUDGETS

    command = args.run.__name__.removeprefix("_run_")
    seconds = BUDGETS.get(command)
    if command == "show" and args.seconds is not None:
        seconds = args.seconds
    if command == "steps":                        # the file's own deadline, then a backstop
        seconds = args.seconds + BUDGETS["steps"]
    return f"derive {command}" if command != "lab" else "derive", seconds


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        argv = _negative_answer(list(sys.argv[1:] if argv is None else argv))
        args = _parser(argv).parse_args(argv)
        command, seconds = _budget(args)
        try:
            with time_limit(seconds, _OverBudget):
                return args.run(args)
        except _OverBudget:
            print(f"derive: error: {command} gave up after {seconds:g} s, its time budget "
                  "(README: Budgets); try a smaller input", file=sys.stderr)
    except _UsageError as error:
        print(f"derive: error: {error}", file=sys.stderr)
    except (ValueError, TypeError, DeriveError, OSError, RecursionError, MemoryError) as error:
        print(error_line(error), file=sys.stderr)
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    return USAGE
