"""`python manage.py finetune --team SLUG`: the fine-tuning job, run here in the foreground."""

import time

from django.core.management.base import BaseCommand, CommandError

from assistant.finetune import FINETUNE, _base_state
from assistant.jobs import job_run
from assistant.models import FineTuneRun, Job, Team
from assistant.tasks_kb import finetune_job


class Echo:
    """Passes progress to the job row and prints each new stage."""

    def __init__(self, progress, write):
        self.progress, self.write, self.last = progress, write, 0.0

    def __call__(self, percent: float, stage: str | None = None) -> None:
        self.progress(percent, stage)
        if time.monotonic() - self.last >= 2 or percent >= 100:
            self.last = time.monotonic()
            self.write(f"{percent:5.1f} %  {stage or ''}")

    def checkpoint(self, **data) -> None:
        self.progress.checkpoint(**data)


class Command(BaseCommand):
    help = "LoRA-fine-tune a team's text model on its knowledge base (activated only if better)."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--steps", type=int, default=None,
                            help="Optimizer steps (default: two passes over the pairs, 20–120).")

    def handle(self, *args, team: str, steps: int | None, **options):
        chosen = Team.objects.filter(slug=team).first()
        if chosen is None:
            raise CommandError(f"No team with the slug {team!r}.")
        last = FineTuneRun.objects.filter(team=chosen).order_by("-version").first()
        run = FineTuneRun.objects.create(team=chosen, version=(last.version + 1) if last else 1,
                                         base=_base_state(chosen))
        # The job row is made here and not sent to a broker: this process runs it.
        job = Job.objects.create(team=chosen, kind=FINETUNE, params={"run": run.pk,
                                                                     "steps": steps},
                                 title=f"Fine-tune the text model (v{run.version})")
        run.job = job
        run.save(update_fields=["job"])
        job_run(job_id=str(job.pk),
                func=lambda j, progress: finetune_job.job_function(
                    j, Echo(progress, self.stdout.write)))
        job.refresh_from_db()
        run.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"Fine-tuning {job.status}: {job.error}")
        self.stdout.write(
            f"v{run.version}: {run.pairs['train']} training / {run.pairs['held_out']} held-out "
            f"pairs; ROUGE-L {run.before['rouge_l']:.3f} → {run.after['rouge_l']:.3f}, exact "
            f"match {run.before['exact_match']:.3f} → {run.after['exact_match']:.3f}; "
            f"{run.seconds:.0f} s; {run.get_status_display().lower()}")
