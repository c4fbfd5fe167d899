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
=====================  ====================================================
"""

__all__ = ["BindingError", "DeriveError", "MissingDependencyError", "ModelError", "ParseError",
           "UndecidedError"]


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
