"""End-to-end browser tests of the 社保卡申领 journeys."""
