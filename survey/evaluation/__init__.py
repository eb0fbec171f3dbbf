"""The study's evaluation: indicators, weights, estimates, safe tables and reports."""
