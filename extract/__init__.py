"""Extraction: plan files → Document → PlanDocument → Record (see DESIGN.md)."""
