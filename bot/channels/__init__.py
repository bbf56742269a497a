"""Channels: where practitioners' messages come from and replies go (Teams, the terminal).

reference.py is the seam: where a conversation is (ConversationRef) and how ShareSafe writes first
(Messenger). text.py renders replies for channels without cards. A channel is one folder or module.
"""
