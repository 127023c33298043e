"""Writes for learning: skills, levels and goals, suggestions' fate, assignments, jobs."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from assistant.jobs import job_create
from assistant.models import Job, Membership, Team, User
from meetings.models import Todo
from meetings.todos import local_today, todo_create, todo_set_status

from .models import MAX_LEVEL, Goal, Resource, Skill, SkillLevel, Suggestion
from .starter import STARTER_SKILLS

RECOMPUTE = "learning.recompute"
EMBED = "learning.embed"
DISMISS_REASONS = ["I already know this", "Not relevant to my work", "Wrong level for me",
                   "I prefer another format"]


def skills_add_starter(*, team: Team) -> int:
    """Add the starter skills the team does not have yet; returns how many were added."""
    have = set(Skill.objects.filter(team=team).values_list("name", flat=True))
    new = [Skill(team=team, name=n, description=d, expected_level=e)
           for n, d, e in STARTER_SKILLS if n not in have]
    Skill.objects.bulk_create(new)
    return len(new)


def _check_level(level: int | None, *, allow_none: bool = True) -> None:
    if level is None and allow_none:
        return
    if level is None or not 0 <= int(level) <= MAX_LEVEL:
        raise ValidationError(f"A level is a whole number from 0 to {MAX_LEVEL}.")


def _member_of(team: Team, user: User) -> None:
    if not Membership.objects.filter(team=team, user=user).exists():
        raise ValidationError(f"{user} is not a member of {team}.")


def level_set(*, team: Team, member: User, skill: Skill, level: int | None, by: User,
              as_manager: bool) -> SkillLevel:
    """Record a self rating, or a manager's rating of a member (None clears it)."""
    _check_level(level)
    _member_of(team, member)
    if skill.team_id != team.pk:
        raise ValidationError("That skill belongs to another team.")
    row, _ = SkillLevel.objects.get_or_create(team=team, member=member, skill=skill)
    if as_manager:
        row.manager_level, row.rated_by = level, by
    else:
        row.self_level = level
    row.save()
    return row


def goal_set(*, team: Team, member: User, skill: Skill, target_level: int | None,
             note: str = "") -> Goal | None:
    """Set (or with no target, clear) the member's goal for a skill."""
    if skill.team_id != team.pk:
        raise ValidationError("That skill belongs to another team.")
    if target_level is None:
        Goal.objects.filter(team=team, member=member, skill=skill).delete()
        return None
    _check_level(target_level, allow_none=False)
    if int(target_level) < 1:
        raise ValidationError("A goal is a level from 1 (beginner) to 4 (expert).")
    goal, _ = Goal.objects.update_or_create(team=team, member=member, skill=skill, defaults={
        "target_level": target_level, "note": note.strip()[:300]})
    return goal


def suggestion_save(*, suggestion: Suggestion) -> Suggestion:
    return _move(suggestion, Suggestion.Status.SAVED, allowed=[Suggestion.Status.SUGGESTED])


def suggestion_unsave(*, suggestion: Suggestion) -> Suggestion:
    return _move(suggestion, Suggestion.Status.SUGGESTED, allowed=[Suggestion.Status.SAVED])


def suggestion_dismiss(*, suggestion: Suggestion, reason: str) -> Suggestion:
    """Dismiss with a reason; it is never suggested again."""
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise ValidationError("Say why you dismiss it: it helps the next suggestions.")
    suggestion.dismiss_reason = reason
    return _move(suggestion, Suggestion.Status.DISMISSED,
                 allowed=[Suggestion.Status.SUGGESTED, Suggestion.Status.SAVED])


@transaction.atomic
def suggestion_done(*, suggestion: Suggestion, by: User) -> Suggestion:
    """Mark as learnt; an assigned one's to-do is done too."""
    if suggestion.todo_id and suggestion.todo.status != Todo.Status.DONE:
        todo_set_status(todo=suggestion.todo, status=Todo.Status.DONE, by=by)
    return _move(suggestion, Suggestion.Status.DONE,
                 allowed=[Suggestion.Status.SUGGESTED, Suggestion.Status.SAVED,
                          Suggestion.Status.ASSIGNED])


def _move(suggestion: Suggestion, status: str, *, allowed: list[str]) -> Suggestion:
    if suggestion.status not in allowed:
        raise ValidationError(f"This suggestion is {suggestion.get_status_display().lower()} "
                              "already.")
    suggestion.status = status
    suggestion.save(update_fields=["status", "dismiss_reason", "updated_at"])
    return suggestion


@transaction.atomic
def resource_assign(*, team: Team, member: User, resource: Resource, due: date | None,
                    by: User) -> Suggestion:
    """A manager assigns a resource with a due date: it becomes the member's to-do."""
    _member_of(team, member)
    if resource.team_id != team.pk:
        raise ValidationError("That resource belongs to another team.")
    if due is not None and due < local_today(by, team):
        raise ValidationError("The due date is in the past.")
    suggestion, _ = Suggestion.objects.select_for_update().get_or_create(
        team=team, member=member, resource=resource,
        defaults={"skill": resource.skills.first(), "because": "Assigned by your manager."})
    if suggestion.status == Suggestion.Status.ASSIGNED:
        raise ValidationError(f"{resource} is already assigned to {member}.")
    if suggestion.status == Suggestion.Status.DONE:
        raise ValidationError(f"{member} has already done {resource}.")
    suggestion.todo = todo_create(team=team, title=f"Learning: {resource.title}",
                                  assignee=member, due=due, by=by)
    suggestion.status, suggestion.assigned_by = Suggestion.Status.ASSIGNED, by
    suggestion.save(update_fields=["todo", "status", "assigned_by", "updated_at"])
    return suggestion


def _queued(team: Team, kind: str, params: dict) -> Job | None:
    return Job.objects.filter(team=team, kind=kind, params=params,
                              status=Job.Status.QUEUED).first()


def recompute_queue(*, team: Team, by: User | None, member: User | None = None) -> Job:
    """Queue a recompute of one member's suggestions (or the whole team's)."""
    params = {"member": member.pk if member else None}
    existing = _queued(team, RECOMPUTE, params)
    if existing:
        return existing
    who = member.display_name if member else team.name
    return job_create(team=team, owner=by, kind=RECOMPUTE, title=f"Learning suggestions "
                      f"for {who}", params=params)


def embed_queue(*, team: Team, by: User | None) -> Job:
    """Queue the embedding of new or changed skills and resources (once per team at a time)."""
    return _queued(team, EMBED, {}) or job_create(team=team, owner=by, kind=EMBED,
                                                  title="Index the learning catalog")


def recompute_all_teams() -> int:
    """The weekly beat: one recompute job per team that has a catalog."""
    teams = Team.objects.filter(learning_resources__isnull=False).distinct()
    return len([recompute_queue(team=team, by=None) for team in teams])
