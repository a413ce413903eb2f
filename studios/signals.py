"""Signals other apps listen to, so that the studio's life drives them without the studios app
importing them (funding creates R26 grants; certificates follow recognition).

``studio_transitioned`` is sent by the lifecycle transition service *inside* its transaction,
after the studio row has changed, with these keyword arguments:

- ``studio``: the Studio, already in its new state;
- ``action``: the lifecycle action, one of ``LifecycleAction`` values in ``studios.lifecycle``:
  ``recognise``, ``pass_next_year_rereview``, ``fail_next_year_rereview``, ``start_cycle_rereview``,
  ``pass_cycle_rereview``, ``order_rectification``, ``pass_rectification``, ``delist``,
  ``revoke``, ``rename``;
- ``from_status`` / ``to_status``: ``StudioStatus`` values;
- ``actor``: the user who acted (None for the system);
- ``star_awarded``: True when a cycle re-review passed with 创新活力之星 (R25, R26b);
- ``first_recognition``: True when the recognition being confirmed is the studio's first
  (R26a pays only then);
- ``cycle_number``: the studio's cycle number after the transition (0 before the first cycle);
- ``on``: the date the decision takes effect (Beijing date).

Receivers run in the same transaction: if a receiver raises, the whole transition rolls back.
"""

from django.dispatch import Signal

studio_transitioned = Signal()
