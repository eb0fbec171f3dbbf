"""Fieldwork: the register sample, letters and reminders, dispositions and response rates."""
