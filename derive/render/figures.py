"""Figures drawn one way everywhere: no pyplot, a fixed style, the same bytes every run.

Every chart derive writes (``derive plot``, ``derive report``, ``derive ladder --plot``)
goes through here, so that a course author can keep the files in git and see real
changes as diffs.

=================  ==============================================================
``FORMATS``        the file formats, chosen by extension: ``.png .svg .pdf``
``file_format``    a path's format (``"png"``, ``"svg"``, ``"pdf"``), or why not
``style``          a context: matplotlib's defaults and ours, whatever the user's
                   matplotlibrc says; restored afterwards
``metadata``       a format's file metadata: derive as the creator, no dates
``new_figure``     a ``Figure`` on its own Agg canvas — no pyplot, no global backend
``save``           a ``Figure`` written to ``.png``, ``.svg`` or ``.pdf``, byte-stable
=================  ==============================================================

Draw inside :func:`style`, then :func:`save`::

    with style():
        fig = new_figure((8, 5))
        fig.subplots().plot([1, 2, 3], [3, 1, 2])
    save(fig, "chart.svg")

>>> file_format("crossover.pdf"), file_format("lab.SVG")
('pdf', 'svg')

Why the bytes are stable: the style starts from matplotlib's defaults (not the user's
rc file) and fixes the SVG hash salt, from which SVG ids are made; the metadata leave
out the creation and modification dates PDF and SVG would otherwise carry; and a
figure made here belongs to no pyplot state, so nothing drawn elsewhere leaks into it.
matplotlib is imported inside these functions only: importing this module is free.
"""

from contextlib import contextmanager
from pathlib import Path

from .._version import __version__
from ..errors import MissingDependencyError

__all__ = ["FORMATS", "check_writable", "file_format", "metadata", "new_figure", "require_matplotlib",
           "save", "style"]

#: Output formats, chosen by the file's extension.
FORMATS = (".png", ".svg", ".pdf")


def file_format(out):
    """The format of ``out`` by its extension, lower case, without the dot.

    >>> file_format("ladder.png")
    'png'
    >>> file_format("ladder.jpg")
    Traceback (most recent call last):
    ...
    ValueError: out must end in .png, .svg or .pdf, got 'ladder.jpg'
    """
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"out must end in .png, .svg or .pdf, got {str(out)!r}")
    return suffix[1:]


def check_writable(out):
    """Refuse, before any work, a path that cannot be written: its folder missing, not a
    folder, or not writable (``/proc/x.png``). A file created by the check is removed.

    >>> check_writable("/proc/x.png")
    Traceback (most recent call last):
    ...
    ValueError: cannot write /proc/x.png: no such file or directory
    """
    path = Path(out)
    if path.is_dir():
        raise ValueError(f"cannot write {str(out)!r}: it is a directory")
    existed = path.exists()
    try:
        with open(path, "ab"):
            pass
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise ValueError(f"cannot write {out}: {reason}") from None
    if not existed:
        path.unlink()
    return path


def metadata(fmt):
    """The metadata written into a file of format ``fmt``: the creator, and no dates.

    >>> sorted(metadata("pdf"))
    ['CreationDate', 'Creator', 'ModDate', 'Producer']
    >>> metadata("svg")["Date"] is None
    True
    """
    creator = f"derive {__version__}"
    if fmt == "png":
        return {"Software": creator}
    if fmt == "svg":
        return {"Date": None, "Creator": creator}
    return {"CreationDate": None, "ModDate": None, "Creator": creator, "Producer": creator}


def _matplotlib():
    """matplotlib, or a clear error naming the extra that installs it."""
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError(
            "figures need matplotlib, which is not installed: pip install 'derive[plot]'"
        ) from None
    return matplotlib


def require_matplotlib():
    """Check, before any file is written, that figures can be drawn (else the error naming
    the extra); returns matplotlib."""
    return _matplotlib()


@contextmanager
def style():
    """matplotlib's defaults and ours, whatever the user's matplotlibrc says; restored after."""
    matplotlib = _matplotlib()

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update({
            "svg.hashsalt": "derive",          # fixed ids: the same SVG bytes every run
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "pdf.fonttype": 42,
        })
        yield


def new_figure(figsize, **options):
    """A matplotlib ``Figure`` of ``figsize`` inches on its own Agg canvas.

    ``options`` go to ``Figure`` (``dpi``, ``layout``). No pyplot: the global backend,
    pyplot's list of open figures and its current figure are left alone, and the
    figure is freed like any object. Make it inside :func:`style`, so that the style
    applies to what is drawn on it.

    >>> with style():
    ...     fig = new_figure((4, 3), dpi=120)
    >>> type(fig.canvas).__name__, fig.get_size_inches().tolist(), fig.dpi
    ('FigureCanvasAgg', [4.0, 3.0], 120)
    """
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, **options)
    FigureCanvasAgg(fig)
    return fig


def save(fig, out, *, dpi="figure"):
    """Write ``fig`` to ``out``, its format by the extension (:data:`FORMATS`); returns the path.

    ``dpi`` is the figure's own by default. The same figure always gives the same bytes:
    :func:`style`'s settings and :func:`metadata`'s fixed fields.
    """
    fmt = file_format(out)
    with style():
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata(fmt))
    return Path(out)
