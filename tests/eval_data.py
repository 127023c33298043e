"""Where the shared evaluation data lives: $EVAL_DIR, else ../shared/eval beside the project."""

import os
from pathlib import Path

EVAL = Path(os.environ.get("EVAL_DIR") or Path(__file__).resolve().parents[2] / "shared" / "eval")
