"""Channels: where practitioners' messages come from and replies go (Teams on Bot Framework, the
Microsoft 365 Agents SDK, the terminal).

reference.py is the seam: where a conversation is (ConversationRef) and how ShareSafe writes first
(Messenger); proactive.py is the send/update/failure handling the SDK channels' messengers share.
activity.py reads and writes activities as plain JSON, and bot.py is the turn logic on top of it,
so each SDK channel (teams/, agents/) is a thin adapter. text.py renders replies for channels
without cards. A channel is one folder or module.
"""
