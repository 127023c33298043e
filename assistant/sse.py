"""Server-sent events from a relay that reads a row the worker keeps writing (drafts, chat)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator

from asgiref.sync import sync_to_async

POLL_S = 0.1
Step = Callable[[], tuple[list[str], bool]]  # the events not yet sent, and whether to stop


def event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def relay_events(step: Step) -> Iterator[str]:
    """For WSGI servers (and the test client): a blocking loop."""
    while True:
        chunks, over = step()
        yield from chunks
        if over:
            return
        time.sleep(POLL_S)


async def arelay_events(step: Step) -> AsyncIterator[str]:
    """For ASGI (uvicorn): the same loop without holding a thread between reads."""
    step = sync_to_async(step)
    while True:
        chunks, over = await step()
        for chunk in chunks:
            yield chunk
        if over:
            return
        await asyncio.sleep(POLL_S)
