"""Settings for the national benchmark (``bench/national.py``): the project's one settings
module, read from the same environment (DATABASE_URL, REDIS_URL, DJANGO_DEBUG,
DJANGO_ALLOWED_HOSTS, ...), plus what only the benchmark needs:

- a cheap password hasher, so signing in costs the benchmark nothing;
- its own URLconf (``urls_national``), which adds a trivial view as the floor to compare with;
- no API throttle (the benchmark's clients ask far faster than an integration may);
- a cache key prefix per run (BENCH_CACHE_PREFIX), so two datasets served in one run never
  read each other's entries from the shared Redis.

``bench/`` must be on the import path (the script sets PYTHONPATH for gunicorn)."""

from __future__ import annotations

import os

from caicach.settings import *  # noqa: F403
from caicach.settings import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROOT_URLCONF = "urls_national"
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")
API_THROTTLE_TOKEN_PER_MINUTE = 10**9
API_THROTTLE_USER_PER_MINUTE = 10**9
API_THROTTLE_ANON_PER_MINUTE = 10**9
