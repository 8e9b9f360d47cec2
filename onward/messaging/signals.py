"""A change to a word list's terms gives it a new revision, so every process rebuilds its automaton."""

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from onward.messaging.models import Term, WordList
from onward.messaging.screening import screener_forget


@receiver(post_save, sender=Term)
@receiver(post_delete, sender=Term)
def _term_changed(sender: Any, instance: Term, **kwargs: Any) -> None:
    WordList.objects.filter(pk=instance.word_list_id).update(revision=uuid.uuid4())
    screener_forget(instance.word_list_id)
