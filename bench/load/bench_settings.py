"""Settings for the load bench: production settings (DEBUG off, Redis cache, real
middleware), with three differences that only make sense on a loopback bench.

- Plain HTTP on 127.0.0.1: there is no TLS terminator in front of gunicorn, so cookies
  cannot be ``Secure`` (the load clients would never send them back) and nothing
  redirects to https.
- A cheap password hasher: Django's PBKDF2 takes ≈1.5 s of CPU per login on the bench
  machine; 50 agents logging in during the ramp-up would spend over a minute of the two
  shared cores on what an agent does once a day, and swamp the figures of the endpoints
  polled all day. Logins are still made through the real form.
- Static files are served by the plain storage, without a collectstatic step: browsers
  cache them, and the load users never fetch them.
"""

from helpdesk.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
