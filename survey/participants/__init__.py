"""Participant codes: issued in batches, redeemed once per wave, linking waves, allowing withdrawal."""
