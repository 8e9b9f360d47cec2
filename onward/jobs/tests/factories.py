import factory
from django.utils import timezone

from onward.jobs.models import ScheduledJob, WorkerHeartbeat


class ScheduledJobFactory(factory.django.DjangoModelFactory[ScheduledJob]):
    """A periodic job's row, due now."""

    class Meta:
        model = ScheduledJob
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"job_{n}")
    interval_seconds = 60
    next_run_at = factory.LazyFunction(timezone.now)


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory[WorkerHeartbeat]):
    """A worker that reported just now."""

    class Meta:
        model = WorkerHeartbeat
        django_get_or_create = ("worker_id",)

    worker_id = factory.Sequence(lambda n: f"host-1-{n}")
    hostname = "host"
    pid = factory.Sequence(lambda n: 1000 + n)
    queues = "default,notifications"
