"""The version of derive, in one place: setup.cfg reads it, and so do the writers of files."""

__version__ = "0.1.0"
