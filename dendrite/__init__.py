"""Dendrite: an open-source practice platform for ketamine infusion clinics."""
