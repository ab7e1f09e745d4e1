"""The handover between shifts: who is on, what each child's entry says, who read it."""
