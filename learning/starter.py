"""The starter set of skills a team begins with (an admin edits, removes or adds to it)."""

STARTER_SKILLS: list[tuple[str, str, int]] = [
    ("Python", "Writing, reading and debugging Python code: scripts, services, packaging, "
     "type hints.", 2),
    ("Testing", "Unit, integration and end-to-end tests; pytest, test-driven development, "
     "fixing flaky tests and raising coverage.", 2),
    ("SQL and databases", "Querying and modelling data in SQL; PostgreSQL, indexes, "
     "migrations, query plans and slow queries.", 2),
    ("Infrastructure", "Containers, Kubernetes, cloud servers, deployments, CI pipelines, "
     "monitoring and on-call.", 2),
    ("Security", "Application security: secrets and key rotation, authentication, "
     "cross-site scripting, vulnerabilities, threat modelling.", 2),
    ("Technical writing", "Clear design documents, READMEs, runbooks and release notes in "
     "plain language.", 2),
    ("Presenting", "Demos, presentations and talks; explaining work to colleagues and "
     "customers.", 2),
    ("Project planning", "Estimating, planning and tracking work; priorities, deadlines, "
     "retrospectives and stakeholders.", 2),
    ("Customer support", "Answering customers, triaging tickets, reproducing reported "
     "problems and writing help articles.", 2),
    ("Coaching", "Giving feedback, mentoring colleagues, running one-to-ones and "
     "onboarding new people.", 2),
]
