"""Assisted interviews: outreach workers run a questionnaire with a respondent, bilingually."""
