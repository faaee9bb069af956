"""vicicert's engine: specs, worlds, the checker, the pytest plugin, the reports and the reference host."""
