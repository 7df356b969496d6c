"""Errors a user can cause, with a message fit for them.

Each error carries an English message template that is also a gettext msgid, so
the command line prints English and the app shows the Dutch translation of the
very same sentence. Nothing else in the core needs to know about languages.
"""

from __future__ import annotations

from wijkkit.i18n import N_, gettext


class Message:
    """A translatable sentence with its parameters, for use inside another error's message."""

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params

    def __str__(self) -> str:
        return self.template.format(**self.params)

    def localized(self) -> str:
        """In the user's language, and so is a Message among the parameters (a reason inside a reason)."""
        params = {k: v.localized() if isinstance(v, Message) else v for k, v in self.params.items()}
        return gettext(self.template).format(**params)


class KitError(Exception):
    """Base for every error that the user should see as a message, not a traceback."""

    template: str = N_("Something went wrong.")

    def __init__(self, template: str | None = None, **params: object) -> None:
        if template is not None:
            self.template = template
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        return self.template.format(**self.params)

    def localized(self) -> str:
        """The message in the user's language (Dutch by default)."""
        params = {
            k: v.localized() if isinstance(v, Message) else v for k, v in self.params.items()
        }
        return gettext(self.template).format(**params)


class DatabaseError(KitError):
    """The database file cannot be used; it was left as it was."""


class NotADatabaseError(DatabaseError):
    template = N_("The file {path} is not a Wijkkit database (it is not an SQLite file).")


class ReadOnlyDatabaseError(DatabaseError):
    template = N_("The database {path} cannot be written to. Check that the file and its folder are writable.")


class NewerSchemaError(DatabaseError):
    template = N_(
        "The database {path} was made by a newer version of Wijkkit (schema {found}, "
        "this version knows up to {known}). Install the newer version; the file was not changed."
    )


class StorageFullError(DatabaseError):
    template = N_("The disk is full: the change was not saved. Free some space and try again.")


class FileInUseError(KitError):
    """Another program (a PDF viewer, Excel) keeps holding a file Wijkkit saves over; it was left as it was."""

    template = N_("The file {path} is open in another program. Close it there and try again, or choose another name.")


class DatabaseLockedError(DatabaseError):
    template = N_("The database {path} is busy in another program. Close it there and try again.")


class ForeignDatabaseError(NotADatabaseError):
    template = N_("The file {path} is a database of another program, not a Wijkkit database. It was not changed.")


class StillReferencedError(KitError):
    template = N_("This {what} cannot be deleted: other items still refer to it.")


class ValidationError(KitError):
    """Input that does not make sense; nothing was saved."""

    def __init__(self, template: str, field: str | None = None, **params: object) -> None:
        self.field = field
        super().__init__(template, **params)


class NotFoundError(KitError):
    template = N_("{what} {id} does not exist (any more).")


class ImportFormatError(KitError):
    template = N_("The file {path} cannot be imported: {reason}")


class MissingKeyError(DatabaseError):
    template = N_(
        "The database {path} is encrypted and its key is not on this computer (or the file is not a Wijkkit "
        "database at all). Restore the key from the database's recovery sheet (wijkkit key restore). "
        "The file was not changed."
    )


class WrongKeyError(DatabaseError):
    template = N_(
        "The key found for {path} does not open it: the file is damaged, or it is not a Wijkkit database. "
        "The file was not changed."
    )


class PassphraseRequiredError(DatabaseError):
    template = N_(
        "The database {path} is protected with a passphrase and none was given. Type it when asked, or set "
        "WIJKKIT_PASSPHRASE. The file was not changed."
    )


class WrongPassphraseError(DatabaseError):
    template = N_("The passphrase for {path} is not right. The file was not changed.")


class RecoveryWordsError(KitError):
    template = N_("These are not the words of a recovery sheet: {reason}")
