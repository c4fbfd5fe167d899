"""The child's side of :mod:`derive.conformance.sandbox`: import a target, answer calls.

This file is run as the program of a fresh interpreter (``python -I -c <this text>``),
inside whatever sandbox the parent set up, and imports the standard library only: it
never sees derive. It loads the target, tells the parent which functions it defines, then
answers requests read from one pipe, a JSON line each, with JSON lines on another:

* request ``{"f": NAME, "calls": [[ARG, ...], ...]}``: one reply line per call, in order;
* a reply is ``["ok", VALUE]`` or ``["raised", TEXT]``;
* a value is ``["none"]``, ``["bool", b]``, ``["int", HEX]``, ``["frac", HEX, HEX]``,
  ``["float", HEX]``, ``["big", BITS]`` (an int too long to send) or ``["other", TEXT]``.

Nothing the child sends is trusted: the parent decodes these few shapes and nothing else,
and decides every verdict itself. Numbers travel in hexadecimal, which Python converts at
any size (decimal conversion stops at 4300 digits).
"""

import fractions
import importlib
import importlib.util
import inspect
import json
import numbers
import os
import sys

_BIG_BITS = 1 << 16          # ints longer than this travel as their length only


def _hex(value):
    return format(value, "x")


def _encode(value):
    kind = type(value)
    if value is None:
        return ["none"]
    if kind is bool:
        return ["bool", bool(value)]
    if isinstance(value, float):
        return ["float", float.hex(float(value))]
    if isinstance(value, numbers.Rational):
        numerator, denominator = int(value.numerator), int(value.denominator)
        if max(numerator.bit_length(), denominator.bit_length()) > _BIG_BITS:
            return ["big", max(numerator.bit_length(), denominator.bit_length())]
        if kind is int or (denominator == 1 and isinstance(value, int)):
            return ["int", _hex(numerator)]
        return ["frac", _hex(numerator), _hex(denominator)]
    return ["other", f"<{kind.__name__} object>"[:80]]


def _decode(value):
    tag = value[0]
    if tag == "none":
        return None
    if tag == "int":
        return int(value[1], 16)
    if tag == "frac":
        return fractions.Fraction(int(value[1], 16), int(value[2], 16))
    if tag == "float":
        return float.fromhex(value[1])
    raise ValueError(f"bad argument {value!r}")


def _reason(error):
    if isinstance(error, SyntaxError):
        return f"SyntaxError: {error.msg} (line {error.lineno})"
    message = " ".join(str(error).split())
    if isinstance(error, ImportError):
        return message or type(error).__name__
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _raised(error):
    message = " ".join(str(error).split())[:200]
    return f"raised {type(error).__name__}" + (f": {message}" if message else "")


def _load(target, mode):
    if mode == "path":
        directory = os.path.dirname(os.path.abspath(target))
        sys.path.insert(0, directory)
        stem = os.path.splitext(os.path.basename(target))[0]
        name = f"_derive_target_{stem}" if stem.isidentifier() else "_derive_target"
        spec = importlib.util.spec_from_file_location(name, target)
        if spec is None or spec.loader is None:
            raise ImportError(f"{target} cannot be imported as Python source")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    sys.path.insert(0, os.getcwd())
    return importlib.import_module(target)


def _describe(module, name):
    function = getattr(module, name, None)
    if function is None:
        return {"kind": "absent"}
    if not callable(function):
        return {"kind": type(function).__name__[:40]}
    binds = []
    for count in range(6):
        try:
            inspect.signature(function).bind(*range(count))
            binds.append(count)
        except TypeError:
            pass
        except ValueError:
            binds.append(count)
    return {"kind": "function", "binds": binds}


def main(argv):
    requests_fd, replies_fd = int(argv[1]), int(argv[2])
    target, mode, names = argv[3], argv[4], argv[5].split(",")
    requests = os.fdopen(requests_fd, "r", encoding="utf-8")

    def send(obj):
        data = (json.dumps(obj) + "\n").encode()
        while data:
            data = data[os.write(replies_fd, data):]

    try:
        module = _load(target, mode)
    except BaseException as error:           # the target's own code: everything is its answer
        missing = isinstance(error, ModuleNotFoundError) and error.name == target
        send({"loaded": False, "not_found": missing, "reason": _reason(error)[:300],
              "base": not isinstance(error, (Exception, SystemExit))})
        return
    send({"loaded": True, "functions": {name: _describe(module, name) for name in names}})
    for line in requests:
        request = json.loads(line)
        function = getattr(module, request["f"])
        for call in request["calls"]:
            try:
                arguments = [_decode(a) for a in call]
                value = function(*arguments)
            except BaseException as error:
                try:
                    reply = ["raised", _raised(error)]
                except BaseException:
                    reply = ["raised", "raised an exception that cannot be shown"]
            else:
                try:
                    reply = ["ok", _encode(value)]
                except BaseException:
                    reply = ["ok", ["other", "<an object that cannot be read>"]]
            send(reply)


if __name__ == "__main__":
    main(sys.argv)
