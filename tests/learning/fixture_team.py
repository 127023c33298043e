"""A fixture team with known skill gaps, written before the ranking code.

The "Platform" team has eight skills, a catalog of 30 resources (two of them with no skills
tagged, so only their meaning links them to a skill), and five members whose largest gap is
known from their levels and goals alone:

- Ana: Testing (rated 0 by her manager, expected 2); she finished Python to-dos.
- Ben: Security (rated 0, expected 2); an overdue and a blocked security to-do, and he takes
  part in a meeting about moving to Kubernetes (a smaller Infrastructure gap).
- Chloé: Technical writing (a goal of 4 from level 1); shared feedback about her documents.
- Dev: a new member with no ratings and no history: Python, the one skill the team expects at
  level 3, is his largest gap.
- Erin (a manager): SQL and databases (rates herself 0).

The largest gap is target − level, where the target is the member's goal for the skill, else
the skill's expected level, and the level is the manager's rating, else the member's own,
else 0.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from assistant.models import Role, Team, User
from learning.models import Goal, Resource, Skill, SkillLevel
from meetings.models import Meeting, Speaker, Todo, TodoEvent
from tests.factories import MembershipFactory, TeamFactory, UserFactory

SKILLS = {
    "Python": ("Writing, reading and debugging Python code: scripts, services, packaging, "
               "type hints.", 3),
    "Testing": ("Unit, integration and end-to-end tests; pytest, test-driven development, "
                "fixing flaky tests and raising coverage.", 2),
    "SQL and databases": ("Querying and modelling data in SQL; PostgreSQL, indexes, "
                          "migrations, query plans and slow queries.", 2),
    "Infrastructure": ("Containers, Kubernetes, cloud servers, deployments, CI pipelines, "
                       "monitoring and on-call.", 2),
    "Security": ("Application security: secrets and key rotation, authentication, cross-site "
                 "scripting, vulnerabilities, threat modelling.", 2),
    "Technical writing": ("Clear design documents, READMEs, runbooks and release notes in "
                          "plain language.", 2),
    "Presenting": ("Demos, presentations and talks; explaining work to colleagues and "
                   "customers.", 2),
    "Project planning": ("Estimating, planning and tracking work; priorities, deadlines, "
                         "retrospectives and stakeholders.", 2),
}

# title, kind, level, skills, description
RESOURCES = [
    ("Python basics for the team's scripts", "course", 1, ["Python"],
     "Variables, functions, modules and virtual environments, with the scripts we run."),
    ("Type hints and mypy in practice", "article", 2, ["Python"],
     "Annotating a real code base gradually and reading mypy's errors."),
    ("Effective Python", "book", 3, ["Python"],
     "Ninety specific ways to write better Python, from idioms to concurrency."),
    ("Unit testing with pytest: the first hour", "course", 1, ["Testing"],
     "Writing your first tests, fixtures and assertions with pytest."),
    ("Test-driven development by example", "book", 2, ["Testing"],
     "Red, green, refactor: growing code from tests."),
    ("Property-based testing with Hypothesis", "article", 3, ["Testing"],
     "Letting the computer find the inputs that break your code."),
    ("SQL joins explained", "video", 1, ["SQL and databases"],
     "Inner, outer and self joins with drawings and small tables."),
    ("Designing indexes", "article", 2, ["SQL and databases"],
     "Which columns to index, composite indexes and what they cost on writes."),
    ("Reading PostgreSQL query plans", "article", 3, ["SQL and databases"],
     "EXPLAIN ANALYZE line by line, and fixing a slow query."),
    ("Containers from scratch", "video", 1, ["Infrastructure"],
     "What a container image is, building one and running it locally."),
    ("Kubernetes deployments and rollbacks", "course", 2, ["Infrastructure"],
     "Deployments, services, rolling updates and rolling back a bad release."),
    ("Advanced Kubernetes networking", "course", 4, ["Infrastructure"],
     "CNI plugins, network policies and service meshes in depth."),
    ("Running PostgreSQL on Kubernetes", "article", 3, ["Infrastructure", "SQL and databases"],
     "Operators, volumes, backups and failover for a database in a cluster."),
    ("OWASP Top Ten walkthrough", "video", 1, ["Security"],
     "The ten most common web application security risks, with examples."),
    ("Secrets management and key rotation", "article", 2, ["Security"],
     "Keeping API keys out of code, vaults, and rotating leaked credentials."),
    ("Threat modelling workshop", "course", 3, ["Security"],
     "Finding what can go wrong in a design before it ships."),
    ("Plain English for engineers", "article", 1, ["Technical writing"],
     "Short sentences, active verbs and the words readers know."),
    ("Writing design documents people read", "article", 2, ["Technical writing"],
     "Structure, context, alternatives and decisions in a design doc."),
    ("Docs as code", "book", 3, ["Technical writing"],
     "Versioned documentation, reviews and publishing pipelines for docs."),
    ("Giving a five-minute demo", "video", 1, ["Presenting"],
     "Planning, rehearsing and recovering when the demo breaks."),
    ("Storytelling with data", "book", 2, ["Presenting"],
     "Charts and narratives that make a point to an audience."),
    ("Keynote-level speaking", "course", 4, ["Presenting"],
     "Stage presence and large audiences."),
    ("Running a retrospective", "article", 1, ["Project planning"],
     "Formats that get a team talking about what to change."),
    ("Estimating work without guessing", "article", 2, ["Project planning"],
     "Reference classes, ranges and tracking estimates against reality."),
    ("Portfolio management for directors", "book", 4, ["Project planning"],
     "Balancing many programmes across a company."),
    ("Async Python with asyncio", "course", 4, ["Python"],
     "Event loops, tasks and structured concurrency for experts."),
    ("Mutation testing for mature suites", "article", 4, ["Testing"],
     "Measuring how good a test suite really is."),
    ("Database internals", "book", 4, ["SQL and databases"],
     "Storage engines, B-trees and replication for experts."),
    # No skills tagged: only their meaning links them to a skill.
    ("Hardening a web app against cross-site scripting", "article", 2, [],
     "Escaping output, content security policy and sanitising user input in web pages."),
    ("How to write clear READMEs and runbooks", "article", 2, [],
     "What a newcomer needs on the first page, and step-by-step instructions for incidents."),
]


@dataclass
class Member:
    user: User
    largest_gap: str


@dataclass
class FixtureTeam:
    team: Team
    manager: User
    members: dict[str, Member]


def _person(team: Team, name: str, role: str = Role.EMPLOYEE) -> User:
    user = UserFactory(name=name, email=name.split()[0].lower().replace("é", "e")
                       + "@platform.test")
    MembershipFactory(user=user, team=team, role=role)
    return user


def _levels(team, user, skills, self_levels=None, manager_levels=None, by=None):
    for name in set(self_levels or {}) | set(manager_levels or {}):
        SkillLevel.objects.create(team=team, member=user, skill=skills[name],
                                  self_level=(self_levels or {}).get(name),
                                  manager_level=(manager_levels or {}).get(name), rated_by=by)


def _todo(team, user, title, status, due_in_days=None, by=None):
    due = date.today() + timedelta(days=due_in_days) if due_in_days is not None else None
    todo = Todo.objects.create(team=team, assignee=user, title=title, status=status, due=due,
                               created_by=by)
    TodoEvent.objects.create(todo=todo, status=Todo.Status.OPEN, changed_by=by,
                             at=timezone.now() - timedelta(days=10))
    if status != Todo.Status.OPEN:
        TodoEvent.objects.create(todo=todo, status=status, changed_by=user)
    return todo


def build(*, slug: str = "platform") -> FixtureTeam:
    """Create the Platform team, its skills, catalog, members and their history."""
    team = TeamFactory(name="Platform", slug=slug, time_zone="Europe/London")
    skills = {name: Skill.objects.create(team=team, name=name, description=desc,
                                         expected_level=expected)
              for name, (desc, expected) in SKILLS.items()}
    for title, kind, level, tags, description in RESOURCES:
        resource = Resource.objects.create(team=team, title=title, kind=kind, level=level,
                                           description=description,
                                           url=f"https://learn.example.com/{len(title)}")
        resource.skills.set([skills[t] for t in tags])

    erin = _person(team, "Erin Walsh", Role.MANAGER)
    ana = _person(team, "Ana Silva")
    ben = _person(team, "Ben Okafor")
    chloe = _person(team, "Chloé Martin")
    dev = _person(team, "Dev Patel")

    everyone_at_two = {name: 2 for name in SKILLS if name != "Python"}
    _levels(team, ana, skills, {**everyone_at_two, "Python": 3, "Testing": 1},
            {"Testing": 0}, by=erin)
    _todo(team, ana, "Port the billing script to Python 3.12", Todo.Status.DONE, -3, by=erin)
    _todo(team, ana, "Add type hints to the invoice module", Todo.Status.DONE, -1, by=erin)

    _levels(team, ben, skills, {**everyone_at_two, "Python": 3, "Security": 1,
                                "Infrastructure": 1}, {"Security": 0}, by=erin)
    _todo(team, ben, "Rotate the leaked API keys of the payment service", Todo.Status.OPEN, -4,
          by=erin)
    _todo(team, ben, "Fix the cross-site scripting hole in the signup form",
          Todo.Status.BLOCKED, 2, by=erin)
    meeting = Meeting.objects.create(team=team, created_by=erin, held_on=date.today(),
                                     title="Moving the services to Kubernetes",
                                     status=Meeting.Status.READY)
    Speaker.objects.create(meeting=meeting, label="Speaker 1", member=ben)

    _levels(team, chloe, skills, {**everyone_at_two, "Python": 3, "Technical writing": 1})
    Goal.objects.create(team=team, member=chloe, skill=skills["Technical writing"],
                        target_level=4, note="Write the design docs for the new platform")
    _feedback(team, erin, chloe)

    _levels(team, erin, skills, {**everyone_at_two, "Python": 3, "SQL and databases": 0})

    members = {"ana": Member(ana, "Testing"), "ben": Member(ben, "Security"),
               "chloe": Member(chloe, "Technical writing"), "dev": Member(dev, "Python"),
               "erin": Member(erin, "SQL and databases")}
    return FixtureTeam(team=team, manager=erin, members=members)


def _feedback(team, manager, member):
    from reports.models import Draft

    Draft.objects.create(
        team=team, author=manager, member=member, kind=Draft.Kind.FEEDBACK,
        status=Draft.Status.READY, subject="Feedback for Chloé",
        body="Your code reviews are thorough and kind. Your design documents are hard to "
             "follow: the structure wanders and the language is dense.",
        shared_at=timezone.now())


def largest_gap(user: User, team: Team) -> str:
    """target − level over the team's skills, computed from the rows alone (ties: first name)."""
    levels = {row.skill_id: row.level for row in SkillLevel.objects.filter(member=user,
                                                                           team=team)}
    goals = {g.skill_id: g.target_level for g in Goal.objects.filter(member=user, team=team)}
    gaps = {s.name: goals.get(s.pk, s.expected_level) - (levels.get(s.pk) or 0)
            for s in Skill.objects.filter(team=team)}
    return max(sorted(gaps), key=lambda name: gaps[name])
