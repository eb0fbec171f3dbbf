"""The researcher area: fieldwork dates, response counts, code batches, exports and the audit log."""
