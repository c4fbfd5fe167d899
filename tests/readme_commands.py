"""The README's shell commands, read out of README.md and replayed as a new user would.

``commands()`` lists every ``derive …`` line of the README's shell blocks (the ``$``
prompt and trailing ``# comments`` removed); ``replay(commands, workdir)`` runs each one
with ``bash`` in a scratch directory holding a copy of ``examples/``, and records its exit
code, its output and a digest of every file it wrote. Timings and the measuring command
are the only things masked: they differ from run to run by nature.

As a script it snapshots the outputs and compares them with an earlier snapshot, which is
how a refactoring shows that it changed no behaviour::

    python -m tests.readme_commands record before.json
    python -m tests.readme_commands compare before.json
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Commands whose output is a measurement of this machine, not a derivation.
_MEASURING = ("derive measure", "derive plot --unit-us measured.json")
# Seconds printed by `derive prove` (table and JSON): the one timing in derived output.
_PYTEST_TIME = re.compile(r"in [0-9.]+s\b")
_SECONDS = re.compile(r"(\"seconds\": )[0-9.e-]+|\b[0-9]+\.[0-9]+(?= *s\b)|(?<=  )[0-9]+\.[0-9]{2,}\b")


def commands(readme=README):
    """Every ``derive`` and ``pytest --derive-impl`` command in README's shell blocks."""
    found, fence = [], None
    for line in Path(readme).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = None if fence is not None else stripped[3:]
            continue
        if fence == "sh":
            text = stripped[2:] if stripped.startswith("$ ") else stripped
        elif fence == "" and stripped.startswith("$ "):     # a shown session: ``$ derive …``
            text = stripped[2:]
        else:
            continue
        if not (text.startswith("derive") or text.startswith("pytest --derive-impl")):
            continue
        text = re.sub(r"\s+#\s.*$", "", text)          # a trailing comment
        if text not in found:
            found.append(text)
    return found


def replay(command_list, workdir, *, timeout=300, examples=True, env=None):
    """Run each command in ``workdir`` (which gets a copy of examples/ unless ``examples``
    is false: a new user's empty folder); return records. ``env`` replaces the environment."""
    workdir = Path(workdir)
    if examples:
        shutil.copytree(ROOT / "examples", workdir / "examples", dirs_exist_ok=True)
    records = []
    for command in command_list:
        before = _digests(workdir)
        done = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              env={**(os.environ if env is None else env), "COLUMNS": "100"})
        after = _digests(workdir)
        written = {name: digest for name, digest in after.items() if before.get(name) != digest}
        masked = command.startswith(_MEASURING)
        records.append({
            "command": command,
            "exit": done.returncode,
            "stdout": "<measured>" if masked else _mask(done.stdout, workdir),
            "stderr": "<measured>" if masked else _mask(done.stderr, workdir),
            "files": {name: ("<measured>" if masked else digest)
                      for name, digest in sorted(written.items())},
        })
    return records


def _mask(text, workdir):
    text = text.replace(str(workdir), "<workdir>")
    text = _PYTEST_TIME.sub("in <s>", text)
    return _SECONDS.sub(lambda m: (m.group(1) or "") + "<s>", text)


def _digests(folder):
    digests = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and ".hypothesis" not in path.parts and "__pycache__" not in path.parts:
            digests[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def _main(argv):
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    action, snapshot = argv
    with tempfile.TemporaryDirectory() as scratch:
        records = replay(commands(), scratch)
    if action == "record":
        Path(snapshot).write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n")
        print(f"recorded {len(records)} commands in {snapshot}")
        return 0
    earlier = {r["command"]: r for r in json.loads(Path(snapshot).read_text())}
    differ = [r["command"] for r in records if earlier.get(r["command"]) != r]
    for command in differ:
        print(f"differs: {command}")
        old, new = earlier.get(command) or {}, next(r for r in records if r["command"] == command)
        for key in ("exit", "stdout", "stderr", "files"):
            if old.get(key) != new[key]:
                print(f"  {key}: before {old.get(key)!r:.300}\n  {key}: after  {new[key]!r:.300}")
    print(f"{len(records) - len(differ)} of {len(records)} commands print what they printed before")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
