"""The Plannen page: meetings, their agenda and preparation."""
