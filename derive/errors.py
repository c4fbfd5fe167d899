"""One root exception and its few subclasses.

Bad input is a :class:`ValueError` or :class:`TypeError` (the subclasses below inherit
from :class:`ValueError`, so ``except ValueError`` works); "cannot decide" is
:class:`UndecidedError`, never dressed up as a wrong answer.

=====================  ====================================================
``DeriveError``        the root: everything this package raises on purpose
``ModelError``         a model that is not two totals affine in ``k``
``BindingError``       a parameter bound to a value outside its domain
``ParseError``         text that the safe parser refuses (carries a column)
``UndecidedError``     a question the engine could not settle either way
``MissingDependency``  an optional package a feature needs is not installed
``shown(value)``       a value for a message: its repr, cut short if long
``shown_path(path)``   a file's path for a message: its end kept if long
``blamed(error, src)``  the same error, its message starting with where it came from
=====================  ====================================================

Every message that repeats what it was given goes through :func:`shown`, so a 1 MB
argument comes back as a line of a few dozen characters that says how long it was.
"""

__all__ = ["SHOWN", "BindingError", "DeriveError", "MissingDependencyError", "ModelError",
           "ParseError", "UndecidedError", "blamed", "error_line", "short_line", "shown",
           "shown_path"]

#: The most characters of a value :func:`shown` repeats before cutting it.
SHOWN = 40


def shown(value, limit=SHOWN, *, quoted=True):
    """``value`` for a message: ``repr`` (a ``str`` of a ``Fraction``, or of text when
    not ``quoted``), cut to ``limit`` characters with its full length said when longer.

    >>> shown("cuda-graph")
    "'cuda-graph'"
    >>> shown("x" * 10**6)
    "'xxxxxxxxxxxxxxxxxxx… (1000002 characters)"
    >>> shown("c=" + "n+" * 100, quoted=False)
    'c=n+n+n+n+n+n+n+n+n+… (202 characters)'
    >>> shown(-10**5000)
    'a negative int of about 5001 digits'
    """
    from fractions import Fraction

    if isinstance(value, int) and value.bit_length() > 128:      # not 4,300 digits and up
        sign = "a negative " if value < 0 else "an "
        return f"{sign}int of about {int(value.bit_length() * 0.30103) + 1} digits"
    try:
        plain = isinstance(value, Fraction) or (isinstance(value, str) and not quoted)
        text = str(value) if plain else repr(value)
        if plain and not text.isprintable():        # no control characters on a terminal
            text = repr(text)[1:-1]
    except Exception:                               # a hostile __repr__, or a huge int (ValueError)
        text = f"<{type(value).__name__}>"
    if len(text) <= limit:
        return text
    head = max(1, limit // 2)
    return f"{text[:head]}… ({len(text)} characters)"


def shown_path(path, limit=100):
    """A path for a message, as typed; a long one keeps its end, where the file's name is.

    >>> shown_path("examples/ladder.toml")
    'examples/ladder.toml'
    >>> shown_path("/tmp/" + "d" * 200 + "/ladder.toml")
    '…dddddddddddddddddddddddddddddddddddddddddddddddd/ladder.toml (217 characters)'
    """
    try:
        text = str(path if isinstance(path, str) else getattr(path, "__fspath__", lambda: path)())
    except Exception:
        text = f"<{type(path).__name__}>"
    if len(text) <= limit:
        return text
    return f"…{text[-60:]} ({len(text)} characters)"


class DeriveError(Exception):
    """The root of every exception raised on purpose by :mod:`derive`."""


class ModelError(DeriveError, ValueError):
    """A model whose totals are not affine in ``k``, or whose parameters clash."""


class BindingError(DeriveError, ValueError):
    """A parameter bound to a value outside its declared domain."""


class ParseError(DeriveError, ValueError):
    """Text refused by the safe parser; ``column`` is 1-based (``None`` if not known)."""

    def __init__(self, message, column=None):
        super().__init__(message if column is None else f"{message} (column {column})")
        self.column = column


class UndecidedError(DeriveError, NotImplementedError):
    """The engine could neither prove nor refute what it was asked."""


class MissingDependencyError(DeriveError, ImportError):
    """An optional package that a feature needs is not installed; says which extra brings it."""


def blamed(error, source, kind=None):
    """``error`` again, of the same type, its message starting with ``source``.

    ``source=None`` keeps the message (it already says where it came from).
    ``kind`` (``"binding"``, ``"assumption"``) is kept as ``error.source`` so that the
    command line can name the option a value came from (``--set c=x: …``).

    >>> error = blamed(ValueError("unknown name 'x'"), "c=x", "binding")
    >>> error, error.source
    (ValueError("c=x: unknown name 'x'"), 'binding')
    """
    message = str(error) if source is None else f"{source}: {error}"
    try:
        again = type(error)(message)
    except Exception:                               # an exception type with another signature
        again = ValueError(message)
    again.source = kind
    return again


def error_line(error):
    """The one line the command line prints on stderr for ``error`` (no newline), and the
    ``error`` of ``derive serve``'s answers: the same words wherever a user meets them.

    The option a value came from is named (``--set c=x: …``), a missing file reads
    ``name: no such file or directory`` (not ``[Errno 2] …``), and any word a message
    echoed in full is cut (:func:`shown`), so the line stays short.

    >>> error_line(blamed(ValueError("unknown name 'x'"), "c=x", "binding"))
    "derive: error: --set c=x: unknown name 'x'"
    >>> error_line(FileNotFoundError(2, "No such file or directory", "missing.txt"))
    'derive: error: missing.txt: no such file or directory'
    >>> error_line(RecursionError())
    'derive: error: the input is too large to work with (RecursionError)'
    """
    if isinstance(error, (RecursionError, MemoryError)):   # behind the reader's own bounds
        return f"derive: error: the input is too large to work with ({type(error).__name__})"
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        message = f"{error.filename}: {error.strerror.lower()}"
    option = {"binding": "--set ", "assumption": "--"}.get(getattr(error, "source", None), "")
    return f"derive: error: {short_line(option + message)}"


def short_line(message, limit=260):
    """The last line of defence for a short error line: any word over 60 characters (a value
    echoed in full by a message that forgot :func:`shown`) cut, then the line.

    >>> short_line("got " + "x" * 100)
    'got xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100 characters)'
    """
    words = [shown_path(word) if "/" in word else shown(word, 60, quoted=False)
             for word in message.split(" ")]
    return shown(" ".join(words), limit, quoted=False)
