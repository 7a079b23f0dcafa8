"""Devices: validated input, storage, editing and the review workflow."""
