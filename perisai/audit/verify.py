"""Recompute the audit chain and name the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from perisai.audit import chain
from perisai.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # seq of the first event that does not verify
    problem: str = ""
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    expected_seq = 1
    prev_hash = chain.GENESIS
    checked = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"kejadian #{expected_seq} hilang (berikutnya #{event.seq})")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, f"kejadian #{event.seq} tidak menyambung ke kejadian sebelumnya")
        if chain.event_hash(event) != event.hash:
            return ChainReport(checked, event.seq, f"kejadian #{event.seq} ({event.public_id}) telah diubah")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq, head.hash) != (checked, prev_hash if checked else head.hash):
        return ChainReport(checked, checked + 1, f"kejadian setelah #{checked} hilang (kepala rantai #{head.seq})")
    return ChainReport(checked, head_hash=prev_hash)
