"""The same flowchart written the way the Bot Framework samples teach, as a benchmark baseline."""
