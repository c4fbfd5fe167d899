r"""Math for the browser: MathML from sympy's presentation printer, escaped properly.

Chromium, Firefox and Safari render MathML Core natively, so a page needs no script, no
font download and no CDN to show ``⌊(c − 1)/(n − 1)⌋ + 1`` — the classroom may be
offline. sympy's printer builds a DOM but writes its text unescaped (``<mo><</mo>``);
this module writes the DOM itself, escaping text and keeping sympy's character
references (``&#x2227;``), with ``&InvisibleTimes;`` as the number ``&#x2062;`` that
any parser knows.

>>> import sympy
>>> n, c = sympy.symbols("n c")
>>> mathml(c < 1)
'<math><mrow><mi>c</mi><mo>&lt;</mo><mn>1</mn></mrow></math>'
>>> mathml(None)
'<math><mtext>never</mtext></math>'
"""

import re

__all__ = ["mathml"]

_REFERENCE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);")
_NAMED = {"InvisibleTimes": "#x2062", "ApplyFunction": "#x2061", "InvisibleComma": "#x2063"}


def _escape(text):
    """Escape ``< > &`` in ``text``, keeping the character references sympy writes."""
    pieces, last = [], 0
    for match in _REFERENCE.finditer(text):
        pieces.append(_plain(text[last:match.start()]))
        name = match.group(1)
        pieces.append(f"&{_NAMED.get(name, name)};" if name.startswith("#") or name in _NAMED
                      else _plain(match.group(0)))
        last = match.end()
    pieces.append(_plain(text[last:]))
    return "".join(pieces)


def _plain(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write(node):
    if node.nodeType == node.TEXT_NODE:
        return _escape(node.data)
    attributes = "".join(f' {name}="{_plain(value)}"' for name, value in sorted(node.attributes.items()))
    inner = "".join(_write(child) for child in node.childNodes)
    return f"<{node.tagName}{attributes}>{inner}</{node.tagName}>"


def mathml(expr, *, none="never", display=False):
    """``expr`` (a sympy expression or relation) as a ``<math>`` element; ``None`` as ``none``.

    >>> import sympy
    >>> mathml(sympy.Rational(89, 29))
    '<math><mfrac><mn>89</mn><mn>29</mn></mfrac></math>'
    """
    opening = '<math display="block">' if display else "<math>"
    if expr is None:
        return f"{opening}<mtext>{_plain(none)}</mtext></math>"
    from sympy.printing.mathml import MathMLPresentationPrinter

    return f"{opening}{_write(MathMLPresentationPrinter()._print(expr))}</math>"
