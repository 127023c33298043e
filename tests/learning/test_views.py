"""Learning pages: who sees what, actions on suggestions, assignments, the matrix, the catalog.

No model runs here: suggestions are stored rows, as a worker leaves them."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from assistant.models import Job, Membership
from learning.models import Goal, Resource, Skill, SkillLevel, Suggestion
from meetings.models import Todo

pytestmark = pytest.mark.django_db


@pytest.fixture
def learning(world):
    skill = Skill.objects.create(team=world.team, name="Testing", description="Tests",
                                 expected_level=3)
    resource = Resource.objects.create(team=world.team, title="Pytest in an hour", level=1,
                                       url="https://learn.example.com/pytest")
    resource.skills.set([skill])
    suggestion = Suggestion.objects.create(
        team=world.team, member=world.teammate, resource=resource, skill=skill, score=0.6,
        rank=1, because="Because Testing is not rated for you yet and the team expects "
                        "Advanced.",
        parts={"gap": 0.75, "relevance": 1.0, "level_fit": 0.8, "novelty": 1.0})
    return suggestion


def test_it_shows_the_member_their_suggestions_with_the_reason(world, client_for, learning):
    page = client_for(world.teammate).get(reverse("learning-home")).content.decode()
    assert "Pytest in an hour" in page
    assert "Because Testing is not rated for you yet" in page
    assert "skill gap 0.75 × relevance 1.00 × level fit 0.80 × novelty 1.00" in page


def test_a_teammate_never_sees_another_members_suggestions(world, client_for, learning):
    client = client_for(world.owner)  # an admin of the team, but it is not theirs...
    url = reverse("learning-suggestion", args=[learning.pk])
    Membership.objects.filter(user=world.owner).update(role="employee")
    assert client.post(url, {"action": "save"}).status_code == 404
    assert "Pytest in an hour" not in client.get(reverse("learning-home")).content.decode()
    member = Membership.objects.get(user=world.teammate)
    assert client.get(reverse("learning-member", args=[member.pk])).status_code == 403


def test_a_manager_sees_a_members_suggestions_but_cannot_act_for_them(world, client_for,
                                                                      learning):
    client = client_for(world.manager)
    member = Membership.objects.get(user=world.teammate)
    page = client.get(reverse("learning-member", args=[member.pk])).content.decode()
    assert "Pytest in an hour" in page and "Because Testing" in page
    response = client.post(reverse("learning-suggestion", args=[learning.pk]),
                           {"action": "save"})
    assert response.status_code == 403


def test_save_dismiss_with_a_reason_and_done(world, client_for, learning):
    client = client_for(world.teammate)
    url = reverse("learning-suggestion", args=[learning.pk])
    client.post(url, {"action": "save"})
    learning.refresh_from_db()
    assert learning.status == "saved"
    response = client.post(url, {"action": "dismiss", "reason": "other", "other": ""},
                           follow=True)
    assert "Write the other reason." in response.content.decode()
    learning.refresh_from_db()
    assert learning.status == "saved"
    client.post(url, {"action": "dismiss", "reason": "other", "other": "We use unittest"})
    learning.refresh_from_db()
    assert (learning.status, learning.dismiss_reason) == ("dismissed", "We use unittest")
    response = client.post(url, {"action": "done"}, follow=True)
    assert "This suggestion is dismissed already." in response.content.decode()


def test_the_htmx_action_returns_the_card(world, client_for, learning):
    response = client_for(world.teammate).post(
        reverse("learning-suggestion", args=[learning.pk]), {"action": "done"},
        HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith(f'<li id="suggestion-{learning.pk}"')
    assert "Done" in page


def test_a_manager_assigns_a_resource_and_it_becomes_a_to_do(world, client_for, learning):
    member = Membership.objects.get(user=world.teammate)
    due = date.today() + timedelta(days=7)
    response = client_for(world.manager).post(
        reverse("learning-assign", args=[member.pk]),
        {"resource": learning.resource_id, "due": due.isoformat()}, follow=True)
    assert "is assigned to" in response.content.decode()
    learning.refresh_from_db()
    assert learning.status == "assigned" and learning.assigned_by == world.manager
    todo = Todo.objects.get(assignee=world.teammate)
    assert (todo.title, todo.due, todo.created_by) == ("Learning: Pytest in an hour", due,
                                                       world.manager)
    assert todo.events.count() == 1
    page = client_for(world.teammate).get(reverse("my-todos")).content.decode()
    assert "Learning: Pytest in an hour" in page
    progress = client_for(world.manager).get(reverse("learning-team")).content.decode()
    assert "Pytest in an hour" in progress and "Open" in progress


def test_assigning_refuses_a_past_due_date_and_a_second_assignment(world, client_for,
                                                                  learning):
    member = Membership.objects.get(user=world.teammate)
    client = client_for(world.manager)
    url = reverse("learning-assign", args=[member.pk])
    response = client.post(url, {"resource": learning.resource_id, "due": "2020-01-01"},
                           follow=True)
    assert "The due date is in the past." in response.content.decode()
    soon = (date.today() + timedelta(days=3)).isoformat()
    client.post(url, {"resource": learning.resource_id, "due": soon})
    response = client.post(url, {"resource": learning.resource_id, "due": soon}, follow=True)
    assert "is already assigned to" in response.content.decode()
    assert Todo.objects.count() == 1


def test_a_resource_of_another_team_cannot_be_assigned(world, client_for, learning):
    foreign = Resource.objects.create(team=world.other_team, title="Secret course")
    member = Membership.objects.get(user=world.teammate)
    client_for(world.manager).post(reverse("learning-assign", args=[member.pk]),
                                   {"resource": foreign.pk, "due": "2030-01-01"})
    assert not Todo.objects.exists()


def test_my_skills_saves_levels_and_goals_and_queues_a_recompute(world, client_for, learning):
    skill = learning.skill
    client_for(world.teammate).post(reverse("learning-my-skills"), {
        f"level-{skill.pk}": "1", f"goal-{skill.pk}": "3", f"note-{skill.pk}": "Own the suite"})
    assert SkillLevel.objects.get(member=world.teammate, skill=skill).self_level == 1
    goal = Goal.objects.get(member=world.teammate, skill=skill)
    assert (goal.target_level, goal.note) == (3, "Own the suite")
    job = Job.objects.get(kind="learning.recompute")
    assert job.params == {"member": world.teammate.pk}


def test_a_bad_level_is_refused(world, client_for, learning):
    response = client_for(world.teammate).post(
        reverse("learning-my-skills"), {f"level-{learning.skill_id}": "9"}, follow=True)
    assert "A level is a whole number from 0 to 4." in response.content.decode()
    assert not SkillLevel.objects.exists()


def test_a_manager_rates_a_member_and_the_rating_wins(world, client_for, learning):
    SkillLevel.objects.create(team=world.team, member=world.teammate, skill=learning.skill,
                              self_level=3)
    member = Membership.objects.get(user=world.teammate)
    client_for(world.manager).post(reverse("learning-member", args=[member.pk]),
                                   {f"level-{learning.skill_id}": "1"})
    row = SkillLevel.objects.get(member=world.teammate)
    assert (row.self_level, row.manager_level, row.level, row.rated_by) == (3, 1, 1,
                                                                          world.manager)


def test_the_team_page_draws_the_skill_matrix_as_svg(world, client_for, learning):
    SkillLevel.objects.create(team=world.team, member=world.teammate, skill=learning.skill,
                              manager_level=1)
    page = client_for(world.manager).get(reverse("learning-team")).content.decode()
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert svg.count("<rect") == 3  # three members × one skill
    name = world.teammate.display_name
    assert f"{name} · Testing: Beginner (rated by a manager); target Advanced, gap 2" in svg
    assert 'stroke="#b3261e"' in svg
    assert "style=" not in svg and "<script" not in svg  # the CSP allows neither


def test_employees_cannot_open_the_team_page(world, client_for, learning):
    assert client_for(world.teammate).get(reverse("learning-team")).status_code == 403


def test_the_refresh_button_queues_one_job_and_returns_its_progress(world, client_for):
    client = client_for(world.teammate)
    response = client.post(reverse("learning-refresh"), HTTP_HX_REQUEST="true")
    assert "job-" in response.content.decode()
    client.post(reverse("learning-refresh"), HTTP_HX_REQUEST="true")
    assert Job.objects.filter(kind="learning.recompute").count() == 1
    assert client.post(reverse("learning-refresh"), {"scope": "team"}).status_code == 403


def test_a_manager_adds_a_resource_and_it_is_queued_for_indexing(world, client_for, learning):
    client = client_for(world.manager)
    response = client.post(reverse("learning-catalog"), {
        "title": "TDD by example", "url": "https://learn.example.com/tdd", "kind": "book",
        "level": "2", "skills": [learning.skill_id], "description": "Red, green, refactor"})
    assert response.status_code == 302
    assert Resource.objects.get(title="TDD by example").skills.get() == learning.skill
    assert Job.objects.filter(kind="learning.embed").count() == 1


def test_employees_browse_but_do_not_change_the_catalog(world, client_for, learning):
    client = client_for(world.teammate)
    assert "Pytest in an hour" in client.get(reverse("learning-catalog")).content.decode()
    client.post(reverse("learning-catalog"), {"title": "Mine", "kind": "book", "level": "1"})
    client.post(reverse("learning-resource", args=[learning.resource_id]), {"action": "delete"})
    assert Resource.objects.count() == 1
    assert client.get(reverse("learning-import")).status_code == 403


def test_the_import_page_lists_row_errors_and_imports_nothing(world, client_for, learning):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.csv", b"title,skills\nGood,Testing\nBad,Cooking\n")
    response = client_for(world.manager).post(reverse("learning-import"), {"file": upload})
    assert response.status_code == 400
    assert "Row 2: unknown skill(s) Cooking" in response.content.decode()
    assert Resource.objects.count() == 1


def test_an_admin_adds_the_starter_skills_once(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("learning-skills"), {"action": "starter"})
    client.post(reverse("learning-skills"), {"action": "starter"})
    assert Skill.objects.filter(team=world.team).count() == 10
    response = client.post(reverse("learning-skills"), {
        "name": "python", "description": "Again", "expected_level": "2"})
    assert "already has a skill with this name" in response.content.decode()
    assert client_for(world.manager).get(reverse("learning-skills")).status_code == 403


def test_an_htmx_dismiss_without_a_reason_says_so_in_the_card(world, client_for, learning):
    response = client_for(world.teammate).post(
        reverse("learning-suggestion", args=[learning.pk]),
        {"action": "dismiss", "reason": "other"}, HTTP_HX_REQUEST="true")
    assert "Write the other reason." in response.content.decode()
    learning.refresh_from_db()
    assert learning.status == "suggested"


def test_the_suggestions_partial_refreshes_alone(world, client_for, learning):
    response = client_for(world.teammate).get(reverse("learning-home"),
                                              {"part": "suggestions"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Pytest in an hour" in page and "<html" not in page and "Your skills" not in page


def test_an_admin_edits_and_removes_a_skill_and_a_manager_a_resource(world, client_for,
                                                                     learning):
    admin = client_for(world.owner)
    admin.post(reverse("learning-skill", args=[learning.skill_id]), {
        "name": "Automated testing", "description": "pytest and CI", "expected_level": "2"})
    learning.skill.refresh_from_db()
    assert learning.skill.name == "Automated testing"
    client = client_for(world.manager)
    client.post(reverse("learning-resource", args=[learning.resource_id]), {
        "title": "Pytest in two hours", "kind": "course", "level": "2", "url": ""})
    assert Resource.objects.get().title == "Pytest in two hours"
    client.post(reverse("learning-resource", args=[learning.resource_id]), {"action": "delete"})
    assert not Resource.objects.exists() and not Suggestion.objects.exists()
    client_for(world.owner).post(reverse("learning-skill", args=[learning.skill_id]),
                                 {"action": "delete"})
    assert not Skill.objects.exists()


def test_a_manager_adds_a_recorded_meeting_to_the_catalog(world, client_for, learning):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(team=world.team, title="Postmortem of the outage")
    meeting.decisions.create(text="Add an alert on queue length.")
    response = client_for(world.manager).post(reverse("learning-catalog"), {
        "source": "meeting", "meeting": meeting.pk, "level": "2",
        "skills": [learning.skill_id]})
    assert response.status_code == 302
    resource = Resource.objects.get(kind="meeting")
    assert (resource.title, resource.meeting, resource.level) == ("Postmortem of the outage",
                                                                  meeting, 2)
    assert "alert on queue length" in resource.description
    foreign = MeetingFactory(team=world.other_team)
    response = client_for(world.manager).post(reverse("learning-catalog"), {
        "source": "meeting", "meeting": foreign.pk, "level": "1"})
    assert response.status_code == 400 and Resource.objects.filter(kind="meeting").count() == 1
