"""Assisted interviews without a connection: what the browser needs to run a questionnaire's logic
offline (survey/static/offline/*.js), described by the same Python objects the server uses."""
