from celery import shared_task

from .webhooks import backoff, deliveries_resend, delivery_attempt


@shared_task(name="api.deliver_webhook", bind=True, ignore_result=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    """One try; a temporary failure comes back later with exponential backoff."""
    outcome = delivery_attempt(delivery_id=delivery_id)
    if outcome == "retry":
        raise self.retry(countdown=backoff(self.request.retries + 1))
    return outcome


@shared_task(name="api.resend_webhooks", ignore_result=True)
def resend_webhooks() -> int:
    return deliveries_resend()
