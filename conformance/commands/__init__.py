"""The ``vicicert`` commands, one module each: its parser (``add_command``) and what it runs.
``cli.py`` puts them under one program and turns their errors into exit codes."""
