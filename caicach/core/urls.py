"""URLs of core: each area keeps its own list in its ``urls.py``."""

from django.urls import URLPattern, URLResolver

from caicach.core.accounts import urls as accounts
from caicach.core.audit import urls as audit
from caicach.core.calendar import urls as calendar
from caicach.core.jobs import urls as jobs
from caicach.core.mfa import urls as mfa
from caicach.core.notifications import urls as notifications
from caicach.core.register import urls as register
from caicach.core.security import urls as security
from caicach.core.units import urls as units

urlpatterns: list[URLPattern | URLResolver] = [
    *accounts.urlpatterns,
    *mfa.urlpatterns,
    *units.urlpatterns,
    *calendar.urlpatterns,
    *audit.urlpatterns,
    *security.urlpatterns,
    *notifications.urlpatterns,
    *register.urlpatterns,
    *jobs.urlpatterns,
]
