"""``make bench``: the portal measured under load on PostgreSQL (issue #8).

How to run it and read it: docs/performance.md."""
