"""Shopper pages and their JSON twins. Only published devices are visible here.

Each handler parses the query, asks ``catalogue.browse`` for the data and hands it to a
template (HTML) or returns it (``/api/...``). Every page works without JavaScript; htmx only
swaps the filter page's results in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from catalogue.browse import (
    COMPARE_MAX,
    COMPARE_MIN,
    FACETS,
    SLUG_RE,
    SORTS,
    ArgumentError,
    BrowseResult,
    Catalogue,
    Comparison,
    DeviceDetail,
    DeviceFilter,
    UnknownDevices,
    area_groups,
    browse_devices,
    by_slugs,
    compare_devices,
    device_detail,
    parse_compare_ids,
    url_for,
)
from catalogue.browse.cache import CountCache, catalogue_version
from catalogue.browse.suggest import Suggestion
from catalogue.core.bands import COVERAGE_LABELS, LIGHT_TYPE_LABELS
from catalogue.data.reference import load_areas, load_bands
from catalogue.prices import load_money
from catalogue.web.deps import Counts, DbSession
from catalogue.web.device_page import DEVICE_TEMPLATE, device_context, spectrum
from catalogue.web.page_cache import shop_page

PER_PAGE_CHOICES = (12, 24, 48, 100)
TRAY_MAX = 8  # selections kept on the filter page; compare itself refuses more than 4


def provide_catalogue(session: DbSession, state: State, counts: Counts) -> Catalogue:
    """Bands, body areas, the rates and the display currency, read once per catalogue version
    and kept by the process: an edit to any of them bumps the version (migrations 0160, 0185)."""
    display: str = state.display_currency

    def read() -> Catalogue:
        return Catalogue(
            bands=load_bands(session),
            areas=load_areas(session),
            money=load_money(session, display),
        )

    return counts.get(catalogue_version(session), ("catalogue", display), read)


ShopCatalogue = NamedDependency[Catalogue]


def query_args(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    args: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        args.setdefault(key, []).append(value)
    return args


def bad_request(errors: list[ArgumentError], detail: str) -> ValidationException:
    return ValidationException(
        detail=detail, extra=[{"key": e.key, "message": e.message} for e in errors]
    )


def _tray(session: Session, args: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The devices ticked for comparison on the filter page: (slug, name), in ticking order."""
    slugs = [s for v in args.get("ids", []) for s in v.split(",") if SLUG_RE.match(s.strip())]
    slugs = list(dict.fromkeys(s.strip() for s in slugs))[:TRAY_MAX]
    if not slugs:
        return []
    names = {slug: device.name for slug, device in by_slugs(session, slugs).items()}
    return [(s, names[s]) for s in slugs if s in names]


def _pages(result: BrowseResult, flt: DeviceFilter, keep: list[tuple[str, str]]) -> list[Any]:
    """Page links around the current one: 1 … 4 5 [6] 7 8 … 20, with None for a gap."""
    last = result.pages
    shown = sorted({1, last, *range(max(1, flt.page - 2), min(last, flt.page + 2) + 1)})
    links: list[Any] = []
    previous = 0
    for n in shown:
        if n - previous > 1:
            links.append(None)
        links.append((n, url_for("/devices", flt.at_page(n).query_pairs() + keep)))
        previous = n
    return links


def _chips(flt: DeviceFilter, cat: Catalogue, keep: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What narrows the list now, each with the URL that removes just it."""
    labels: dict[str, Callable[[str], str]] = {
        "light_type": lambda v: LIGHT_TYPE_LABELS[v],
        "coverage": lambda v: f"Reaches: {COVERAGE_LABELS[v].lower()}",
        "area": lambda v: cat.area_by_slug[v].name,
        "form_factor": lambda v: v.capitalize(),
        "brand": lambda v: v,
    }
    chips = []
    for name in FACETS:
        for value in getattr(flt, name):
            href = url_for("/devices", flt.toggled(name, value).query_pairs() + keep)
            chips.append((labels[name](value), href))
    ranges = (
        ("min_price", "From {}"),
        ("max_price", "Up to {}"),
        ("min_nm", "From {} nm"),
        ("max_nm", "Up to {} nm"),
        ("max_session", "Sessions up to {} min"),
        ("min_warranty", "Warranty {}+ months"),
    )
    for name, text in ranges:
        if getattr(flt, name) is not None:
            href = url_for("/devices", flt.without(name).query_pairs() + keep)
            chips.append((text.format(flt.value_text(name)), href))
    if flt.q:
        chips.append((f"“{flt.q}”", url_for("/devices", flt.without("q").query_pairs() + keep)))
    if flt.hide_misses:
        href = url_for("/devices", flt.without("hide_misses").query_pairs() + keep)
        chips.append(("Light gets there", href))
    return chips


def _suggestion_json(suggestion: Suggestion | None) -> dict[str, Any] | None:
    if suggestion is None:
        return None
    return {
        "text": suggestion.text,
        "q": suggestion.q,
        "brand": suggestion.brand,
        "total": suggestion.total,
        "url": f"/api/devices?{suggestion.query}",
        "page_url": f"/devices?{suggestion.query}",
    }


def _history_header(request: Request[Any, Any, Any]) -> str:
    """Push a history entry per change, but while the shopper types into a search already
    shown, replace it: one entry per search, not one per pause in the typing."""
    typing = request.headers.get("x-search-typing") == "1"
    shown = parse_qs(urlsplit(request.headers.get("hx-current-url", "")).query)
    return (
        "HX-Replace-Url" if typing and any(v.strip() for v in shown.get("q", [])) else "HX-Push-Url"
    )


def _detail_or_404(session: Session, slug: str, cat: Catalogue, counts: CountCache) -> DeviceDetail:
    # Kept per catalogue version, like the lists: a device page reads the device, its
    # emissions, areas and pictures, and the same few devices are asked for again and again.
    detail = counts.results.get(
        catalogue_version(session),
        ("detail", slug, cat.money_key),
        lambda: device_detail(session, slug=slug, cat=cat),
    )
    if detail is None:
        raise NotFoundException(
            detail="We can't find that device. It may have been renamed or taken off sale."
        )
    return detail


def _pick_again(
    request: Request[Any, Any, Any], session: Session, exc: ValidationException
) -> Template:
    """A compare that cannot be drawn (one device, five, a bad id) in plain words, with the
    picked devices kept so the shopper can fix the choice."""
    slugs = [s for v in query_args(request).get("ids", []) for s in v.split(",") if s.strip()]
    found = by_slugs(session, [s.strip() for s in slugs if SLUG_RE.match(s.strip())][:20])
    picked = [(d.slug, d.name) for d in found.values()]
    return Template(
        "compare/pick.html",
        context={
            "picked": picked,
            "count": len(picked),
            "compare_min": COMPARE_MIN,
            "compare_max": COMPARE_MAX,
            "back_url": url_for("/devices", [("ids", slug) for slug, _ in picked]),
        },
        status_code=400,
    )


class ShopController(Controller):
    dependencies = {"cat": Provide(provide_catalogue, sync_to_thread=True)}  # noqa: RUF012

    @get("/", sync_to_thread=False, include_in_schema=False)
    def home(self) -> Redirect:
        return Redirect("/devices")

    @get("/favicon.ico", sync_to_thread=False, include_in_schema=False)
    def favicon(self) -> Redirect:
        # For clients that ask for the icon without reading the page's <link rel="icon">.
        return Redirect("/static/favicon.svg", status_code=301)

    # --- The filter page ---------------------------------------------------------------------

    @get("/api/devices", sync_to_thread=True)
    def devices_json(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
    ) -> dict[str, Any]:
        flt, errors = DeviceFilter.from_query(query_args(request), area_slugs=cat.area_slugs)
        if errors:
            raise bad_request(errors, "Some query arguments are not valid")
        result = browse_devices(session, flt=flt, cat=cat, cache=counts)
        return {
            "items": result.items,
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
            "facets": result.facets,
            "did_you_mean": _suggestion_json(result.did_you_mean),
        }

    @get("/devices", sync_to_thread=True, include_in_schema=False)
    def devices(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
    ) -> Template | Redirect | Response[bytes]:
        args = query_args(request)
        flt, errors = DeviceFilter.from_query(args, area_slugs=cat.area_slugs)
        tray = _tray(session, args)
        keep = [("ids", slug) for slug, _ in tray]
        canonical = url_for("/devices", flt.query_pairs() + keep)
        htmx = request.headers.get("hx-request") == "true"
        blanks = any(not v.strip() for values in args.values() for v in values)
        if blanks and not errors and not htmx:
            # A plain form submit sends every field; the shareable URL holds only the chosen.
            return Redirect(canonical)

        def context() -> dict[str, Any]:
            result = browse_devices(session, flt=flt, cat=cat, cache=counts)
            on_page = {item.slug for item in result.items}
            return {
                "flt": flt,
                "errors": errors,
                "result": result,
                "area_groups": area_groups(cat),
                "area_facet": {f.value: f for f in result.facets["area"]},
                "area_names": {a.slug: a.name for a in cat.areas},
                "chosen_areas": [a.name for a in cat.chosen_areas(flt.area)],
                "facet_titles": {
                    "light_type": "Light type",
                    "coverage": "Reaches",
                    "area": "Body area",
                    "form_factor": "Form",
                    "brand": "Brand",
                },
                "chips": _chips(flt, cat, keep),
                "did_you_mean_url": url_for("/devices", parse_qsl(result.did_you_mean.query) + keep)
                if result.did_you_mean
                else None,
                "clear_url": url_for("/devices", keep),
                "pages": _pages(result, flt, keep),
                "prev_url": url_for("/devices", flt.at_page(flt.page - 1).query_pairs() + keep)
                if flt.page > 1
                else None,
                "next_url": url_for("/devices", flt.at_page(flt.page + 1).query_pairs() + keep)
                if flt.page < result.pages
                else None,
                "first_url": url_for("/devices", flt.at_page(1).query_pairs() + keep),
                "sorts": SORTS,
                "display_currency": cat.money.display,
                "per_page_choices": PER_PAGE_CHOICES,
                "tray": tray,
                "tray_hidden": [slug for slug, _ in tray if slug not in on_page],
                "tray_slugs": {slug for slug, _ in tray},
                "tray_full": len(tray) >= COMPARE_MAX,
                "tray_remove": {
                    slug: url_for("/devices", flt.query_pairs() + [k for k in keep if k[1] != slug])
                    for slug, _ in tray
                },
                "compare_url": url_for("/compare", [("ids", ",".join(s for s, _ in tray))]),
                "tray_clear": url_for("/devices", flt.query_pairs()),
                "back_query": urlencode({"back": urlencode(flt.query_pairs() + keep)})
                if flt.query_pairs() + keep
                else "",
                "compare_ready": COMPARE_MIN <= len(tray) <= COMPARE_MAX,
                "compare_min": COMPARE_MIN,
                "compare_max": COMPARE_MAX,
            }

        return shop_page(
            request,
            session,
            counts,
            "devices/list.html",
            context,
            status_code=400 if errors else 200,
            headers={_history_header(request): canonical} if htmx else None,
        )

    # --- One device --------------------------------------------------------------------------

    @get("/api/devices/{slug:str}", sync_to_thread=True)
    def device_json(
        self, slug: FromPath[str], session: DbSession, cat: ShopCatalogue, counts: Counts
    ) -> DeviceDetail:
        return _detail_or_404(session, slug, cat, counts)

    @get("/devices/{slug:str}", sync_to_thread=True, include_in_schema=False)
    def device(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
        back: FromQuery[str] = "",
    ) -> Template | Response[bytes]:
        detail = _detail_or_404(session, slug, cat, counts)

        def context() -> dict[str, Any]:
            # The list the shopper came from (its filters, page and picks), read again so
            # only a filter we understand goes back into the breadcrumb.
            args = parse_qs(back[:2000])
            flt, _ = DeviceFilter.from_query(args, area_slugs=cat.area_slugs)
            keep = [("ids", slug) for slug in parse_compare_ids(args.get("ids", []))[0]]
            back_url = url_for("/devices", flt.query_pairs() + keep[:TRAY_MAX])
            return device_context(detail, cat, back_url=back_url)

        return shop_page(request, session, counts, DEVICE_TEMPLATE, context)

    # --- Compare -----------------------------------------------------------------------------

    def _comparison(
        self, request: Request[Any, Any, Any], session: Session, cat: Catalogue, counts: CountCache
    ) -> tuple[Comparison, Catalogue, bool]:
        args = query_args(request)
        slugs, errors = parse_compare_ids(args.get("ids", []))
        diff = [v for v in args.get("diff", []) if v.strip()]
        if len(diff) > 1 or (diff and diff[0] not in ("0", "1")):
            errors.append(ArgumentError("diff", "diff accepts 1 (only differences) or 0"))
        if errors:
            raise bad_request(errors, "Pick 2 to 4 different devices to compare")
        try:
            comparison = counts.results.get(
                catalogue_version(session),
                ("compare", tuple(slugs), cat.money_key),
                lambda: compare_devices(session, slugs=slugs, cat=cat),
            )
        except UnknownDevices as exc:
            raise NotFoundException(
                detail=f"No published device has the slug {', '.join(map(repr, exc.slugs))}",
                extra=[
                    {"key": "ids", "message": f"{s!r} is not in the catalogue"} for s in exc.slugs
                ],
            ) from None
        return comparison, cat, diff == ["1"]

    @get("/api/compare", sync_to_thread=True)
    def compare_json(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
    ) -> Comparison:
        comparison, _, _ = self._comparison(request, session, cat, counts)
        return comparison

    @get("/compare", sync_to_thread=True, include_in_schema=False)
    def compare(
        self,
        request: Request[Any, Any, Any],
        session: DbSession,
        cat: ShopCatalogue,
        counts: Counts,
    ) -> Template | Redirect | Response[bytes]:
        try:
            comparison, cat, diff = self._comparison(request, session, cat, counts)
        except ValidationException as exc:
            return _pick_again(request, session, exc)
        slugs = [d.slug for d in comparison.devices]
        ids = [("ids", ",".join(slugs))]
        canonical = ids + ([("diff", "1")] if diff else [])
        if sorted(request.query_params.multi_items()) != sorted(canonical):
            # The filter form without JavaScript sends ids one by one, with its filters.
            return Redirect(url_for("/compare", canonical))

        def context() -> dict[str, Any]:
            remove = {}
            for slug in slugs:
                rest = [s for s in slugs if s != slug]
                remove[slug] = (
                    url_for(
                        "/compare", [("ids", ",".join(rest))] + ([("diff", "1")] if diff else [])
                    )
                    if len(rest) >= COMPARE_MIN
                    else url_for("/devices", [("ids", s) for s in rest])
                )
            return {
                "comparison": comparison,
                "diff": diff,
                "all_url": url_for("/compare", ids),
                "diff_url": url_for("/compare", [*ids, ("diff", "1")]),
                "remove": remove,
                "back_url": url_for("/devices", [("ids", s) for s in slugs]),
                "chart": spectrum(comparison.devices, cat),
                "area_names": {a.slug: a.name for a in cat.areas},
                "hidden_rows": sum(r.equal for r in comparison.rows)
                + sum(r.equal for r in comparison.fit),
            }

        return shop_page(request, session, counts, "compare/compare.html", context)
