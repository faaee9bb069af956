"""The malformed spec, world, SLO and expectation files are data for tests/test_malformed_inputs.py. Most
still declare ``vicicert: spec/1``, so the vicicert plugin would collect them: it must not."""

collect_ignore = ["spec", "world", "slo", "expectations"]
