"""Accounts and roles (admin, researcher, interviewer): login, lockout, TOTP, access control."""
