"""The search box of /devices over HTTP: where it sits and how htmx's history follows typing.

The catalogue is ``known_catalogue`` in tests/known_catalogue_fixtures.py (eight published
devices, three hidden).
"""

from __future__ import annotations

import pytest


def test_the_search_box_is_outside_what_htmx_swaps(client, known_catalogue) -> None:
    html = client.get("/devices?q=wrap").text
    box = html.index('id="q"')
    # Before the swapped facets and results, so a swap never rewrites what is being typed.
    assert box < html.index('id="facets"') < html.index('id="results"')
    assert 'value="wrap"' in html[box - 200 : box + 200]
    assert html.count('name="q"') == 1
    form = html[html.index('<form id="browse"') : box]
    assert "input changed delay:300ms target:#q" in form
    # Queued, not replaced: an aborted htmx request logs console errors while typing.
    assert 'hx-sync="this:queue last"' in form
    # The list says which words it shows, so a link that changes them can set the box.
    assert '<div id="results" class="results" data-q="wrap">' in html
    assert "#search-status:innerHTML" in form
    assert '<p id="search-status" class="visually-hidden" aria-live="polite">1 device</p>' in html


@pytest.mark.parametrize(
    ("query", "badge"),
    [("q=wrap", ""), ("q=wrap&area=knees", "1 on"), ("area=knees&light_type=nir", "2 on")],
)
def test_the_filters_badge_counts_what_is_behind_it(client, known_catalogue, query, badge) -> None:
    html = client.get(f"/devices?{query}").text
    assert f'<span id="filters-count" class="filters__count">{badge}</span>' in html


@pytest.mark.parametrize(
    ("typing", "shown_url", "header"),
    [
        # A tick or a sort is a step the shopper can go Back from.
        (False, "http://testserver/devices", "hx-push-url"),
        (False, "http://testserver/devices?q=wra", "hx-push-url"),
        # The first pause in typing starts a search: one entry for it.
        (True, "http://testserver/devices", "hx-push-url"),
        (True, "http://testserver/devices?area=knees&q=", "hx-push-url"),
        # Later pauses refine the same search: its entry is replaced.
        (True, "http://testserver/devices?q=wra", "hx-replace-url"),
        (True, "http://testserver/devices?area=knees&q=knee+wr", "hx-replace-url"),
        (True, "", "hx-push-url"),
    ],
)
def test_typing_replaces_the_history_entry_of_its_search(
    client, known_catalogue, typing: bool, shown_url: str, header: str
) -> None:
    headers = {"HX-Request": "true", "HX-Current-URL": shown_url}
    if typing:
        headers["X-Search-Typing"] = "1"
    response = client.get("/devices?q=wrap&min_price=&sort=relevance", headers=headers)
    assert response.status_code == 200
    assert response.headers[header] == "/devices?q=wrap"
    other = "hx-push-url" if header == "hx-replace-url" else "hx-replace-url"
    assert other not in response.headers
