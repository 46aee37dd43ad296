"""Background jobs of the initiatives app. Importing this package registers every handler
(``apps.py`` does it in ``ready``)."""

from caicach.initiatives.tasks import campaigns, dossiers
from caicach.initiatives.tasks import lists as lists
from caicach.initiatives.tasks import recognition as recognition
from caicach.initiatives.tasks import review as review

__all__ = ["campaigns", "dossiers"]
