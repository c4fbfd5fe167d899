"""``derive lab new``: a lab folder for any model — starter, solution, tests, handout.

:func:`write_lab` writes into one directory:

================  ===================================================================
``starter.py``    every function of the lab with its signature and a docstring stating
                  the model and the arguments' domains; each body raises
                  ``NotImplementedError``
``solution.py``   the reference, generated from the engine's closed forms: exact ``int``
                  and ``Fraction`` arithmetic, the crossover's cases written as ``if``\\ s
``test_lab.py``   one test per function: the lab's pins, then a hypothesis property test
                  against derive's engine (small and huge ints, Fractions)
``conftest.py``   ``LAB_IMPL`` picks the implementation under test: ``solution`` by
                  default, ``starter``, any module name or a ``.py`` path
``README.md``     the handout (:mod:`derive.authoring.report`): the files, how to run
                  them, the functions, the model derived, the two results to state cold
================  ===================================================================

For the lab's own model (``cuda-graph``) the functions are the seed lab's —
``eager_launches``, ``graph_launches``, ``crossover``, ``asymptotic_speedup`` — and the
pins are the seed's: the formulas, the crossover at call 2 when ``c = n > 1``, never
when ``n == 1`` and ``c >= 1``, and the per-call ratio rising to ``n`` from below.
Other models get names from their labels (:func:`derive.conformance.spec.lab_spec`).

>>> source = solution_source(lab_spec("cuda-graph"))
>>> namespace = {}
>>> exec(compile(source, "solution.py", "exec"), namespace)    # our own generated code
>>> namespace["crossover"](30), namespace["crossover"](30, 90), namespace["crossover"](1)
(2, 4, None)
"""

import json
import textwrap
from pathlib import Path

import sympy

from ..conformance.spec import lab_spec
from ..engine.model import Model
from ..engine.presets import PRESETS
from ..errors import MissingDependencyError
from ..text.parse import parse_expression
from .chart import chart, draw
from .report import Code, Heading, Items, Paragraph, sections, to_markdown

__all__ = ["FILES", "python_expression", "solution_source", "starter_source", "write_lab"]

#: The files of a lab folder, in the order they are written.
FILES = ("starter.py", "solution.py", "test_lab.py", "conftest.py", "README.md")

_TEMPLATES = Path(__file__).with_name("lab_templates")


# -- sympy to Python, exact -------------------------------------------------------------

def python_expression(expr, names):
    """Python source for ``expr`` over ``int``/``Fraction``, symbols renamed by ``names``.

    >>> from derive.engine.symbols import c, n
    >>> python_expression(sympy.floor((c - 1)/(n - 1)) + 1, {"c": "c", "n": "n"})
    'math.floor(Fraction(c - 1) / (n - 1)) + 1'
    """
    return _py(sympy.sympify(expr, strict=True), names)


def _py(e, names, parent=0):
    """Source of ``e``; ``parent`` is the binding strength around it (0 none, 1 +, 2 *, 3 **)."""
    if e is sympy.true or e is sympy.false:
        return str(bool(e))
    if e.is_Symbol:
        return names[e.name]
    if e.is_Integer:
        text = str(int(e))
        return f"({text})" if int(e) < 0 and parent else text
    if e.is_Rational:
        return f"Fraction({int(e.p)}, {int(e.q)})"
    if e is sympy.oo:
        return "math.inf"
    if e is -sympy.oo:
        return "-math.inf"
    if isinstance(e, sympy.Piecewise):
        pieces = [(_py(value, names), _py(cond, names)) for value, cond in e.args]
        text = pieces[-1][0]
        for value, cond in reversed(pieces[:-1]):
            text = f"{value} if {cond} else {text}"
        return f"({text})"
    if e.is_Add:
        terms = sorted(e.args, key=lambda t: (t.is_number, t.could_extract_minus_sign(),
                                              sympy.default_sort_key(t)))
        text = _py(terms[0], names, 1)
        for t in terms[1:]:
            text += f" - {_py(-t, names, 1)}" if t.could_extract_minus_sign() else f" + {_py(t, names, 1)}"
        return f"({text})" if parent > 1 else text
    if e.is_Mul:
        numerator, denominator = sympy.fraction(e)
        if denominator != 1:
            top = _py(numerator, names, 0)
            text = f"Fraction({top}) / {_py(denominator, names, 3 if not denominator.is_Add else 2)}"
            return f"({text})" if parent > 1 else text
        if e.could_extract_minus_sign():
            text = f"-{_py(-e, names, 2)}"
            return f"({text})" if parent else text
        text = " * ".join(_py(f, names, 2) for f in e.args)
        return f"({text})" if parent > 2 else text
    if e.is_Pow:
        if e.exp.is_Integer and int(e.exp) < 0:
            text = f"Fraction(1) / {_py(e.base ** -e.exp, names, 3)}"
            return f"({text})" if parent > 1 else text
        return f"{_py(e.base, names, 3)} ** {_py(e.exp, names, 3)}"
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        function = "math.floor" if isinstance(e, sympy.floor) else "math.ceil"
        return f"{function}({_py(e.args[0], names)})"
    if isinstance(e, (sympy.Max, sympy.Min)):
        function = "max" if isinstance(e, sympy.Max) else "min"
        return f"{function}({', '.join(_py(a, names) for a in e.args)})"
    if isinstance(e, sympy.Abs):
        return f"abs({_py(e.args[0], names)})"
    relations = {sympy.StrictLessThan: "<", sympy.LessThan: "<=", sympy.StrictGreaterThan: ">",
                 sympy.GreaterThan: ">=", sympy.Equality: "==", sympy.Unequality: "!="}
    if type(e) in relations:
        return f"{_py(e.lhs, names, 1)} {relations[type(e)]} {_py(e.rhs, names, 1)}"
    if isinstance(e, (sympy.And, sympy.Or)):
        word = " and " if isinstance(e, sympy.And) else " or "
        text = word.join(_py(a, names, 1) for a in sorted(e.args, key=sympy.default_sort_key))
        return f"({text})" if parent else text
    if isinstance(e, sympy.Not):
        return f"not ({_py(e.args[0], names)})"
    raise TypeError(f"cannot write {type(e).__name__} as exact Python: {e}")


# -- the model in words ------------------------------------------------------------------

def _model_lines(spec):
    m = spec.model
    first, second = m.labels
    lines = [f"{m.title or m.name} (model {m.name}).", "",
             f"The {first} total after k calls is  {m.baseline}",
             f"the {second} total after k calls is  {m.amortized}", ""]
    seen = set()
    for f in spec.functions:
        for a in f.arguments:
            if a.name in seen:
                continue
            seen.add(a.name)
            domain = "integer >= 1" if a.parameter == "k" else str(a.domain)
            meaning = a.meaning or ("calls so far" if a.parameter == "k" else "")
            default = f"; None means {a.default}" if a.default is not None else ""
            symbol = "" if a.name == a.parameter else f" ({a.parameter})"
            lines.append(f"    {a.name}{symbol}: {meaning + ', ' if meaning else ''}{domain}{default}")
    return lines


_PURPOSE = {
    "baseline": "The {first} total after k calls, exactly.",
    "amortized": "The {second} total after k calls, exactly.",
    "crossover": "The first call k >= 1 at which the {second} total is strictly below the {first}\n"
                 "total; None if it never is.",
    "asymptote": "The limit of ({first} total) / ({second} total) as k grows without bound\n"
                 "(math.inf if the ratio grows without bound).",
}


def _docstring(spec, f, body=""):
    first, second = spec.model.labels
    purpose = _PURPOSE[f.quantity].format(first=first, second=second)
    arguments = []
    for a in f.arguments:
        domain = "integer >= 1" if a.parameter == "k" else str(a.domain)
        default = f" (None: {a.default})" if a.default is not None else ""
        arguments.append(f"{a.name}: {domain}{default}")
    text = purpose + "\n\n" + "\n".join(arguments)
    return textwrap.indent(f'"""{text}\n"""', "    ")


def _signature(f):
    return f"def {f.signature()}:"


def _header(spec, role):
    lines = _model_lines(spec)
    intro = {"starter": "Your implementation: replace each NotImplementedError with exact "
                        "arithmetic (int and fractions.Fraction; no floats).",
             "solution": "The reference implementation, generated by derive from the engine's "
                         "closed forms: exact int and Fraction arithmetic."}[role]
    return '"""' + "\n".join(textwrap.wrap(intro, 88)) + "\n\n" + "\n".join(lines) + '\n"""\n'


def starter_source(spec):
    """``starter.py``: signatures, docstrings, ``raise NotImplementedError``."""
    parts = [_header(spec, "starter"), "import math  # noqa: F401  (floor, ceil, inf)",
             "from fractions import Fraction  # noqa: F401", ""]
    for f in spec.functions:
        parts += ["", _signature(f), _docstring(spec, f),
                  f'    raise NotImplementedError("{f.name}")', ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def _names(f):
    return {a.parameter: a.name for a in f.arguments}


def _prologue(f):
    """Lines that make the arguments exact and fill in the defaults."""
    lines = []
    names = _names(f)
    for a in f.arguments:
        if a.parameter != "k" and a.domain.kind != "integer":
            lines.append(f"    {a.name} = _exact({a.name})")
    for a in f.arguments:
        if a.default is not None:
            default = python_expression(parse_expression(a.default, {p: sympy.Symbol(p) for p in names}),
                                        names)        # the default's text, read by the safe reader
            lines += [f"    if {a.name} is None:", f"        {a.name} = {default}"]
    return lines


def solution_source(spec):
    """``solution.py``: each function's closed form, the crossover's cases as ``if``\\ s."""
    d = spec.derivation
    parts = [_header(spec, "solution"), "import math  # noqa: F401  (floor, ceil, inf)",
             "from fractions import Fraction", "", "",
             "def _exact(value):",
             '    """A float as the exact Fraction it holds; ints and Fractions as they are."""',
             "    return Fraction(value) if isinstance(value, float) else value", "",
             "",
             "def _whole(value):",
             '    """A Fraction with denominator 1 as an int; anything else as it is."""',
             "    if isinstance(value, Fraction) and value.denominator == 1:",
             "        return value.numerator",
             "    return value", ""]
    for f in spec.functions:
        names = {**_names(f), "k": _names(f).get("k", "k")}
        body = _prologue(f)
        if f.quantity in ("baseline", "amortized"):
            body.append(f"    return _whole({python_expression(getattr(d, f.quantity), names)})")
        elif f.quantity == "asymptote":
            body.append(f"    return _whole({python_expression(d.asymptote, names)})")
        else:
            for case in d.crossover:
                value = ("None" if case.value is None else str(int(case.value)) if case.value.is_Integer
                         else f"_whole({python_expression(case.value, names)})")
                if case.when is sympy.true:
                    body.append(f"    return {value}")
                    break
                body += [f"    if {python_expression(case.when, names)}:", f"        return {value}"]
            else:
                body.append("    return None")
        parts += ["", _signature(f), _docstring(spec, f), *body, ""]
    return "\n".join(parts).rstrip("\n") + "\n"


# -- tests, conftest, README -------------------------------------------------------------

def _model_reference(model):
    """How the tests rebuild the model: a preset's name, or the custom model's texts."""
    if isinstance(model, str):
        return {"preset": model}
    if model.name in PRESETS and PRESETS[model.name] == model:
        return {"preset": model.name}
    return {"baseline": str(model.baseline), "amortized": str(model.amortized),
            "assume": [f"{p.name} {'integer' if p.domain.kind == 'integer' else ''}".strip()
                       for p in model.parameters if p.domain.kind == "integer"]
            + [f"{p.name} {'>' if p.domain.strict else '>='} {p.domain.lower}"
               for p in model.parameters if not (p.domain.kind == "rational" and p.domain.strict
                                                 and p.domain.lower == 0)
               and not (p.domain.kind == "integer" and p.domain.lower == 1)]}


def _test_source(spec, model):
    template = (_TEMPLATES / "test_lab.py.txt").read_text(encoding="utf-8")
    return template.replace("@MODEL@", json.dumps(_model_reference(model))).replace(
        "@TITLE@", spec.model.title or spec.model.name).replace(
        "@LAB@", "True" if spec.model.name == "cuda-graph" and _model_reference(model).get(
            "preset") == "cuda-graph" else "False")


def _figure(model):
    """The lab's chart (n = 3, 30, 300 with c = 3n) where the model has an ``n`` to vary."""
    try:
        return chart(model)
    except ValueError:
        return None


def _readme(spec, model, figure=None):
    d = spec.derivation
    run = [Code("LAB_IMPL=starter pytest -q"), " tests your starter; ", Code("pytest -q"),
           " tests the reference solution. ", Code("LAB_IMPL"), " also takes any module name "
           "or a path to a .py file."]
    files = Items(tuple((Code(name), ": " + what) for name, what in (
        ("starter.py", "the functions to implement; your work"),
        ("solution.py", "the reference, generated from derive's closed forms"),
        ("test_lab.py", "the lab's pins and property tests against derive's engine"),
        ("conftest.py", "picks the implementation under test from LAB_IMPL"),
    )))
    functions = Items(tuple((Code(f.signature()), ": " + _PURPOSE[f.quantity].format(
        first=spec.model.labels[0], second=spec.model.labels[1]).replace("\n", " "))
        for f in spec.functions))
    lab = (Heading("The lab folder"), files, Paragraph(tuple(run)),
           Heading("The functions"), functions)
    blocks = lab + sections(d, theorems=(), figure=figure)
    text = to_markdown(d, blocks)
    head, _, tail = text.partition("## Machine-checked theorems")   # none are run for a lab
    if tail:
        text = head + tail[tail.index("Made by derive"):]
    return text.replace("Made by derive", "Made by derive lab new with derive", 1)


def write_lab(directory, model="cuda-graph", *, force=False):
    """Write the lab folder for ``model`` (a preset's name or a :class:`Model`) into
    ``directory``; refuse to overwrite its files unless ``force``. Returns the paths."""
    if not isinstance(model, (str, Model)):
        raise TypeError(f"model must be a preset's name or a Model, got {type(model).__name__}")
    spec = lab_spec(model)
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise ValueError(f"directory {str(out)!r} is a file")
    clashes = [name for name in FILES if (out / name).exists()]
    if clashes and not force:
        raise ValueError(f"{out} already has {', '.join(clashes)}; --force overwrites them")
    figure = _figure(model)
    texts = {
        "starter.py": starter_source(spec),
        "solution.py": solution_source(spec),
        "test_lab.py": _test_source(spec, model),
        "conftest.py": (_TEMPLATES / "conftest.py.txt").read_text(encoding="utf-8"),
        "README.md": _readme(spec, model, figure),
    }
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    if figure is not None:
        try:
            draw(figure, out / "crossover.png")
            paths.append(out / "crossover.png")
        except MissingDependencyError:              # no matplotlib: the README says how to draw it
            texts["README.md"] = texts["README.md"].replace(
                "(crossover.png)", "(crossover.png) (draw it with `derive plot --out crossover.png`)")
    for name in FILES:
        (out / name).write_text(texts[name], encoding="utf-8")
        paths.append(out / name)
    return paths
