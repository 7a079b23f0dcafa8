"""Security headers on every response, errors and static files included.

Added in a ``before_send`` hook rather than a middleware: Litestar runs middleware only for
matched routes, and a 404 must carry the same headers as a page.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# No inline script or style anywhere: JavaScript lives in files under /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value
    # Pages for a signed-in person are never kept in a shared or back-button cache.
    if scope.get("user") is not None and "cache-control" not in headers:
        headers["cache-control"] = "no-store"
    if scope.get("scheme") == "https" and "strict-transport-security" not in headers:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
