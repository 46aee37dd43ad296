"""Two-step login: TOTP from an authenticator app, one-time recovery codes, enrolment
(forced for the roles in MFA_REQUIRED_ROLES) and an administrator's reset."""
