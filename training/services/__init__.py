"""Writes for training, one module per area: practice accounts, cohorts, exercises, the simulated engineer."""
