"""A class's results written out: JSON, CSV, Gradescope's ``results.json``, Markdown.

=======================  ================================================================
``to_json(report)``      the whole report: students, their functions, the class summary
``to_csv(report)``       one row per student: score, max, each function's status, mistakes
``gradescope(student)``  Gradescope's ``results.json`` for one student: ``score``,
                         ``output`` and ``tests`` with ``name``, ``score``, ``max_score``,
                         ``status``, ``output``
``feedback(student)``    one student's feedback in Markdown
``summary_markdown``     the class in Markdown: passes per function, common mistakes
``merge(texts)``         shards' JSON reports joined into one report
``write(report, out)``   every format under a directory
=======================  ================================================================

Every output is the same bytes for the same submissions, seed and options: students in
path order, keys in a fixed order, no times — unless ``timings`` asks for each student's
seconds and the slowest submissions, which vary from run to run.

>>> from derive.grade.judge import FunctionResult, StudentResult
>>> alice = StudentResult("alice", (FunctionResult("crossover", "pass", 1, 1, "conforms"),))
>>> report = build([alice], model="cuda-graph", functions=("crossover",), seed=0,
...                isolation=(True, "isolated"))
>>> to_csv(report).splitlines()
['submission,score,max_score,crossover,mistakes', 'alice,1,1,pass,']
"""

import csv
import io
import json
from collections import Counter
from pathlib import Path

from .._version import __version__
from .judge import FunctionResult, StudentResult

__all__ = ["build", "feedback", "from_json", "gradescope", "merge", "summary", "summary_markdown",
           "to_csv", "to_json", "write"]


def build(students, *, model, functions, seed, isolation, shard=(1, 1), timings=False):
    """The report as a dict (the JSON's shape), with its class summary."""
    isolated, how = isolation
    return {
        "derive": __version__,
        "model": model,
        "seed": seed,
        "shard": f"{shard[0]}/{shard[1]}",
        "isolation": {"isolated": isolated, "how": how if isolated else
                      f"submissions were NOT isolated from each other ({how})"},
        "functions": list(functions),
        "students": [_student(s, timings) for s in students],
        "class": summary(students, functions, timings),
    }


def _student(s, timings):
    data = {"submission": s.submission, "score": s.score, "max_score": s.max_score,
            "note": s.note, "output": s.output,
            "functions": [{"function": f.function, "status": f.status, "score": f.score,
                           "max_score": f.max_score, "mistake": f.mistake, "call": f.call,
                           "expected": f.expected, "got": f.got, "feedback": f.feedback}
                          for f in s.functions]}
    if timings:
        data["seconds"] = round(s.seconds, 3)
    return data


def summary(students, functions, timings=False):
    """Passes per function, statuses, the most common mistakes; the slowest if ``timings``."""
    passes = {name: 0 for name in functions}
    statuses = {name: Counter() for name in functions}
    mistakes = Counter()
    for s in students:
        for f in s.functions:
            passes[f.function] += f.status == "pass"
            statuses[f.function][f.status] += 1
            if f.mistake:
                mistakes[(f.function, f.mistake)] += 1
    data = {
        "students": len(students),
        "full_marks": sum(1 for s in students if s.score == s.max_score),
        "mean_score": _mean(students),
        "passes": passes,
        "statuses": {name: dict(sorted(statuses[name].items())) for name in functions},
        "mistakes": [{"function": fn, "mistake": m, "students": count}
                     for (fn, m), count in sorted(mistakes.items(), key=lambda i: (-i[1], i[0]))],
    }
    if timings:
        slow = sorted(students, key=lambda s: (-s.seconds, s.submission))[:5]
        data["slowest"] = [{"submission": s.submission, "seconds": round(s.seconds, 3)} for s in slow]
    return data


def _mean(students):
    if not students:
        return "0"
    total = sum(s.score for s in students)
    whole, rest = divmod(total * 100 // len(students), 100)
    return f"{whole}.{rest:02d}"


def to_json(report):
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def from_json(text):
    """A report read back (for ``--merge``): students as :class:`StudentResult`."""
    data = json.loads(text)
    for key in ("model", "seed", "functions", "students", "isolation", "shard"):
        if key not in data:
            raise ValueError(f"not a derive grade JSON report: no {key!r}")
    students = [StudentResult(s["submission"], tuple(
        FunctionResult(f["function"], f["status"], f["score"], f["max_score"], f["feedback"],
                       f["mistake"], f["call"], f["expected"], f["got"]) for f in s["functions"]),
        s["note"], s["output"], s.get("seconds", 0.0)) for s in data["students"]]
    return data, students


def merge(texts, *, timings=False):
    """Shards' JSON reports as one: the same model, seed and functions, no student twice."""
    if not texts:
        raise ValueError("--merge needs at least one JSON report")
    heads, everyone = [], []
    for text in texts:
        head, students = from_json(text)
        heads.append(head)
        everyone += students
    first = heads[0]
    for head in heads[1:]:
        for key in ("model", "seed", "functions"):
            if head[key] != first[key]:
                raise ValueError(f"the reports differ in {key}: {first[key]!r} and {head[key]!r}")
    names = [s.submission for s in everyone]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"a student is in two reports: {', '.join(twice)}")
    everyone.sort(key=lambda s: s.submission)
    isolated = all(h["isolation"]["isolated"] for h in heads)
    how = first["isolation"]["how"] if isolated else next(
        h["isolation"]["how"] for h in heads if not h["isolation"]["isolated"]).replace(
        "submissions were NOT isolated from each other (", "").rstrip(")")
    return build(everyone, model=first["model"], functions=first["functions"], seed=first["seed"],
                 isolation=(isolated, how), timings=timings), everyone


def to_csv(report):
    """One row per student: submission, score, max_score, a status per function, mistakes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    functions = report["functions"]
    writer.writerow(["submission", "score", "max_score", *functions, "mistakes"])
    for s in report["students"]:
        status = {f["function"]: f["status"] for f in s["functions"]}
        mistakes = "; ".join(f"{f['function']}: {f['mistake']}" for f in s["functions"] if f["mistake"])
        writer.writerow([s["submission"], s["score"], s["max_score"],
                         *(status.get(name, "missing") for name in functions), mistakes])
    return out.getvalue()


def gradescope(student, report):
    """Gradescope's ``results.json`` for one student (its autograder specification's fields)."""
    tests = [{"name": f["function"], "score": f["score"], "max_score": f["max_score"],
              "status": "passed" if f["status"] == "pass" else "failed",
              "output": f["feedback"]} for f in student["functions"]]
    lines = [f"{student['score']} of {student['max_score']} functions conform to derive's engine."]
    if student["note"]:
        lines.append(student["note"])
    if not report["isolation"]["isolated"]:
        lines.append(report["isolation"]["how"])
    return {"score": student["score"], "output": "\n".join(lines), "tests": tests}


def gradescope_json(report):
    """Every student's ``results.json``: one object for one student, else ``{name: results}``."""
    if len(report["students"]) == 1:
        return json.dumps(gradescope(report["students"][0], report), indent=2) + "\n"
    return json.dumps({s["submission"]: gradescope(s, report) for s in report["students"]},
                      indent=2) + "\n"


def feedback(student, report):
    """One student's feedback as Markdown: the score, then each function's verdict."""
    lines = [f"# {student['submission']}: {student['score']} of {student['max_score']}", ""]
    if student["note"]:
        lines += [student["note"], ""]
    for f in student["functions"]:
        mark = "✓" if f["status"] == "pass" else "✗"
        lines += [f"## {mark} `{f['function']}` — {f['status']}", "", "```", f["feedback"], "```", ""]
    if student["output"]:
        lines += ["## What your code printed (the start)", "", "```", student["output"], "```", ""]
    lines.append(f"Graded by derive {report['derive']} against the {report['model']} model.")
    return "\n".join(lines) + "\n"


def summary_markdown(report):
    """The class in Markdown: isolation, passes per function, the common mistakes."""
    c = report["class"]
    lines = [f"# derive grade: {report['model']}, {c['students']} submissions", "",
             f"Isolation: {report['isolation']['how']}.", "",
             f"Full marks: {c['full_marks']}; mean score {c['mean_score']} of "
             f"{len(report['functions'])}.", "", "| function | passed |", "|---|---|"]
    lines += [f"| `{name}` | {count} |" for name, count in c["passes"].items()]
    lines += ["", "Most common mistakes:", ""]
    lines += [f"- `{m['function']}`: {m['mistake']} ({m['students']})" for m in c["mistakes"]] or ["- none"]
    if "slowest" in c:
        lines += ["", "Slowest submissions:", ""]
        lines += [f"- {s['submission']}: {s['seconds']} s" for s in c["slowest"]]
    lines += ["", "| submission | score |", "|---|---|"]
    lines += [f"| {s['submission']} | {s['score']}/{s['max_score']} |" for s in report["students"]]
    return "\n".join(lines) + "\n"


def write(report, out):
    """Every format under ``out``: grades.json, grades.csv, summary.md, feedback/NAME.md and
    gradescope/NAME/results.json. Returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def put(path, text):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)

    put(out / "grades.json", to_json(report))
    put(out / "grades.csv", to_csv(report))
    put(out / "summary.md", summary_markdown(report))
    for s in report["students"]:
        put(out / "feedback" / f"{s['submission']}.md", feedback(s, report))
        put(out / "gradescope" / s["submission"] / "results.json",
            json.dumps(gradescope(s, report), indent=2) + "\n")
    return written


FORMATS = {"json": to_json, "csv": to_csv, "gradescope": gradescope_json, "markdown": summary_markdown}
