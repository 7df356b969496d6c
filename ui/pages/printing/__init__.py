"""The Uitdraaien page: every handout, previewed, printed or saved."""
