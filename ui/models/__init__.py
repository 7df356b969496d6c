"""Qt item models that adapt the core's records to views; they hold ids plus a row cache."""
