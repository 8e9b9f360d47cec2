import signal
from collections.abc import Iterator

import pytest


@pytest.fixture
def restore_signal_handlers() -> Iterator[None]:
    """The worker and scheduler commands install SIGTERM/SIGINT handlers; put pytest's back."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)
