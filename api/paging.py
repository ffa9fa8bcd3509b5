"""Opaque paging tokens (nextToken, Marker) over any ordered sequence or queryset."""

from django.core import signing

from .errors import ApiError

_SALT = "console-sandbox.api.paging"


def page(items, *, limit: int, token: str | None, scope: str, error_code: str = "ValidationException"):
    """One page of `items` and the token for the next page (None on the last page).

    A token is only valid for the listing (`scope`) that issued it.
    """
    offset = 0
    if token:
        try:
            payload = signing.loads(token, salt=_SALT)
        except signing.BadSignature:
            raise ApiError(error_code, "Invalid pagination token.") from None
        if payload.get("scope") != scope:
            raise ApiError(error_code, "Invalid pagination token.")
        offset = payload["offset"]
    window = list(items[offset : offset + limit + 1])
    next_token = signing.dumps({"scope": scope, "offset": offset + limit}, salt=_SALT) if len(window) > limit else None
    return window[:limit], next_token
