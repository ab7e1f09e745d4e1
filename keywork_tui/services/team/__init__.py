"""The team: staff, key-worker allocation, absence and cover, supervision, the
manager's workspace, and signing in."""
