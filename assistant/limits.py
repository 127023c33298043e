"""Refuse oversize requests with 413 before their body is read.

Two layers, because Django's ASGI handler reads the whole body before any
middleware runs: an ASGI wrapper (uvicorn) and a Django middleware (WSGI, tests).
"""

from django.conf import settings
from django.http import HttpResponse

TOO_LARGE = ("This upload is larger than this server accepts ({limit}). "
             "Split the recording, or ask an admin to raise UPLOAD_MAX_BYTES.")


def _human(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


def too_large_message() -> str:
    return TOO_LARGE.format(limit=_human(settings.UPLOAD_MAX_BYTES))


class RequestSizeLimitMiddleware:
    """WSGI side: a declared Content-Length over the limit never reaches the body parser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES:
            return HttpResponse(too_large_message(), status=413, content_type="text/plain")
        return self.get_response(request)


class BodySizeLimit:
    """ASGI side: answers 413 from the headers, or as soon as a chunked body passes the limit."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.UPLOAD_MAX_BYTES
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return await _refuse(send)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _BodyTooLarge:
            if not started:
                await _refuse(send)


class _BodyTooLarge(Exception):
    pass


async def _refuse(send) -> None:
    body = too_large_message().encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
