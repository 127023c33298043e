"""Serving a stored file with HTTP Range support, so audio players can seek."""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def _chunks(handle, start: int, length: int):
    handle.seek(start)
    remaining = length
    try:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def accel_response(field_file, content_type: str, filename: str) -> HttpResponse | None:
    """Behind nginx (RECORDINGS_X_ACCEL_PREFIX set), after the view's permission check: an
    empty answer naming the file, which nginx serves from its internal location with Range.
    None when the file is not on a local disk nginx can see (e.g. S3): the app streams it."""
    prefix = settings.RECORDINGS_X_ACCEL_PREFIX
    if not prefix:
        return None
    try:
        field_file.path  # noqa: B018 - only local storages have one
    except NotImplementedError:
        return None
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def ranged_response(request, field_file, content_type: str, filename: str):
    """A 200 with the whole file, or a 206 with the asked range (416 when it is outside)."""
    accel = accel_response(field_file, content_type, filename)
    if accel is not None:
        return accel
    size = field_file.size
    match = RANGE.match(request.headers.get("Range", "").strip())
    if not match or (not match.group(1) and not match.group(2)):
        response = FileResponse(field_file.open("rb"), content_type=content_type,
                                filename=filename)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # a suffix: the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start > end or start >= size:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1
    response = StreamingHttpResponse(_chunks(field_file.open("rb"), start, length), status=206,
                                     content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    return response
