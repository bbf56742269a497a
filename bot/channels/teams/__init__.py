"""Microsoft Teams through the Bot Framework SDK: activities in, Adaptive Cards and proactive messages out."""
