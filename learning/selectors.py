"""Reads for learning: who may see a member's signals and suggestions, the skill matrix."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from assistant.models import Membership, Role, Team, User

from .models import Goal, Signal, Skill, SkillLevel, Suggestion

MANAGERS = [Role.MANAGER, Role.ADMIN]


def _managed_teams(user: User):
    return Membership.objects.filter(user=user, role__in=MANAGERS).values("team_id")


def suggestions_visible(*, user: User) -> QuerySet[Suggestion]:
    """A member's suggestions: for them, and for their team's managers; nobody else."""
    return (Suggestion.objects.for_user(user)
            .filter(Q(member=user) | Q(team__in=_managed_teams(user)))
            .select_related("resource", "skill", "todo", "member"))


def signals_visible(*, user: User) -> QuerySet[Signal]:
    return (Signal.objects.for_user(user)
            .filter(Q(member=user) | Q(team__in=_managed_teams(user)))
            .select_related("skill"))


def suggestions_of(*, team: Team, member: User) -> dict[str, list[Suggestion]]:
    rows = (Suggestion.objects.filter(team=team, member=member)
            .select_related("resource", "skill", "todo").order_by("rank", "-updated_at"))
    by_status: dict[str, list[Suggestion]] = {s: [] for s in Suggestion.Status.values}
    for row in rows:
        by_status[row.status].append(row)
    return by_status


@dataclass
class Cell:
    skill: Skill
    level: int | None
    rated_by: str
    target: int

    @property
    def gap(self) -> int:
        return max(0, self.target - (self.level or 0))


@dataclass
class MatrixRow:
    member: User
    membership: Membership
    cells: list[Cell]


def skill_matrix(*, team: Team, members: list[Membership] | None = None) -> list[MatrixRow]:
    """Every member × skill: level (manager's rating, else self), target (goal, else expected)."""
    skills = list(Skill.objects.filter(team=team))
    memberships = members or list(Membership.objects.filter(team=team)
                                  .select_related("user").order_by("user__name"))
    levels = {(r.member_id, r.skill_id): r for r in SkillLevel.objects.filter(team=team)}
    goals = {(g.member_id, g.skill_id): g.target_level for g in Goal.objects.filter(team=team)}
    rows = []
    for membership in memberships:
        cells = []
        for skill in skills:
            row = levels.get((membership.user_id, skill.pk))
            level = row.level if row else None
            rated_by = "" if level is None else ("manager" if row.manager_level is not None
                                                 else "self")
            cells.append(Cell(skill, level, rated_by,
                              goals.get((membership.user_id, skill.pk), skill.expected_level)))
        rows.append(MatrixRow(membership.user, membership, cells))
    return rows


def assigned_learning(*, team: Team) -> QuerySet[Suggestion]:
    """Learning managers assigned, with the to-do that tracks it."""
    return (Suggestion.objects.filter(team=team, assigned_by__isnull=False)
            .select_related("member", "resource", "todo").order_by("todo__due", "member__name"))


@dataclass
class MemberSkill:
    skill: Skill
    self_level: int | None
    manager_level: int | None
    goal: Goal | None


def member_skills(*, team: Team, member: User) -> list[MemberSkill]:
    """Each of the team's skills with the member's two ratings and goal, for the forms."""
    levels = {r.skill_id: r for r in SkillLevel.objects.filter(team=team, member=member)}
    goals = {g.skill_id: g for g in Goal.objects.filter(team=team, member=member)}
    rows = []
    for skill in Skill.objects.filter(team=team):
        level = levels.get(skill.pk)
        rows.append(MemberSkill(skill, level.self_level if level else None,
                                level.manager_level if level else None, goals.get(skill.pk)))
    return rows
