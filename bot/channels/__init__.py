"""Channels: where practitioners' messages come from and replies go (Teams, the terminal)."""
