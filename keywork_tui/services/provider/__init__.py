"""A provider's view across its homes: read only, every home at once."""
