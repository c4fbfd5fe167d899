"""Fuzz the command line: every subcommand, random and grammar-aware inputs, in child processes.

    python bench/fuzz_cli.py [--count 2000] [--seed 0] [--jobs 1] [--json FILE]

Each invocation runs ``python -m derive …`` as a child process under a memory limit
(``RLIMIT_AS``, 2 GiB, set in ``preexec_fn``) and a wall-clock limit (the command's
budget from :data:`derive.limits.BUDGETS` plus :data:`SLACK`), with its own working
directory. Inputs are drawn from a seeded generator: formulas from a small grammar
(the lab's names, numbers of every size, ``floor``, ``\\frac``, relations, deep nesting),
the same mutated (a character changed, a run doubled, a huge number put in), derivations
of many lines, ladder TOML files with every key broken in turn, measure JSON files,
special files (``/dev/zero``, a FIFO, a directory), student implementations for
``verify``, and plain noise: random bytes, 100,000-character words, unicode.

Reported, per subcommand and in total: invocations; Python tracebacks on stderr; hangs
(killed at the limit); runs over the command's budget (wall time above the budget plus
:data:`SLACK` seconds for starting the interpreter); memory blow-ups (peak resident set
above 500 MB, or killed by the memory limit); exit codes outside 0–3; error lines over
300 characters. Targets (README, "Budgets"): all zero, peak memory under 500 MB, on at
least 2,000 invocations. Exit status 1 when a target is missed.

``tests/test_fuzz.py`` runs a short form of this in the default suite (marked ``fuzz``).
"""

import argparse
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derive.limits import BUDGETS  # noqa: E402

MEMORY_LIMIT = 2 * 1024**3        #: RLIMIT_AS of every child, bytes
PEAK_TARGET = 500 * 1024**2       #: the most resident memory a run may reach, bytes
LINE_TARGET = 300                 #: the longest error line allowed, characters
SLACK = 3.0                       #: seconds for starting and stopping the interpreter
MAX_ARGUMENT = 100_000            #: the longest argument in bytes (Linux takes at most 131,072)
NOT_BUDGETED = 60                 #: the limit for verify and measure, which bound their own parts
COMMANDS = ("lab", "show", "check", "steps", "verify", "prove", "plot", "report",
            "exercises", "measure", "ladder", "noise")
QUANTITIES = ("eager_total", "graph_total", "break_even", "crossover", "asymptote",
              "per_call_ratio")
PRESETS = ("cuda-graph", "wall-clock", "multi-step", "fusion", "compile", "kernel-batching")
NAMES = ("n", "c", "k", "t", "x", "n_1", "alpha", "N", "oo", "pi", "E", "I", "__import__")


# -- inputs ------------------------------------------------------------------------------

def number(rng):
    """A number as typed: small, huge, a fraction, a decimal, an exponent, a negative."""
    kind = rng.randrange(8)
    if kind == 0:
        return str(rng.randrange(0, 10))
    if kind == 1:
        return str(rng.randrange(1, 10**rng.randrange(1, 60)))
    if kind == 2:
        return f"{rng.randrange(1, 100)}/{rng.randrange(0, 100)}"
    if kind == 3:
        return f"{rng.randrange(0, 1000)}.{rng.randrange(0, 1000)}"
    if kind == 4:
        return f"1e{rng.choice([-400, -5, 5, 99, 400, 100000000])}"
    if kind == 5:
        return "9" * rng.choice([50, 200, 5000])
    if kind == 6:
        return f"-{rng.randrange(0, 100)}"
    return rng.choice(["0.5", "2.5", "1/2", "3", "30", "300", "0"])


def formula(rng, depth=0):
    """A formula from a small grammar over the lab's names, plain or LaTeX."""
    if depth > rng.choice([2, 4, 8]) or rng.random() < 0.3:
        if rng.random() < 0.5:                   # mostly the lab's names, so inputs get deep
            return rng.choice(NAMES) if rng.random() < 0.2 else rng.choice("nck")
        return number(rng) if rng.random() < 0.5 else rng.choice("123")
    a, b = formula(rng, depth + 1), formula(rng, depth + 1)
    return rng.choice([
        f"{a} + {b}", f"{a} - {b}", f"{a}*{b}", f"{a}/{b}", f"({a})^{rng.choice(['2', '3', '17', '100', 'n'])}",
        f"floor({a})", f"ceil({a})", f"\\lfloor {a} \\rfloor", f"\\frac{{{a}}}{{{b}}}", f"({a})",
        f"{a}{b}", f"max({a}, {b})", f"{a} < {b}", f"{a} >= {b}", f"\\left( {a} \\right)",
        f"{a} \\cdot {b}", f"sqrt({a})", f"-{a}", f"{a}**{b}", f"{a} = {b}",
    ])


def relation(rng):
    return f"{formula(rng)} {rng.choice(['<', '>', '<=', '>=', '=', '!=', '≤'])} {formula(rng)}"


def mutate(rng, text):
    """``text`` with a character changed, a run repeated, a huge number or noise put in."""
    if not text:
        return noise(rng)
    i = rng.randrange(len(text))
    kind = rng.randrange(6)
    if kind == 0:
        return text[:i] + rng.choice(string.printable + "∞√π×÷≤≥\x00") + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i:i + 5] * rng.choice([2, 50, 2000]) + text[i + 5:]
    if kind == 2:
        return text[:i] + "9" * rng.choice([30, 400, 5000]) + text[i:]
    if kind == 3:
        return text[:i] + "(" * rng.choice([10, 100, 3000]) + text[i:]
    if kind == 4:
        return text[:i]
    return text + noise(rng, 20)


def noise(rng, size=None):
    """Random text: printable, unicode, control characters; sometimes 100,000 characters."""
    size = size or rng.choice([0, 1, 5, 40, 300, 5000, 100_000])
    alphabet = rng.choice([string.printable, string.ascii_letters, "0123456789+-*/^()",
                           "αβγ∑∫√∞≤≥→€😀\u202e\ufeff", "".join(map(chr, range(1, 32)))])
    return "".join(rng.choice(alphabet) for _ in range(size))


ANSWERS = ("k*n", "c + k - 1", "floor((c - 1)/(n - 1)) + 1", "(c - 1)/(n - 1)", "n",
           "k n / (c + k - 1)", "\\left\\lfloor \\frac{c-1}{n-1} \\right\\rfloor + 1",
           "ceil((c - 1)/(n - 1))", "max(1, floor((c-1)/(n-1)) + 1)", "2", "c/(n-1)")


def expression(rng):
    kind = rng.randrange(7)
    return (rng.choice(ANSWERS) if kind < 2 else formula(rng) if kind < 4
            else mutate(rng, rng.choice(ANSWERS + (formula(rng),))) if kind < 6 else noise(rng))


def binding(rng):
    if rng.random() < 0.15:
        return noise(rng)
    return f"{rng.choice(('n', 'c', 'k', 'q', 'n', 'c'))}={expression(rng)}"


def assumption(rng):
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.choice(NAMES)} {rng.choice(['>=', '>', 'integer', '<'])} {number(rng)}"
    if kind == 1:
        return relation(rng)
    if kind == 2:
        return mutate(rng, "n >= 2")
    return noise(rng)


def options(rng, choices):
    """A few of ``choices``, each a function of ``rng`` returning a list of arguments."""
    out = []
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
        out += rng.choice(choices)(rng)
    return out


def _set(rng):
    return ["--set", binding(rng)]


def _assume(rng):
    return ["--assume", assumption(rng)]


def _format(rng, formats=("text", "json")):
    return ["--format", rng.choice(formats * 3 + (noise(rng, 8),))]


def _model(rng):
    return ["--model", rng.choice(("cuda-graph",) * 4 + PRESETS + (noise(rng),))]


# -- one generator per subcommand: (argv, stdin bytes, files to write) -------------------

def gen_lab(rng, tmp):
    return rng.choice([[], ["--format", "json"], ["--format", noise(rng, 5)], ["--version"],
                       [noise(rng)], ["--help"]]), None


def gen_show(rng, tmp):
    argv = ["show"]
    kind = rng.randrange(4)
    if kind == 0:
        argv += [rng.choice(PRESETS + (noise(rng),))]
    elif kind == 1:
        names = [f"v{i}" for i in range(rng.choice([2, 10, 33, 60]))]
        argv += ["--baseline", f"k*({'+'.join(names)})" if rng.random() < 0.5 else f"k*{rng.choice(names)}",
                 "--amortized", rng.choice(["s + k*t", f"{'*'.join(names[:16])} + k"])]
    elif kind == 2:
        argv += ["--baseline", expression(rng), "--amortized", expression(rng)]
        argv += options(rng, [_assume])
    else:
        argv += ["--list"] if rng.random() < 0.3 else []
    argv += options(rng, [_set, lambda r: _format(r, ("text", "json", "latex", "markdown")),
                          lambda r: ["--seconds", rng.choice(["0.5", "2", "-1", "nan", "1e9", noise(r, 5)])]])
    return argv, None


def gen_check(rng, tmp):
    quantity = rng.choice(QUANTITIES + (noise(rng),)) if rng.random() < 0.9 else noise(rng)
    answer = expression(rng) if rng.random() < 0.85 else "-"
    argv = ["check", quantity, "--", answer] if answer.startswith("-") and answer != "-" else \
        ["check", quantity, answer]
    argv[1:1] = options(rng, [_set, _assume, _model, _format])
    stdin = (expression(rng).encode("utf-8", "replace") if rng.random() < 0.8 else os.urandom(rng.choice([10, 70_000])))
    return argv, stdin


CHAIN = ("c + k - 1 < k*n", "c - 1 < k(n - 1)", "assume n >= 2", "k > (c - 1)/(n - 1)",
         "k >= floor((c - 1)/(n - 1)) + 1")


def derivation(rng):
    if rng.random() < 0.3:                       # the lab's chain, a line changed or not
        lines = list(CHAIN)
        if rng.random() < 0.7:
            i = rng.randrange(len(lines))
            lines[i] = mutate(rng, lines[i]) if rng.random() < 0.5 else relation(rng)
        return "\n".join(lines)
    lines = []
    for _ in range(rng.choice([1, 2, 3, 8, 40, 250])):
        kind = rng.randrange(6)
        lines.append(relation(rng) if kind < 3 else f"assume {assumption(rng)}" if kind == 3
                     else "# a comment" if kind == 4 else mutate(rng, "c - 1 < k(n - 1)"))
    if rng.random() < 0.2:                       # the hard file, as many times
        lines = ["(n*k - c)^3 > (c*k - n)^2", "n*k > c"] * rng.choice([4, 100])
    return "\n".join(lines)


def gen_steps(rng, tmp):
    path = tmp / "steps.txt"
    kind = rng.randrange(8)
    stdin = None
    if kind < 5:
        path.write_text(derivation(rng), encoding="utf-8", errors="replace")
        target = str(path)
    elif kind == 5:
        target, stdin = "-", derivation(rng).encode("utf-8", "replace")
    else:
        target = special(rng, tmp)
    argv = ["steps", target] + options(rng, [_set, _assume, _model, _format,
                                             lambda r: ["--seconds", r.choice(["1", "0", "x", "700", "0.01"])]])
    return argv, stdin


def special(rng, tmp):
    """A path that is not a small regular file."""
    kind = rng.randrange(6)
    if kind == 0:
        return "/dev/zero"
    if kind == 1:
        fifo = tmp / "fifo"
        if not fifo.exists():
            os.mkfifo(fifo)
        return str(fifo)
    if kind == 2:
        return str(tmp)
    if kind == 3:
        big = tmp / "big"
        with open(big, "wb") as handle:
            handle.write(b"9" * (2 * 1024 * 1024))
        return str(big)
    if kind == 4:
        return str(tmp / "missing" / noise(rng, 10).replace("/", "_").replace("\x00", ""))
    return "/proc/self/mem"


IMPLEMENTATIONS = [
    "def eager_launches(n, k): return n * k\n"
    "def graph_launches(n, k, c=None): return (n if c is None else c) + k - 1\n"
    "def crossover(n, c=None):\n    import math\n    c = n if c is None else c\n"
    "    return None if n == 1 and c >= 1 else max(1, math.floor((c - 1) / (n - 1)) + 1) if n > 1 else 1\n"
    "def asymptotic_speedup(n, c=None): return n\n",
    "def eager_launches(n, k): return n * k\n",
    "import time\ndef eager_launches(n, k):\n    while True: pass\n",
    "x = [0] * 10**10\n",
    "raise SystemExit(7)\n",
    "import os\nos._exit(9)\n",
    "def eager_launches(n, k): return 'x' * 10**6\n",
]


def gen_verify(rng, tmp):
    path = tmp / "impl.py"
    kind = rng.randrange(4)
    if kind < 2:
        path.write_text(rng.choice(IMPLEMENTATIONS) if kind == 0 else mutate(rng, rng.choice(IMPLEMENTATIONS)),
                        encoding="utf-8", errors="replace")
        target = str(path)
    elif kind == 2:
        target = rng.choice([noise(rng, 30), special(rng, tmp), "derive.numeric", str(tmp / "none.py")])
    else:
        target = noise(rng)
    argv = ["verify", target, "--examples", rng.choice(["5", "20", "0", "x", "1e9"]),
            "--timeout", rng.choice(["0.5", "1", "-1", "nan"]), "--quiet"]
    return argv, None


def gen_prove(rng, tmp):
    names = ["three-n", "crossover-rule", "tie-then-ahead", "eager-total", "graph-total"]
    argv = ["prove"] + [rng.choice(names + [noise(rng), mutate(rng, "three-n")])
                        for _ in range(rng.choice([1, 1, 2, 5]))]
    return argv + options(rng, [_format]), None


def gen_plot(rng, tmp):
    sizes = ",".join(str(rng.choice([1, 2, 3, 30, 300, 10**9, 10**12, 0, -1]))
                     for _ in range(rng.choice([1, 3, 8, 50])))
    argv = ["plot", "--n", sizes if rng.random() < 0.8 else noise(rng),
            "--out", str(tmp / rng.choice(["p.png", "p.svg", "p.pdf", "p.txt"])) if rng.random() < 0.85
            else rng.choice(["/proc/x.png", str(tmp / "no" / "p.png"), noise(rng, 30)])]
    argv += options(rng, [_set, lambda r: ["--kmax", r.choice(["10", "1", "10000", "10**12", noise(r, 300)])],
                          lambda r: ["--unit-us", r.choice(["3.5", "0", "1e400", special(r, tmp), measure_file(r, tmp)])]])
    return argv, None


def measure_file(rng, tmp):
    path = tmp / "measure.json"
    path.write_text(rng.choice([
        json.dumps({"unit_us": rng.choice([3.5, -1, 0, "x" * 1000, [1] * 1000, 1e308])}),
        "{" * 5000, noise(rng), '{"unit_us": 1' + "0" * 200 + "}"]), encoding="utf-8", errors="replace")
    return str(path)


def gen_report(rng, tmp):
    argv = ["report", rng.choice(PRESETS[:2] + (noise(rng),)), "--out",
            str(tmp / "report") if rng.random() < 0.9 else rng.choice(["/proc/report", "/dev/null"])]
    return argv + options(rng, [_set]), None


def gen_exercises(rng, tmp):
    argv = ["exercises"]
    if rng.random() < 0.2:
        argv.append(rng.choice(PRESETS + (noise(rng),)))
    argv += ["--count", rng.choice(["1", "10", "100", "0", "-5", "2000", noise(rng, 10), "9" * 400]),
             "--seed", rng.choice(["0", "7", "-1", "9" * 50, noise(rng, 400)])]
    return argv + options(rng, [lambda r: ["--format", r.choice(["markdown", "json", "latex", "x"])]]), None


LADDER = (ROOT / "examples" / "ladder.toml").read_text(encoding="utf-8")
LADDER_VALUES = {"max_batch": "512", "traffic": '"uniform"', "n": "300", "t_launch": "5e-6",
                 "t_gpu": "[5e-3, 1e-5]", "graph_memory": "[4e-3, 2e-5]", "memory_budget": "0.25",
                 "capture_passes": "3", "steps": "1_000_000"}


def ladder_file(rng, tmp):
    text = LADDER
    for _ in range(rng.choice([0, 1, 1, 2])):
        key = rng.choice(list(LADDER_VALUES))
        value = rng.choice([
            f'"{"x" * rng.choice([10, 1_000_000])}"', "[" + ", ".join(["1"] * rng.choice([3, 100_000])) + "]",
            "9" * rng.choice([20, 400]), "-1", "0", "inf", "nan", "1e400", "{}", "true", number(rng),
            rng.choice(["2048", "2049", "4096", "1"]), "{" + ", ".join(f'"{i}" = 1' for i in range(1, 60)) + "}"])
        text = text.replace(f"{key} = {LADDER_VALUES[key]}", f"{key} = {value}", 1)
    if rng.random() < 0.15:
        text = mutate(rng, text)
    path = tmp / "ladder.toml"
    path.write_text(text, encoding="utf-8", errors="replace")
    return str(path)


def gen_ladder(rng, tmp):
    config = ladder_file(rng, tmp) if rng.random() < 0.8 else special(rng, tmp)
    argv = ["ladder", "--config", config] + options(rng, [_format])
    if rng.random() < 0.1:
        argv += ["--plot", str(tmp / "ladder.png")]
    return argv, None


def gen_measure(rng, tmp):
    if rng.random() < 0.1:
        return ["measure", "--quick", "--format", "json"], None
    return ["measure", rng.choice(["--quick", "--format", "--cuda", noise(rng)]), noise(rng, 20)], None


def gen_noise(rng, tmp):
    return [noise(rng) for _ in range(rng.choice([1, 2, 5]))], os.urandom(rng.choice([0, 100]))


GENERATORS = {"lab": gen_lab, "show": gen_show, "check": gen_check, "steps": gen_steps,
              "verify": gen_verify, "prove": gen_prove, "plot": gen_plot, "report": gen_report,
              "exercises": gen_exercises, "measure": gen_measure, "ladder": gen_ladder,
              "noise": gen_noise}
WEIGHTS = {"lab": 2, "show": 14, "check": 16, "steps": 12, "verify": 4, "prove": 4, "plot": 6,
           "report": 2, "exercises": 6, "measure": 1, "ladder": 10, "noise": 4}


# -- running -----------------------------------------------------------------------------

def budget(command, argv):
    """The seconds ``command`` may take as the CLI enforces it (see derive.cli._budget)."""
    if command == "steps":
        seconds = 5.0
        if "--seconds" in argv:
            try:
                seconds = float(argv[argv.index("--seconds") + 1])
            except (ValueError, IndexError):
                pass
        return (seconds if 0 < seconds <= 600 else 5.0) + BUDGETS["steps"]
    if command == "show" and "--seconds" in argv:
        try:
            seconds = float(argv[argv.index("--seconds") + 1])
            if 0 < seconds <= 600:
                return seconds
        except (ValueError, IndexError):
            pass
    return BUDGETS.get(command, NOT_BUDGETED)


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.setsid()                                   # its own group: a hang is killed whole


def run_one(command, argv, stdin, workdir, limit):
    """Run ``python -m derive *argv``; a dict of what happened."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    argv = [arg.replace("\x00", "").encode("utf-8", "replace")[:MAX_ARGUMENT]
            .decode("utf-8", "ignore") for arg in argv]        # what a shell can pass
    started = time.monotonic()
    with open(workdir / "stdout", "wb") as out, open(workdir / "stderr", "wb") as err:
        child = subprocess.Popen([sys.executable, "-m", "derive", *argv], cwd=workdir, env=env,
                                 stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                 stdout=out, stderr=err, preexec_fn=_limit_memory)
        if stdin is not None:
            try:
                child.stdin.write(stdin)
                child.stdin.close()
            except (BrokenPipeError, OSError):
                pass
        hung = False
        deadline = started + limit
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                hung = True
                os.killpg(child.pid, 9)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    stderr = (workdir / "stderr").read_bytes().decode("utf-8", "replace")
    return {
        "command": command, "argv": [a[:200] for a in argv], "code": child.returncode,
        "seconds": round(wall, 3), "peak_bytes": usage.ru_maxrss * 1024, "hung": hung,
        "traceback": "Traceback (most recent call last)" in stderr,
        "longest_line": max((len(line) for line in stderr.splitlines()), default=0),
        "memory_error": "too large to work with" in stderr,      # derive's own MemoryError
        "stderr_tail": stderr[-300:],
    }


def problems(result, slack=SLACK):
    """The targets this run missed, by name."""
    found = []
    if result["traceback"]:
        found.append("traceback")
    if result["hung"]:
        found.append("hang")
    elif result["seconds"] > result["budget"] + slack:
        found.append("over budget")
    if result["peak_bytes"] > PEAK_TARGET or result["memory_error"] or result["code"] == -9 and not result["hung"]:
        found.append("memory")
    if not 0 <= result["code"] <= 3:
        found.append("exit code")
    if result["longest_line"] > LINE_TARGET:
        found.append("long line")
    return found


def cases(count, seed):
    """``count`` cases ``(command, generator seed)``, every command at least once."""
    rng = random.Random(seed)
    commands = list(COMMANDS)
    commands += rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=max(0, count - len(commands)))
    return [(command, rng.randrange(2**32)) for command in commands[:count]]


def fuzz_case(command, case_seed, slack=SLACK):
    rng = random.Random(case_seed)
    with tempfile.TemporaryDirectory(prefix="derive-fuzz-") as tmp:
        tmp = Path(tmp)
        argv, stdin = GENERATORS[command](rng, tmp)
        limit = budget(command, argv)
        result = run_one(command, argv, stdin, tmp, limit + slack + 10)
    result["budget"] = limit
    result["seed"] = case_seed
    result["problems"] = problems(result, slack)
    return result


def fuzz(count=2000, seed=0, jobs=1, progress=None, slack=SLACK):
    """Run ``count`` invocations; the list of results."""
    todo = cases(count, seed)
    results = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(lambda case: fuzz_case(*case, slack=slack), todo):
            results.append(result)
            if progress:
                progress(len(results), len(todo), result)
    return results


def table(results):
    """The README's table: one row per subcommand and a total."""
    rows = defaultdict(list)
    for result in results:
        rows[result["command"]].append(result)
    head = ("| command | runs | tracebacks | hangs | over budget | memory | exit outside 0–3 "
            "| lines > 300 | exit codes | slowest s (budget) | peak MB |")
    lines = [head, "|" + "---|" * 11]

    def row(name, group):
        found = Counter(p for r in group for p in r["problems"])
        codes = Counter(r["code"] for r in group)
        slowest = max(group, key=lambda r: r["seconds"])
        return (f"| {name} | {len(group)} | {found['traceback']} | {found['hang']} | "
                f"{found['over budget']} | {found['memory']} | {found['exit code']} | "
                f"{found['long line']} | {' '.join(f'{c}:{n}' for c, n in sorted(codes.items()))} | "
                f"{slowest['seconds']:.1f} ({slowest['budget']:g}) | "
                f"{max(r['peak_bytes'] for r in group) / 2**20:.0f} |")

    for name in COMMANDS:
        if rows.get(name):
            lines.append(row(name, rows[name]))
    lines.append(row("**all**", results))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", metavar="FILE", help="write every result to FILE")
    args = parser.parse_args(argv)

    def progress(done, total, result):
        if result["problems"]:
            print(f"  {result['command']} {result['problems']} {result['argv']!r:.300} "
                  f"-> {result['code']}: {result['stderr_tail'][-200:]!r}", file=sys.stderr)
        if done % 100 == 0 or done == total:
            print(f"{done}/{total}", file=sys.stderr)

    started = time.monotonic()
    results = fuzz(args.count, args.seed, args.jobs, progress)
    print(table(results))
    print(f"\n{len(results)} invocations in {time.monotonic() - started:.0f} s, seed {args.seed}, "
          f"{args.jobs} at a time")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
