"""``python -m derive``: the same program as the ``derive`` console script."""

import sys

from .cli import main

sys.exit(main())
