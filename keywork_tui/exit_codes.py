"""The command line's exit codes (listed in the README), shared by every command."""

EXIT_USAGE = 2  # bad input: a wrong argument, file or value
EXIT_SCHEMA_TOO_NEW = 3
EXIT_UNHEALTHY = 4  # `check`: integrity or foreign-key problems
# `check`, `backup` and `restore` on a file that cannot be read as a database.
EXIT_CORRUPT = 5
EXIT_TRUNCATED = 6
EXIT_NOT_A_DATABASE = 7
EXIT_INCOMPLETE = 8  # a keywork table is missing
EXIT_LOCKED = 9
EXIT_TAMPERED = 10  # a record or audit event differs from the audit chain
EXIT_BUG = 70
