"""Shop pages rendered once per catalogue version for visitors who are not signed in.

A shopper's page depends on its URL and on the catalogue, nothing else: no notices, no
CSRF token (the shop sends no form that writes), no name in the header. So its body is
kept in the process's count cache (``CountCache.pages``) under the catalogue version and the
full URL, and the next anonymous visitor of that URL gets it without building the page's
context or rendering the template again. A write bumps the version, so no body outlives the
data it shows. Signed-in people always get a page rendered for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.response import Template
from sqlalchemy.orm import Session

from catalogue.browse.cache import CountCache, catalogue_version
from catalogue.web.guards import shares_cached_reads


def shop_page(
    request: Request[Any, Any, Any],
    session: Session,
    counts: CountCache,
    template_name: str,
    context: Callable[[], Mapping[str, Any]],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Template | Response[bytes]:
    """``template_name`` with ``context()``: rendered per request for a signed-in person,
    kept per catalogue version and URL for everyone else."""
    version = catalogue_version(session)
    if version is None or not shares_cached_reads(request):
        return Template(
            template_name, context=dict(context()), status_code=status_code, headers=headers
        )
    key = ("page", template_name, request.url.path, tuple(request.query_params.multi_items()))

    def render() -> bytes:
        engine = request.app.template_engine
        assert engine is not None  # create_app configures Jinja
        html = engine.get_template(template_name).render(**context(), request=request)
        return str(html).encode()

    body = counts.pages.get(version, key, render)
    return Response(body, media_type=MediaType.HTML, status_code=status_code, headers=headers)
