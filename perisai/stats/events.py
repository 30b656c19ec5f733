"""What the statistics app announces to its own background work (perisai.core.events).

The code that marks tallies or accepts an export request does not import the task queue; stats.tasks
subscribes and queues the work after commit. This keeps the dependency one-way: tasks → tallies, services.
"""

from __future__ import annotations

from perisai.core.events import DomainEvent

# Cases wait to be recounted: marked in this transaction (tallies.mark_changed), or a reader found more than it
# may fold itself.
recount_wanted = DomainEvent("recount_wanted", fields=())

# Someone asked for a case-list export; it is built in the background.
export_requested = DomainEvent("export_requested", fields=("export_id",))
