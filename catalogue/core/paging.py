"""Counting pages: every paged list (shop, worklist, QA audit and queue) says it one way."""

from __future__ import annotations


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill, at least one: ``page_count(51, 25) == 3``."""
    return max(1, -(-total // per_page))
