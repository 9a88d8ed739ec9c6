"""Performance figures for the product: `make bench` (python -m tests.bench from the project root).

Not a test: it prints medians and p99s against targets and never fails on timing. It exits non-zero only when
the product cannot be driven far enough to measure (e.g. the walk to the 申请信息 page breaks).
The sections, one module each, are listed in __main__.py; `python -m tests.bench uploads photo` runs some.
"""
