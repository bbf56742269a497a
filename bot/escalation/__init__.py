"""Escalation to the DSL and the MASH: the lifecycle, delivery, re-pings, the directory and working days."""
