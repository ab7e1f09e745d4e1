"""The command line's exit codes (listed in the README), shared by every command."""

EXIT_USAGE = 2  # bad input: a wrong argument, file or value
EXIT_SCHEMA_TOO_NEW = 3
EXIT_UNHEALTHY = 4
EXIT_BUG = 70
