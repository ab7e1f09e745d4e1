"""A child's file: sessions, targets and reviews, dates and events, the profile,
restricted reading, what is due, and writing for the child."""
