"""One turn, whatever the channel: load the conversation, run the pure engine, carry out its
effects, save once, deliver the replies.

runner.py (the turn), effects.py (records, escalations), outbox.py (replies kept with the state),
delivery.py (sending them, retries), runtime.py (building all of it with its collaborators).
"""
