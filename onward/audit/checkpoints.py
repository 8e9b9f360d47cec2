"""Signed checkpoints of the audit chain's head, appended to a file the database role cannot change.

Once an hour (the periodic job `audit_checkpoint`) the head's sequence number and hash are written as one
JSON line, sealed with the current AUDIT_KEYS key. `audit_verify` holds the chain against every line, so a
chain cut short, or rewritten from some event on (even by someone holding the key), is found. The file is
opened for appending only; on a real host make it append-only for the operating system too (docs/audit.md).
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from onward.audit.keys import audit_keys, audit_mac
from onward.audit.models import AuditChainHead


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str


def checkpoint_write() -> dict[str, Any]:
    """Append a signed checkpoint of the chain's head now. Returns what was written (or that none is set)."""
    path = settings.AUDIT_CHECKPOINT_PATH
    if not path:
        return {"written": False, "reason": "AUDIT_CHECKPOINT_PATH is empty"}
    head = AuditChainHead.objects.filter(id=1).first()
    seq, head_hash = (head.seq, head.hash) if head is not None else (0, "0" * 64)
    key_id = audit_keys().current_id
    at = timezone.now().isoformat(timespec="seconds")
    line = {"seq": seq, "hash": head_hash, "at": at, "key_id": key_id}
    line["mac"] = audit_mac(key_id, _signed_text(seq, head_hash, at))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (json.dumps(line, sort_keys=True) + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return {"written": True, "seq": seq}


def checkpoints_read() -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint whose seal verifies, and a sentence for each line that does not."""
    path = settings.AUDIT_CHECKPOINT_PATH
    if not path or not Path(path).exists():
        return [], []
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    previous_seq = 0
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                checkpoint = Checkpoint(int(line["seq"]), str(line["hash"]), str(line["at"]), str(line["key_id"]))
                mac = str(line["mac"])
            except (ValueError, KeyError, TypeError):
                problems.append(f"checkpoint line {number} cannot be read")
                continue
            try:
                expected = audit_mac(checkpoint.key_id, _signed_text(checkpoint.seq, checkpoint.hash, checkpoint.at))
            except KeyError:
                problems.append(f"checkpoint line {number} is sealed with key {checkpoint.key_id!r}, not in AUDIT_KEYS")
                continue
            if expected != mac:
                problems.append(f"checkpoint line {number} does not match its seal (the file was altered)")
                continue
            if checkpoint.seq < previous_seq:
                problems.append(f"checkpoint line {number} goes back to seq {checkpoint.seq} from {previous_seq}")
            previous_seq = max(previous_seq, checkpoint.seq)
            checkpoints.append(checkpoint)
    return checkpoints, problems


def _signed_text(seq: int, head_hash: str, at: str) -> bytes:
    return f"onward-audit-checkpoint|{seq}|{head_hash}|{at}".encode()
