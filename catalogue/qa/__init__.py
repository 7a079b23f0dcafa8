"""The QA audit: listings with their stored findings, the rule catalogue, waivers, review, export.

One name space for the web pages and the CLI (``from catalogue import qa``); each job has its
own module: ``listing`` (filters, counts, pages), ``rules``, ``actions``, ``export``.
"""

from catalogue.core.claims.check import SEVERITIES
from catalogue.devices.editing import get_device as device_by_slug
from catalogue.qa.actions import (
    MAX_REASON_CHARS,
    MAX_WAIVED_TEXT,
    Withdrawn,
    review_listing,
    unwaive_warning,
    waive_warning,
)
from catalogue.qa.export import CSV_COLUMNS, csv_rows, finding_json, listing_json
from catalogue.qa.listing import (
    PER_PAGE,
    AuditFilters,
    AuditFinding,
    AuditListing,
    AuditPage,
    QAError,
    WaiverView,
    attach_findings,
    audit_page,
    brands,
    count_listings,
    iter_listings,
    parse_filters,
    rule_hits,
    rule_titles,
    status_counts,
)
from catalogue.qa.rules import RuleEntry, RuleExample, disabled_rules, rule_catalogue

__all__ = [
    "CSV_COLUMNS",
    "MAX_REASON_CHARS",
    "MAX_WAIVED_TEXT",
    "PER_PAGE",
    "SEVERITIES",
    "AuditFilters",
    "AuditFinding",
    "AuditListing",
    "AuditPage",
    "QAError",
    "RuleEntry",
    "RuleExample",
    "WaiverView",
    "Withdrawn",
    "attach_findings",
    "audit_page",
    "brands",
    "count_listings",
    "csv_rows",
    "device_by_slug",
    "disabled_rules",
    "finding_json",
    "iter_listings",
    "listing_json",
    "parse_filters",
    "review_listing",
    "rule_catalogue",
    "rule_hits",
    "rule_titles",
    "status_counts",
    "unwaive_warning",
    "waive_warning",
]
