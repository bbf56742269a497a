"""One turn: load the conversation, run the pure engine, carry out its effects, save."""
