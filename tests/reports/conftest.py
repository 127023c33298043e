import pytest


def scripted(opening: str, closing: str = ""):
    """A fake model: the rest of the opening line, then the closing line, word by word."""
    prompts = []

    def generate(prompt, max_new_tokens, stop_event):
        prompts.append(prompt)
        for word in opening.split(" "):
            yield " " + word
        yield "\nClosing:"
        for word in closing.split(" "):
            yield " " + word
        yield "\n\nEmail:"

    generate.prompts = prompts
    return generate


@pytest.fixture
def write_now():
    """write_now(draft, *sentences): do the worker's part here, with a scripted model."""
    from reports.services import draft_write

    def run(draft, *sentences):
        draft_write(draft=draft, generate=scripted(*sentences) if sentences else None)
        draft.refresh_from_db()
        return draft

    return run
