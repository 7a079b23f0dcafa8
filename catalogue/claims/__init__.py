"""Claim findings: stored per device, checked on request, highlighted in text."""
