"""Run a target's functions in a child process: the caller decides, the child only answers.

A :class:`Sandbox` starts a fresh interpreter running :mod:`derive.conformance._runner`
(standard library only) that imports the target and answers calls over two pipes. The
parent sends the arguments, reads back plain data (ints and fractions in hexadecimal,
floats, ``None``, a type name for anything else) and compares it itself: whatever the
target does to its own process — patch derive, ``os._exit``, ignore ``SIGALRM``, return
``10**100000`` — changes only its answers, never the verdict.

==========================  ==============================================================
``Sandbox(target, names)``  start the child, import ``target``; ``.functions`` says what it
                            defines; ``.call(name, args, timeout)``, ``.calls(...)``
``Limits``                  CPU seconds, address space, open files, file size, processes,
                            output kept
``isolation()``             whether this machine can isolate a child (namespaces), and why
``Answer``                  one call's outcome: ``ok`` (a value), ``raised``, ``timeout``,
                            ``died``
==========================  ==============================================================

Bounds, always: the child's own session (killed as a group), a scrubbed environment,
``resource`` limits, its output sent to a file it cannot grow past the limit, and a
wall-clock deadline per call kept by the parent (a child that ignores every signal is
still killed). With ``isolate=True`` (where :func:`isolation` says it works: root, or
unprivileged user namespaces) the child also gets a new mount, network, IPC and UTS
namespace whose root is an empty read-only tmpfs holding only the system's libraries,
the interpreter, a private ``/tmp`` and its own working directory — no network, no other
submission, none of the grader's files — and, when the parent is root, runs under an
unprivileged uid of its own, so that ``RLIMIT_NPROC`` binds (root is exempt from it) and
every process it forked can be killed by uid at the end.

Floor 4: imports nothing from derive (the runner is a standard-library program).
"""

import ctypes
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

__all__ = ["Answer", "Limits", "Loaded", "Opaque", "Sandbox", "TargetNotFound", "can_drop", "isolation",
           "sandbox_uid"]

_RUNNER = Path(__file__).with_name("_runner.py")
_MAX_LINE = 1 << 20                  # bytes of one reply line, at most
_MAX_HEX = 1 << 15                   # hex digits of one number (the runner sends bigger as "big")
_BATCH = 64                          # calls per request: a request stays well inside a pipe's buffer


@dataclass(frozen=True)
class Limits:
    """What the child may use: seconds of CPU, MB of address space, files, processes."""

    cpu_s: int = 60
    memory_mb: int = 1024
    open_files: int = 64
    file_size_mb: int = 8
    processes: int = 16
    output_bytes: int = 4096


@dataclass(frozen=True)
class Answer:
    """One call's outcome: ``kind`` is ok, raised, timeout or died; ``value`` or ``text``."""

    kind: str
    value: object = None
    text: str = ""


@dataclass(frozen=True)
class Loaded:
    """The target imported (``ok``), or why not: ``reason``, and whether it was not found."""

    ok: bool
    functions: dict
    reason: str = ""
    not_found: bool = False
    died: bool = False


class Opaque:
    """An answer that is not a number: shown by its description, equal to nothing."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class TargetNotFound(ValueError):
    """The target is not there to import (a bad argument, not a bad submission)."""


# -- isolation -------------------------------------------------------------------------

_NEWNS, _NEWUTS, _NEWIPC, _NEWUSER, _NEWNET = 0x20000, 0x04000000, 0x08000000, 0x10000000, 0x40000000
_RDONLY, _NOSUID, _NODEV, _REMOUNT, _BIND, _REC, _PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _ok(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(libc, source, target, fstype, flags, data=None):
    _ok(libc.mount(None if source is None else source.encode(), target.encode(),
                   None if fstype is None else fstype.encode(), flags,
                   None if data is None else data.encode()), f"mount {target}")


def _visible_paths():
    """What an isolated child sees, read-only: system libraries and this interpreter."""
    paths = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", sys.base_prefix, sys.prefix]
    return [p for p in dict.fromkeys(os.path.abspath(p) for p in paths) if os.path.lexists(p)]


def _build_root(libc, root, workdir):
    """Mount the child's world at ``root``: tmpfs, read-only binds, /dev, /tmp, /submission."""
    _mount(libc, None, "/", None, _REC | _PRIVATE)
    _mount(libc, "tmpfs", root, "tmpfs", _NOSUID | _NODEV, "size=1m,mode=0755")
    os.makedirs(root + "/tmp")                       # first: a venv may live under /tmp
    _mount(libc, "tmpfs", root + "/tmp", "tmpfs", _NOSUID | _NODEV, "size=16m,mode=1777")
    for path in _visible_paths():
        inside = root + path
        if os.path.islink(path):
            os.makedirs(os.path.dirname(inside), exist_ok=True)
            os.symlink(os.readlink(path), inside)
            continue
        if os.path.lexists(inside):                  # already inside an earlier bind
            continue
        os.makedirs(inside, exist_ok=True)
        _mount(libc, path, inside, None, _BIND | _REC)
        _mount(libc, None, inside, None, _BIND | _REMOUNT | _RDONLY | _NOSUID)
    os.makedirs(root + "/dev", exist_ok=True)
    for device in ("null", "zero", "urandom", "random"):
        Path(root + "/dev/" + device).touch()
        _mount(libc, "/dev/" + device, root + "/dev/" + device, None, _BIND)
    os.makedirs(root + "/submission")
    _mount(libc, workdir, root + "/submission", None, _BIND | _NOSUID | _NODEV)
    _mount(libc, None, root, None, _REMOUNT | _RDONLY | _NOSUID | _NODEV)


def _enter(plan):
    """In the child, before exec: namespaces, the new root, the uid, the limits."""
    libc = _libc() if plan["isolate"] else None
    if plan["isolate"]:
        root_user = os.geteuid() == 0
        flags = _NEWNS | _NEWNET | _NEWIPC | _NEWUTS | (0 if root_user else _NEWUSER)
        uid, gid = os.getuid(), os.getgid()
        _ok(libc.unshare(flags), "unshare")
        if not root_user:
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"0 {uid} 1")
            Path("/proc/self/gid_map").write_text(f"0 {gid} 1")
        _build_root(libc, plan["root"], plan["workdir"])
        os.chroot(plan["root"])
        os.chdir("/submission")
    else:
        os.chdir(plan["cwd"])
    if plan["uid"] is not None:
        os.setgroups([])
        os.setgid(plan["uid"])
        os.setuid(plan["uid"])
    import resource

    limits = plan["limits"]
    for which, value in ((resource.RLIMIT_CPU, limits.cpu_s),
                         (resource.RLIMIT_AS, limits.memory_mb << 20),
                         (resource.RLIMIT_NOFILE, limits.open_files),
                         (resource.RLIMIT_FSIZE, limits.file_size_mb << 20),
                         (resource.RLIMIT_NPROC, limits.processes),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))


@cache
def isolation():
    """``(True, how)`` where a child can be isolated on this machine, else ``(False, why)``."""
    if not sys.platform.startswith("linux"):
        return False, "not Linux: no namespaces"
    workspace = tempfile.mkdtemp(prefix="derive-probe-")
    try:
        root, workdir = os.path.join(workspace, "root"), os.path.join(workspace, "work")
        os.mkdir(root)
        os.mkdir(workdir)
        plan = _plan(True, root, workdir, workdir, Limits())
        done = subprocess.run([sys.executable, "-s", "-c", "import os; os.listdir('/submission')"],
                              preexec_fn=lambda: _enter(plan), env=_ENV, capture_output=True,
                              timeout=30)
        if done.returncode != 0:
            return False, f"namespaces failed: {done.stderr.decode(errors='replace').strip()[-200:]}"
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"namespaces unavailable: {error}"
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    who = "as root, each child under a uid of its own" if os.geteuid() == 0 else "in a user namespace"
    return True, f"isolated: own mount, network, IPC and UTS namespaces, {who}"


@cache
def can_drop():
    """Whether a child can run this interpreter under an unprivileged uid (as root only).

    Without it, root's children keep uid 0, where ``RLIMIT_NPROC`` does not bind.
    """
    if os.geteuid() != 0:
        return False
    uid = sandbox_uid()

    def drop():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)

    try:
        done = subprocess.run([sys.executable, "-s", "-c", "pass"], preexec_fn=drop, env=_ENV,
                              cwd="/", capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "HOME": "/tmp"}


def _plan(isolate, root, workdir, cwd, limits, uid=None):
    return {"isolate": isolate, "root": root, "workdir": workdir, "cwd": cwd, "limits": limits,
            "uid": uid}


def sandbox_uid():
    """An unprivileged uid no other live process of ours uses: from this process's id."""
    return 0x100000 + os.getpid() % 0x100000


def _sweep(uid):
    """Kill every process of ``uid`` (a fork bomb's leftovers): ``kill(-1)`` as that uid."""
    pid = os.fork()
    if pid == 0:                                    # pragma: no cover - the child
        try:
            os.setgid(uid)
            os.setuid(uid)
            for _ in range(1000):
                os.kill(-1, signal.SIGKILL)
        except BaseException:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


# -- the child -----------------------------------------------------------------------

_SIGNALS = {signal.SIGXCPU: "ran out of CPU time", signal.SIGKILL: "was killed",
            signal.SIGSEGV: "crashed (segmentation fault)", signal.SIGXFSZ: "wrote past the file size limit"}


def _decode(value):
    """A reply value as a Python value: only the runner's few shapes, bounded in size."""
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ValueError("not a value")
    tag, rest = value[0], value[1:]
    if tag == "none" and not rest:
        return None
    if tag == "bool" and len(rest) == 1 and isinstance(rest[0], bool):
        return rest[0]
    if tag in ("int", "frac", "float") and all(isinstance(r, str) and len(r) <= _MAX_HEX for r in rest):
        if tag == "int" and len(rest) == 1:
            return int(rest[0], 16)
        if tag == "frac" and len(rest) == 2:
            return Fraction(int(rest[0], 16), int(rest[1], 16))
        if tag == "float" and len(rest) == 1:
            return float.fromhex(rest[0])
    if tag == "big" and len(rest) == 1 and isinstance(rest[0], int) and not isinstance(rest[0], bool):
        return Opaque(f"an int of {rest[0]} bits")
    if tag == "other" and len(rest) == 1 and isinstance(rest[0], str):
        return Opaque(rest[0][:80])
    raise ValueError("not a value")


def _encode(value):
    if value is None:
        return ["none"]
    if isinstance(value, float):
        return ["float", value.hex()]
    if isinstance(value, int) and not isinstance(value, bool):
        return ["int", format(value, "x")]
    if isinstance(value, Fraction):
        return ["frac", format(value.numerator, "x"), format(value.denominator, "x")]
    raise TypeError(f"cannot send {type(value).__name__} to a target")


class Sandbox:
    """A child process that has imported ``target`` and answers calls of ``names``.

    ``target`` is a ``.py`` path (``mode="path"``) or a module name found from ``cwd``.
    With ``isolate``, ``workdir`` is the directory the child sees as ``/submission``
    (the target must lie in it). Use as a context manager, or call :meth:`close`.

    >>> import derive.conformance.sandbox as s
    >>> with Sandbox("derive.numeric", ["crossover"], mode="module") as box:
    ...     box.functions["crossover"]["kind"], box.call("crossover", [30, 90], 5).value
    ('function', 4)
    """

    def __init__(self, target, names, *, mode="path", cwd=None, isolate=False, workdir=None,
                 limits=Limits(), drop_to=None, import_timeout=5.0, output=None):
        self.names = list(names)
        self.limits = limits
        self.drop_to = drop_to
        self._workspace = tempfile.mkdtemp(prefix="derive-sandbox-")
        self._output_path = output or os.path.join(self._workspace, "output")
        self._buffer = b""
        self.process = None
        root = os.path.join(self._workspace, "root")
        os.mkdir(root)
        inside = target
        if isolate:
            inside = "/submission/" + os.path.relpath(target, workdir) if mode == "path" else target
        plan = _plan(isolate, root, workdir, cwd or os.getcwd(), limits, drop_to)
        requests_r, self._requests = os.pipe()
        self._replies, replies_w = os.pipe()
        with open(self._output_path, "wb") as output_file:
            self.process = subprocess.Popen(
                [sys.executable, "-s", "-B", "-c", _RUNNER.read_text(encoding="utf-8"),
                 str(requests_r), str(replies_w), inside, mode, ",".join(self.names)],
                stdin=subprocess.DEVNULL, stdout=output_file, stderr=output_file,
                pass_fds=(requests_r, replies_w), env=_ENV, start_new_session=True,
                preexec_fn=lambda: _enter(plan))
        os.close(requests_r)
        os.close(replies_w)
        self.loaded = self._load(import_timeout)
        self.functions = self.loaded.functions

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    # -- the conversation ------------------------------------------------------------

    def _load(self, timeout):
        line = self._line(timeout)
        if line is None or line == "timeout":
            died = line is None
            return Loaded(False, {}, self._death() if died else "timeout", died=died)
        try:
            reply = json.loads(line)
            if reply.get("loaded") is True and isinstance(reply.get("functions"), dict):
                return Loaded(True, {name: _function_info(reply["functions"].get(name))
                                     for name in self.names})
            reason = str(reply.get("reason", ""))[:300]
            return Loaded(False, {}, reason, not_found=reply.get("not_found") is True,
                          died=reply.get("base") is True)
        except (ValueError, AttributeError):
            return Loaded(False, {}, "the target answered nonsense", died=True)

    def _line(self, timeout):
        """The next reply line; ``"timeout"``; or ``None`` when the child is gone."""
        deadline = _now() + timeout
        while b"\n" not in self._buffer:
            left = deadline - _now()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([self._replies], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._replies, 65536)
            if not chunk:
                return None
            self._buffer += chunk
            if len(self._buffer) > _MAX_LINE and b"\n" not in self._buffer:
                return None
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", errors="replace")

    def calls(self, name, arguments, timeout):
        """Yield one :class:`Answer` per call of ``name`` at each argument list, in order.

        After a ``timeout`` or ``died`` answer the child is gone and the rest is not run.
        """
        if self.process is None or self.process.poll() is not None:
            yield Answer("died", text=self._death())
            return
        arguments = list(arguments)
        for start in range(0, len(arguments), _BATCH):
            yield from self._batch(name, arguments[start:start + _BATCH], timeout)
            if self.process.returncode is not None:
                return

    def _batch(self, name, arguments, timeout):
        request = json.dumps({"f": name, "calls": [[_encode(a) for a in args] for args in arguments]})
        try:
            _write_all(self._requests, (request + "\n").encode())
        except OSError:
            yield Answer("died", text=self._death())
            return
        for _ in arguments:
            line = self._line(timeout)
            if line == "timeout":
                self.close()
                yield Answer("timeout", text=f"did not return within {timeout:g} s")
                return
            answer = None if line is None else _answer(line)
            if answer is None:
                self.close()
                yield Answer("died", text=self._death())
                return
            yield answer

    def call(self, name, arguments, timeout):
        """The :class:`Answer` of one call."""
        return next(self.calls(name, [arguments], timeout))

    # -- the end ---------------------------------------------------------------------

    def _death(self):
        """How the child ended, in words (after killing it if it still runs)."""
        code = self._stop()
        if code is None:
            return "the process did not end"
        if code < 0:
            how = _SIGNALS.get(-code, f"was killed by signal {signal.Signals(-code).name}")
            return f"the process {how}"
        return f"the process exited with code {code}"

    def _stop(self):
        process = self.process
        if process is None:
            return None
        try:
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass
        if process.returncode is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
            process.wait()
        if self.drop_to is not None:
            _sweep(self.drop_to)
        return process.returncode

    def output(self):
        """The start of what the child printed (at most ``limits.output_bytes``)."""
        try:
            with open(self._output_path, "rb") as handle:
                data = handle.read(self.limits.output_bytes + 1)
        except OSError:
            return ""
        text = data[:self.limits.output_bytes].decode("utf-8", errors="replace")
        return text + ("\n[output cut]" if len(data) > self.limits.output_bytes else "")

    def close(self):
        """Stop the child and everything it started; the workspace is kept for :meth:`output`."""
        if self.process is not None and self.process.returncode is None:
            try:
                os.close(self._requests)
            except OSError:
                pass
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            self._stop()
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass

    def remove(self):
        """Close and delete the workspace (the captured output with it)."""
        self.close()
        shutil.rmtree(self._workspace, ignore_errors=True)


def _function_info(info):
    if not isinstance(info, dict) or not isinstance(info.get("kind"), str):
        return {"kind": "absent", "binds": []}
    binds = info.get("binds", [])
    binds = [b for b in binds if isinstance(b, int)] if isinstance(binds, list) else []
    return {"kind": info["kind"][:40], "binds": binds}


def _answer(line):
    try:
        reply = json.loads(line)
        if isinstance(reply, list) and len(reply) == 2 and reply[0] == "ok":
            return Answer("ok", _decode(reply[1]))
        if isinstance(reply, list) and len(reply) == 2 and reply[0] == "raised" and isinstance(reply[1], str):
            return Answer("raised", text=reply[1][:300])
    except (ValueError, TypeError, RecursionError):
        pass
    return None


def _write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def _now():
    return time.monotonic()
