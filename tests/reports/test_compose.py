"""Code places the facts: every name, task, date and point lands in the draft, as given."""

import datetime as dt

from reports import layouts as L
from reports.compose import Facts, Item, MeetingItems, greeting_names, plan, reply_parts


def _followup(**extra) -> Facts:
    fields = {"kind": L.FOLLOWUP, "sender": "Dev Patel", "tone": L.FRIENDLY,
              "to": ["Alice Moreau", "Bob Okafor"], "title": "Platform weekly",
              "date": dt.date(2026, 11, 16), "summary": ["The migration is ready"],
              "decisions": ["Postpone the mobile launch"],
              "items": [Item("run the production migration", "Alice Moreau",
                             dt.date(2026, 11, 20)),
                        Item("review the security report", "Bob Okafor", None)]}
    return Facts(**{**fields, **extra})


def test_a_followup_places_summary_decisions_and_each_persons_items():
    text = plan(_followup()).template_text()
    assert text.startswith("Hi Alice and Bob,\n\nThanks for joining Platform weekly on "
                           "Monday 16 November 2026")
    assert "- Alice Moreau: run the production migration (due Friday 20 November)" in text
    assert "- Bob Okafor: review the security report\n" in text
    assert "Decisions:\n- Postpone the mobile launch" in text
    assert text.endswith("Let me know if I missed anything.\n\nThanks,\nDev Patel")


def test_the_subject_comes_from_the_layout():
    assert plan(_followup()).subject == "Follow-up: Platform weekly (Monday 16 November 2026)"


def test_an_empty_list_leaves_out_its_heading():
    text = plan(_followup(summary=[])).template_text()
    assert "Summary" not in text and "Decisions:" in text


def test_the_model_gets_two_gaps_with_stock_sentences():
    gaps = [p for p in plan(_followup()).parts if p.is_prose]
    assert [g.slot for g in gaps] == ["opening", "closing"]
    assert all(g.text.endswith(".") for g in gaps)


def test_tones_change_greeting_and_signoff():
    text = plan(_followup(tone=L.FORMAL)).template_text()
    assert text.startswith("Dear Alice Moreau and Bob Okafor,")
    assert "Kind regards,\nDev Patel" in text


def test_many_recipients_are_greeted_together_and_groups_stay_whole():
    assert greeting_names(["A B", "C D", "E F", "G H"], L.FRIENDLY) == "everyone"
    assert greeting_names(["Support team"], L.BRIEF) == "Support team"


def test_a_reply_reads_subject_and_sender_from_the_pasted_email():
    original = "From: Bob Okafor <bob@example.com>\nSubject: Re: Can we move our 1:1?\n\nHi"
    assert reply_parts(original) == ("Can we move our 1:1?", "Bob Okafor", "bob@example.com")
    the_plan = plan(Facts(kind=L.REPLY, sender="Carol", original=original, gist="Thursday works"))
    assert the_plan.subject == "Re: Can we move our 1:1?"
    assert the_plan.template_text().startswith("Hi Bob,\n\nThanks for your email.\n\n"
                                               "Thursday works")


def test_feedback_is_situation_behaviour_impact_from_the_records():
    facts = Facts(kind=L.FEEDBACK, sender="Maria", member="Tom Becker",
                  period=(dt.date(2026, 11, 9), dt.date(2026, 11, 22)),
                  completed=["Call the Initech lead"],
                  overdue=[Item("Send Acme the quote", due=dt.date(2026, 11, 18))],
                  meetings=[MeetingItems("Sales review", dt.date(2026, 11, 16),
                                         [Item("Send Acme the quote")])],
                  points=["The quote went out late"])
    text = plan(facts).template_text()
    assert "Situation:\n- The period from Monday 9 November 2026 to Sunday 22 November 2026" in text
    assert "- Sales review (Monday 16 November), where you took on: Send Acme the quote" in text
    assert "Behaviour:\n- Completed: Call the Initech lead\n" in text
    assert "- Overdue: Send Acme the quote (due Wednesday 18 November)" in text
    assert "Impact:\n- Overdue to-dos hold up the people who depend on them" in text


def test_a_daily_report_lists_the_day():
    facts = Facts(kind=L.DAILY_REPORT, sender="Alice", to=["Dev Patel"],
                  date=dt.date(2026, 11, 20), done=["Run the migration"], blocked=["Keys"],
                  notes="It took 25 minutes.")
    text = plan(facts).template_text()
    assert "Done:\n- Run the migration\n\nBlocked:\n- Keys\n\nNotes:\nIt took 25 minutes." in text
    assert "In progress" not in text and "Meetings" not in text


def test_layout_errors_keep_the_facts_in():
    broken = L.Layout("{purpose} {nope}", "{greeting}\n{opening}\n{signoff}\n{sender}")
    assert L.layout_errors(L.EMAIL, broken) == [
        "{nope} cannot be used in the subject.",
        "The layout must keep {points}: the facts go there."]
    assert L.layout_errors(L.EMAIL, L.DEFAULT_LAYOUTS[L.EMAIL]) == []


def test_braces_in_facts_are_kept_as_text():
    facts = Facts(kind=L.EMAIL, sender="Me", to=["You"], purpose="the {opening} tag",
                  points=["Use {closing} literally"])
    the_plan = plan(facts)
    assert sum(p.is_prose for p in the_plan.parts) == 2
    assert "- Use {closing} literally" in the_plan.template_text()
