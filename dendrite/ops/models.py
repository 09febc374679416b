"""The scheduler's record: one row per job and due time, and each process's heartbeat.

The unique (job, due_at) pair is what makes a job run at most once per due time however
many scheduler processes run: each tries to insert the row, one wins and runs the job.
"""

from django.db import models


class Outcome(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "Finished"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    Outcome = Outcome

    job = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.RUNNING)
    # The kind of error only (its class name): messages may carry data. The traceback is
    # in the scheduler's log.
    error = models.CharField(max_length=120, blank=True)
    host = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="job_run_once")]
        indexes = [models.Index(fields=["job", "-due_at"], name="job_run_latest_idx")]

    def __str__(self) -> str:
        return f"{self.job} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Heartbeat(models.Model):
    """A scheduler process's last tick, by host and process id."""

    name = models.CharField(max_length=160, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
