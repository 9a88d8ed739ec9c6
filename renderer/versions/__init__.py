"""Versions of the forms: stored, compared, and the rules for citizens in flight."""
