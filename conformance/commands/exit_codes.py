"""The exit codes every ``vicicert`` command shares (the README's table; ``cli.py`` says what each means)."""

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING_CHECKED, EXIT_LOAD_GENERATOR, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
