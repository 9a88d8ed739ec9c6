"""申请信息 written by hand on the product's stack: the yardstick `python -m tests.bench sidebyside` measures the
engine against. Not part of the product."""
