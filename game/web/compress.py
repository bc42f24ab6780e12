"""Gzip for text responses, so a phone on venue Wi-Fi downloads the page's compressed weight."""

from __future__ import annotations

import gzip
from collections import OrderedDict

from flask import Flask, Response, request

COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/csv",
)
MIN_BYTES = 512
_CACHE_SIZE = 128
_cache: OrderedDict[str, bytes] = OrderedDict()  # static files by ETag: compress each once


def _gzip(data: bytes, etag: str | None) -> bytes:
    if etag is None:
        return gzip.compress(data, compresslevel=6)
    key = f"{request.path}:{etag}"
    hit = _cache.get(key)
    if hit is None:
        hit = gzip.compress(data, compresslevel=6)
        _cache[key] = hit
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return hit


def compress(response: Response) -> Response:
    """Gzip a finished 200 response when the browser accepts it and it is worth it."""
    if (
        response.status_code != 200
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
        or response.headers.get("Content-Encoding")
        or response.mimetype not in COMPRESSIBLE
        or (response.is_streamed and not response.direct_passthrough)
    ):
        return response
    source = response.response
    response.direct_passthrough = False  # static files arrive as a file wrapper
    data = response.get_data()
    close = getattr(source, "close", None)
    if close is not None:  # the file is read: let it go now, not when the response is closed
        close()
    if len(data) < MIN_BYTES:
        return response
    etag, _ = response.get_etag()
    response.set_data(_gzip(data, etag))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def install(app: Flask) -> None:
    app.after_request(compress)
