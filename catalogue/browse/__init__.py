"""Browsing for shoppers: the data layer behind the filter, device, area and compare pages.

Everything here sees published devices only and takes the session as its first argument,
the rest keyword-only. ``filter`` parses query arguments; ``fit`` turns the coverage
distinction into SQL; ``listing`` runs one page with its disjunctive facet counts;
``areas``, ``detail`` and ``compare`` feed the other pages.
"""

from catalogue.browse.areas import AreaView, FitGroup, area_index, area_page
from catalogue.browse.compare import (
    COMPARE_MAX,
    COMPARE_MIN,
    CompareRow,
    Comparison,
    FitRow,
    UnknownDevices,
    best_of,
    compare_devices,
    parse_compare_ids,
)
from catalogue.browse.conditions import published
from catalogue.browse.detail import DeviceDetail, EmissionView, area_groups, by_slugs, device_detail
from catalogue.browse.filter import (
    COVERAGE_FILTERS,
    FACETS,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    SORTS,
    ArgumentError,
    DeviceFilter,
    url_for,
)
from catalogue.browse.fit import AreaFit, Catalogue, fit_levels, reaching
from catalogue.browse.labels import (
    AREA_GROUP_LABELS,
    DEPTH_NEEDS,
    FIT_LABELS,
    FORM_FACTOR_LABELS,
    LIGHT_TYPE_NOTES,
)
from catalogue.browse.listing import (
    BrowseResult,
    DeviceSummary,
    FacetValue,
    browse_devices,
    load_children,
    summaries,
)
from catalogue.devices.schemas import SLUG_RE

__all__ = [
    "AREA_GROUP_LABELS",
    "COMPARE_MAX",
    "COMPARE_MIN",
    "COVERAGE_FILTERS",
    "DEPTH_NEEDS",
    "FACETS",
    "FIT_LABELS",
    "FORM_FACTOR_LABELS",
    "LIGHT_TYPE_NOTES",
    "PER_PAGE_DEFAULT",
    "PER_PAGE_MAX",
    "SLUG_RE",
    "SORTS",
    "AreaFit",
    "AreaView",
    "ArgumentError",
    "BrowseResult",
    "Catalogue",
    "CompareRow",
    "Comparison",
    "DeviceDetail",
    "DeviceFilter",
    "DeviceSummary",
    "EmissionView",
    "FacetValue",
    "FitGroup",
    "FitRow",
    "UnknownDevices",
    "area_groups",
    "area_index",
    "area_page",
    "best_of",
    "browse_devices",
    "by_slugs",
    "compare_devices",
    "device_detail",
    "fit_levels",
    "load_children",
    "parse_compare_ids",
    "published",
    "reaching",
    "summaries",
    "url_for",
]
