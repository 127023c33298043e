"""The writer: code's text at once, the model's sentence piece by piece, checked, else stock."""

import datetime as dt
import threading

from reports import layouts as L
from reports.compose import Facts, plan
from reports.prose import DraftWriter, write_all
from tests.ai.conftest import tiny_llama, tmp_models  # noqa: F401 - fixtures
from tests.reports.conftest import scripted

PLAN = plan(Facts(kind=L.EMAIL, sender="Jonas Berg", to=["Aisha Bello"],
                  purpose="the team offsite in Lisbon", points=["Flights are booked"],
                  date=dt.date(2026, 11, 16)))


def test_the_models_sentences_fill_the_gaps():
    model = scripted("share the plan for the team offsite in Lisbon.",
                     "Let me know what you think.")
    text, outcomes = write_all(PLAN, model)
    assert "Hi Aisha,\n\nI wanted to share the plan for the team offsite in Lisbon.\n\n" in text
    assert text.endswith("- Flights are booked\n\nLet me know what you think.\n\nThanks,\n"
                         "Jonas Berg")
    assert [o.source for o in outcomes] == ["model", "model"]
    assert len(model.prompts) == 1  # one generation for both sentences
    assert model.prompts[0].endswith('Email: about "the team offsite in Lisbon"\n'
                                     "Opening: I wanted to")


def test_an_invented_name_falls_back_to_the_stock_sentence_at_once():
    model = scripted("thank John Smith for organising everything in Lisbon.", "See you there.")
    writer = DraftWriter(PLAN, model)
    events = list(writer)
    assert "I wanted to get in touch about the team offsite in Lisbon." in writer.text
    assert "John" not in writer.text
    assert writer.outcomes[0].reason == "a name it was not given (John)"
    assert any(op == "reset" for op, _ in events)


def test_the_events_rebuild_the_text_exactly():
    writer = DraftWriter(PLAN, scripted("say hello about the offsite.", "Thanks [Your Name]."))
    mirror = ""
    for op, text in writer:
        mirror = mirror + text if op == "append" else text
    assert mirror == writer.text
    assert "[Your Name]" not in mirror and mirror.endswith("Thanks,\nJonas Berg")


def test_stop_uses_stock_sentences_for_the_rest():
    stop = threading.Event()

    def generate(prompt, max_new_tokens, stop_event):
        yield " share"
        stop.set()
        yield " the plan."

    text, outcomes = write_all(PLAN, generate, stop=stop)
    assert [(o.source, o.reason) for o in outcomes] == [("stock", "stopped"), ("stock", "stopped")]
    assert text == PLAN.template_text()


def test_a_failing_model_still_gives_the_whole_draft():
    def generate(prompt, max_new_tokens, stop_event):
        raise RuntimeError("no weights here")

    text, outcomes = write_all(PLAN, generate)
    assert text == PLAN.template_text()
    assert outcomes[0].reason.startswith("the model failed") and outcomes[1].reason == "no model"


def test_the_time_budget_ends_the_models_part():
    now = [0.0]

    def generate(prompt, max_new_tokens, stop_event):
        for word in ["share", "the", "plan", "for", "the", "offsite."]:
            now[0] += 2.0
            yield " " + word

    text, outcomes = write_all(PLAN, generate, clock=lambda: now[0], budget_s=5.0)
    assert [o.reason for o in outcomes] == ["out of time", "out of time"]
    assert text == PLAN.template_text()


def test_the_real_runtime_with_a_random_tiny_model_never_breaks_the_draft(request):
    from reports.prose import model_generate

    tiny = request.getfixturevalue("tiny_llama")  # a 2-layer Llama with random weights
    text, outcomes = write_all(PLAN, model_generate(tiny), budget_s=2.0)
    assert "- Flights are booked" in text and text.endswith("Thanks,\nJonas Berg")
    assert len(outcomes) == 2
