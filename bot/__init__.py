"""Talking: channel adapters, dialogues, rendering and translations."""
