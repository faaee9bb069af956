"""Independent oracles: what a correct host must print, computed without the host's code."""
