"""A class of submissions, written out as students (and attackers) would hand them in.

``CORRECT`` is a right implementation of the seed lab; each entry of ``MISTAKES`` is it
with one function replaced by a classic mistake; each entry of ``HOSTILE`` attacks the
grader instead. :func:`write_class` writes a class of any size from them, the same for
the same seed (``bench/bench_grade.py`` and the tests share it).
"""

import random
from pathlib import Path

CORRECT = '''
import math
from fractions import Fraction

def eager_launches(num_ops, k):
    return num_ops * k

def graph_launches(num_ops, k, capture_cost_ops=None):
    if capture_cost_ops is None:
        capture_cost_ops = num_ops
    return capture_cost_ops + k - 1

def crossover(num_ops, capture_cost_ops=None):
    c = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if num_ops == 1:
        return 1 if c < 1 else None
    return max(1, math.floor((c - 1) / (num_ops - 1)) + 1)

def asymptotic_speedup(num_ops, capture_cost_ops=None):
    return num_ops
'''

MISTAKES = {
    "ceil": '''
def crossover(num_ops, capture_cost_ops=None):
    c = Fraction(num_ops if capture_cost_ops is None else capture_cost_ops)
    if num_ops == 1:
        return 1 if c < 1 else None
    return max(1, math.ceil((c - 1) / (num_ops - 1)))
''',
    "c_plus_k": '''
def graph_launches(num_ops, k, capture_cost_ops=None):
    return (num_ops if capture_cost_ops is None else capture_cost_ops) + k
''',
    "floats": '''
def eager_launches(num_ops, k):
    return float(num_ops * k)
''',
    "asymptote_of_c": '''
def asymptotic_speedup(num_ops, capture_cost_ops=None):
    c = num_ops if capture_cost_ops is None else capture_cost_ops
    return Fraction(num_ops * num_ops) / c
''',
    "starter": '''
def eager_launches(num_ops, k):
    raise NotImplementedError("eager_launches")
def graph_launches(num_ops, k, capture_cost_ops=None):
    raise NotImplementedError("graph_launches")
def crossover(num_ops, capture_cost_ops=None):
    raise NotImplementedError("crossover")
def asymptotic_speedup(num_ops, capture_cost_ops=None):
    raise NotImplementedError("asymptotic_speedup")
''',
}

#: Attacks on the grader: name -> source appended to CORRECT (or replacing it, if it says so).
HOSTILE = {
    "loop_at_import": "\nwhile True:\n    pass\n",
    "exit0_at_import": "\nimport os\nos._exit(0)\n",
    "exit0_in_function": "\nimport os\ndef crossover(num_ops, capture_cost_ops=None):\n    os._exit(0)\n",
    "sys_exit_at_import": "\nimport sys\nsys.exit(1)\n",
    "sys_exit_in_function": "\nimport sys\ndef asymptotic_speedup(num_ops, capture_cost_ops=None):\n"
                            "    sys.exit(0)\n",
    "base_exception_at_import": "\nraise BaseException('no')\n",
    "ignores_alarm": "\nimport signal\ndef crossover(num_ops, capture_cost_ops=None):\n"
                     "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass\n",
    "fork_bomb": "\nimport os\ndef crossover(num_ops, capture_cost_ops=None):\n    while True:\n"
                 "        try:\n            os.fork()\n        except OSError:\n            pass\n",
    "allocates_10gb": "\ndef eager_launches(num_ops, k):\n    block = bytearray(10 * 2**30)\n"
                      "    return num_ops * k + len(block) * 0\n",
    "returns_nan": "\ndef asymptotic_speedup(num_ops, capture_cost_ops=None):\n    return float('nan')\n",
    "returns_generator": "\ndef eager_launches(num_ops, k):\n    return (x for x in [num_ops * k])\n",
    "eq_raises": "\nclass Sly:\n    def __eq__(self, other):\n        raise RuntimeError('no')\n"
                 "    def __repr__(self):\n        raise RuntimeError('no')\n"
                 "def asymptotic_speedup(num_ops, capture_cost_ops=None):\n    return Sly()\n",
    "huge_int": "\ndef asymptotic_speedup(num_ops, capture_cost_ops=None):\n    return 10**1000000\n",
    "patches_fractions": "\nimport fractions\nfractions.Fraction.__eq__ = lambda a, b: True\n"
                         "def crossover(num_ops, capture_cost_ops=None):\n    return 7\n",
    "patches_derive": "\ntry:\n    import derive.conformance.suite as dc\n    dc.conforms = lambda e, g: True\n"
                      "    import derive.grade.judge as dj\n    dj.conforms = lambda e, g: True\n"
                      "except ImportError:\n    pass\n"
                      "def crossover(num_ops, capture_cost_ops=None):\n    return 7\n",
    "prints_a_lot": "\nprint('x' * 10**6)\n",
}

#: Attacks on the file system, written with the paths they aim at (see write_class).
ESCAPES = {
    "writes_parent": "\n_right = crossover\ndef crossover(num_ops, capture_cost_ops=None):\n"
                     "    try:\n        open('../escaped.txt', 'w').write('out')\n        return 99\n"
                     "    except OSError:\n        return _right(num_ops, capture_cost_ops)\n",
    "reads_other": "\n_right = crossover\ndef crossover(num_ops, capture_cost_ops=None):\n"
                   "    try:\n        open({other!r}).read()\n        return 99\n"
                   "    except OSError:\n        return _right(num_ops, capture_cost_ops)\n",
}


def write_class(directory, count, *, hostile=True, seed=0):
    """Write ``count`` submissions into ``directory`` (each ``NAME.py``; a few as folders):
    every hostile one first (if asked), then correct ones and classic mistakes at random."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    sources = {}
    if hostile:
        sources.update({name: CORRECT + text for name, text in HOSTILE.items()})
        other = str((directory / "student_000.py").resolve())
        sources.update({name: CORRECT + text.format(other=other) for name, text in ESCAPES.items()})
    kinds = ["correct"] * 3 + sorted(MISTAKES)
    i = 0
    while len(sources) < count:
        kind = rng.choice(kinds)
        sources[f"student_{i:03d}"] = CORRECT + ("" if kind == "correct" else MISTAKES[kind])
        i += 1
    for n, (name, source) in enumerate(sorted(sources.items())[:count]):
        if n % 7 == 3:                          # some hand in a folder
            (directory / name).mkdir(exist_ok=True)
            path = directory / name / "starter.py"
        else:
            path = directory / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        written.append(path.parent if path.name == "starter.py" else path)
    return written
