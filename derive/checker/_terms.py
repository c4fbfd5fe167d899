"""Where an expression is defined: its denominators (no z3 here, so that a verdict that
needs no z3 proof never loads it).

>>> from derive.engine.symbols import c, n
>>> import sympy
>>> sorted(map(str, denominators(sympy.floor((c - 1)/(n - 1)) + 1/c)))
['c', 'n - 1']
"""

import sympy

__all__ = ["denominators"]


def denominators(expr):
    """The non-constant denominators of ``expr``, wherever they occur (inside ``floor`` too)."""
    found = set()
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_negative and not node.base.is_number:
            found.add(node.base)
    return found
