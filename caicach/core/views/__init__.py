"""Core pages, one module per area (accounts, units, calendar, audit, notifications,
documents); each module exports its ``urlpatterns``."""
