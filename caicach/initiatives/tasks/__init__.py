"""Background jobs of the initiatives app. Importing this package registers every handler
(``apps.py`` does it in ``ready``)."""

from caicach.initiatives.tasks import campaigns

__all__ = ["campaigns"]
