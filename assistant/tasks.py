import time

from celery import shared_task

from .jobs import JobError, job_task, jobs_sweep
from .models import Job


@shared_task(name="assistant.sweep_jobs", ignore_result=True)
def sweep_jobs() -> dict[str, int]:
    return jobs_sweep()


@job_task("assistant.worker_check", queue="default")
def worker_check(job: Job, progress) -> dict:
    """A short job in steps that shows the workers and the progress bar are alive."""
    steps = int(job.params.get("steps", 5))
    if not 1 <= steps <= 100:
        raise JobError("A worker check takes between 1 and 100 steps.")
    done = int(job.checkpoint.get("done", 0))
    for step in range(done, steps):
        progress(100 * step / steps, stage=f"Step {step + 1} of {steps}")
        time.sleep(float(job.params.get("step_seconds", 0.5)))
        progress.checkpoint(done=step + 1)
    return {"steps": steps, "resumed_from": done}
