"""Plannen: neighbourhoods, the series of meetings in each, and one meeting in detail.

Left: the neighbourhoods and the selected one's series of meetings (follow-ups
marked). Right: the selected meeting's details, its agenda and its preparation.
Leaving a meeting with changes not saved yet (another meeting, another neighbourhood,
closing the window) asks first: save, do not save, or stay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates, templates
from wijkkit.errors import KitError
from wijkkit.filenames import safe_name
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import NEIGHBOURHOOD_KINDS, SESSION_STATUSES, Neighbourhood
from wijkkit.sessions import SessionAgenda

from ...a11y import heading_for
from ...bridge import KitBridge
from ...files import save_file_name
from ...models.records import RecordTableModel
from ...widgets import Page, muted
from .agenda_editor import AgendaEditor
from .dialogs import NeighbourhoodDialog, NewMeetingDialog
from .meeting_form import MeetingForm
from .preparation_tab import PreparationTab

ALL = Neighbourhood(id=None, name="")  # the first row: every meeting, also those without a neighbourhood


def _neighbourhood_label(n) -> str:
    if n is ALL:
        return _("All meetings")
    label = f"{n.name} ({gettext(NEIGHBOURHOOD_KINDS.get(n.kind, n.kind))})"
    return label + _(" – archived") if n.archived else label


def _series_label(s) -> str:
    mark = "↳ " if s.follows_session_id else ""
    status = gettext(SESSION_STATUSES.get(s.status, s.status))
    return f"{mark}{dates.short_date(s.starts_at)} · {status}\n{s.title}"


class _Scrolling(QScrollArea):
    """A tab that scrolls up and down on a low screen instead of making the window taller;
    as wide as its content needs, so nothing is cut off at the side."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(widgetResizable=True, frameShape=QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)  # no unnamed Tab stop: Tab goes to the controls inside
        self.setWidget(page)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(self.widget().minimumSizeHint().width() + bar, 120)


def _scrolling(page: QWidget) -> QScrollArea:
    return _Scrolling(page)


class PlanPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(_("Plan"), _("Neighbourhoods, their series of meetings, and each meeting's agenda and preparation."))
        self.kit, self.clock, self.session_id = kit, clock, None
        self._chosen_before: Neighbourhood | None = None
        self._held = self._returning = self._asking = self._refresh_after = False
        self._meeting_neighbourhood_id: str | None = None
        self.show_archived = QCheckBox(_("Show archived"))
        self.neighbourhoods = RecordTableModel(self._neighbourhoods, ((N_("Neighbourhood"), _neighbourhood_label),), self)
        self.series = RecordTableModel(self._series, ((N_("Meeting"), _series_label),), self)
        toolbar = QHBoxLayout()
        self.new_neighbourhood_button = QPushButton(_("New neighbourhood…"), clicked=self.new_neighbourhood)
        self.edit_neighbourhood_button = QPushButton(_("Edit…"), clicked=self.edit_neighbourhood)
        self.archive_button = QPushButton(_("Archive"), clicked=self.toggle_archived)
        self.new_meeting_button = QPushButton(_("New meeting…"), objectName="primary", clicked=self.new_meeting)
        self.templates_button = QPushButton(_("Templates…"), clicked=self.open_templates)
        toolbar.addStretch()
        toolbar.addWidget(self.templates_button)
        toolbar.addWidget(self.new_meeting_button)
        self.layout_.addLayout(toolbar)

        self.neighbourhood_view = QListView(objectName="neighbourhoods")
        self.neighbourhood_view.setModel(self.neighbourhoods)
        self.series_view = QListView(objectName="series")
        self.series_view.setModel(self.series)
        self.series_view.setWordWrap(True)
        self.series_view.setSpacing(2)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading_for(self.neighbourhood_view, _("Neighbourhoods")))
        column.addWidget(self.neighbourhood_view, 2)
        neighbourhood_buttons = QGridLayout()  # under the list, so the page stays narrow
        neighbourhood_buttons.addWidget(self.new_neighbourhood_button, 0, 0)
        neighbourhood_buttons.addWidget(self.edit_neighbourhood_button, 0, 1)
        neighbourhood_buttons.addWidget(self.archive_button, 1, 0)
        neighbourhood_buttons.addWidget(self.show_archived, 2, 0, 1, 2)
        column.addLayout(neighbourhood_buttons)
        column.addWidget(heading_for(self.series_view, _("Series of meetings")))
        column.addWidget(self.series_view, 3)

        self.tabs = QTabWidget(objectName="meetingTabs")
        self.details = MeetingForm(kit, with_status=True)
        self.save_button = QPushButton(_("Save details"), clicked=self.save_details)
        self.ics_button = QPushButton(_("Calendar file (.ics)…"), clicked=self.ask_ics)
        self.delete_button = QPushButton(_("Delete…"), clicked=self.ask_delete)
        self.delete_button.setToolTip(_("Delete a meeting planned by mistake. A meeting that was held is cancelled instead."))
        details_page = QWidget()
        details_column = QVBoxLayout(details_page)
        details_column.addWidget(self.details)
        details_column.addWidget(self.details.form.general)
        self.saved_note = muted("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.ics_button)
        buttons.addStretch()
        buttons.addWidget(self.delete_button)
        details_column.addLayout(buttons)
        self.saved_note.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # a long path cannot push
        details_column.addWidget(self.saved_note)
        details_column.addStretch()
        self.agenda_page = QWidget()
        self.agenda_column = QVBoxLayout(self.agenda_page)
        self.replace_button = QPushButton(_("Start again from a template…"), clicked=self.ask_replace_agenda)
        self.agenda_editor: AgendaEditor | None = None
        self.preparation = PreparationTab(kit, bridge, lambda: self.clock().date())
        self.tabs.addTab(_scrolling(details_page), _("Details"))
        self.tabs.addTab(self.agenda_page, _("Agenda"))
        self.tabs.addTab(_scrolling(self.preparation.invitations), _("Invitations"))
        self.tabs.addTab(self.preparation.materials, _("Materials"))
        self.empty = QLabel(_("Choose a meeting on the left, or plan a new one."), objectName="muted")

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.empty)
        right_column.addWidget(self.tabs, 1)
        splitter.addWidget(right)
        splitter.setSizes([300, 830])
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter, 1)

        self.show_archived.toggled.connect(lambda: self.neighbourhoods.refresh())
        self.neighbourhood_view.selectionModel().currentRowChanged.connect(lambda *_: self._neighbourhood_chosen())
        self.series_view.selectionModel().currentRowChanged.connect(lambda *_: self._session_chosen())
        self.neighbourhoods.modelReset.connect(self._after_neighbourhoods_reset)
        bridge.changed.connect(self._on_change)
        self.tabs.currentChanged.connect(self._agenda_left)
        self._after_neighbourhoods_reset()

    # -- loading -------------------------------------------------------------------

    def _neighbourhoods(self):
        return [ALL, *self.kit.neighbourhoods.list(include_archived=self.show_archived.isChecked())]

    def current_neighbourhood(self):
        index = self.neighbourhood_view.currentIndex()
        return self.neighbourhoods.record(index.row()) if index.isValid() else None

    def _series(self):
        chosen = self.current_neighbourhood() if hasattr(self, "neighbourhood_view") else None
        if chosen is None:
            return []
        return self.kit.sessions.list() if chosen is ALL else self.kit.sessions.list(chosen.id)

    def _after_neighbourhoods_reset(self) -> None:
        if not self.neighbourhood_view.currentIndex().isValid() and self._chosen_before is not None:
            self._select_neighbourhood_row(self._chosen_before.id)
        if not self.neighbourhood_view.currentIndex().isValid():
            # start on the first real neighbourhood, or on 'all meetings' when there is none
            row = 1 if self.neighbourhoods.rowCount() > 1 else 0
            self.neighbourhood_view.setCurrentIndex(self.neighbourhoods.index(row, 0))
        self._neighbourhood_chosen()

    def _neighbourhood_chosen(self) -> None:
        chosen = self.current_neighbourhood()
        if chosen is ALL:
            chosen = None
        self.edit_neighbourhood_button.setEnabled(chosen is not None)
        self.archive_button.setEnabled(chosen is not None)
        self.archive_button.setText(_("Restore") if chosen and chosen.archived else _("Archive"))
        self.series.refresh()
        self.select_session(self.session_id)

    def select_session(self, session_id: str | None) -> None:
        rows = [r for r in range(self.series.rowCount()) if self.series.record(r).id == session_id]
        if not rows and self.series.rowCount():
            rows = [self.series.rowCount() - 1]  # the latest meeting of the series
        if rows:
            self.series_view.setCurrentIndex(self.series.index(rows[0], 0))
        self._session_chosen()

    def _session_chosen(self) -> None:
        if self._held:
            return
        index = self.series_view.currentIndex()
        session = self.series.record(index.row()) if index.isValid() else None
        new_id = session.id if session else None
        if self.session_id and new_id != self.session_id and not self._returning and not self.may_leave_meeting():
            self._held = True  # stay: back to the meeting once the click that left it is done
            QTimer.singleShot(0, self._return_to_meeting)
            return
        keep = new_id is not None and new_id == self.session_id and self.details.changed()
        self.session_id = new_id
        self.tabs.setVisible(session is not None)
        self.empty.setVisible(session is None)
        if session is None:
            return
        self._meeting_neighbourhood_id = self.current_neighbourhood().id if self.current_neighbourhood() else None
        if not keep:  # a reload of the same meeting keeps what the planner is typing
            self.details.load_neighbourhoods(select=session.neighbourhood_id)
            self.details.show_session(session)
            self.saved_note.clear()
        if self.agenda_editor is not None:
            self.agenda_editor.commit_pending()
            self.agenda_editor.setParent(None)
            self.agenda_editor.deleteLater()
        self.agenda_editor = AgendaEditor(SessionAgenda(self.kit, session.id))
        self.agenda_column.addWidget(self.agenda_editor, 1)
        self.agenda_column.addWidget(self.replace_button, 0, Qt.AlignLeft)
        # Tab as the eye reads: the table, its buttons, then this one below them (a new editor
        # joins the focus chain after it, so it came first, before the table)
        QWidget.setTabOrder(self.agenda_editor.down_button, self.replace_button)
        self.preparation.load(session.id)

    def _return_to_meeting(self) -> None:
        self._held, self._returning = False, True
        try:
            chosen = self.current_neighbourhood()
            if (chosen.id if chosen else None) != self._meeting_neighbourhood_id:
                self._select_neighbourhood_row(self._meeting_neighbourhood_id)
            self.select_session(self.session_id)
        finally:
            self._returning = False

    def may_close(self) -> bool:
        """Asked by the main window before it closes."""
        return not self.session_id or self.may_leave_meeting()

    def may_leave_meeting(self) -> bool:
        """True when nothing of the meeting on show would be lost: no changes, or the planner
        saved or dropped them; False to stay (Cancel, or a change the core refuses)."""
        editor = self.agenda_editor
        agenda_ok = editor is None or editor.commit_pending()
        if agenda_ok and not self.details.changed():
            return True
        session = self.kit.sessions.get(self.session_id)
        box = QMessageBox(QMessageBox.Question, _("Save changes?"),
                          _("The meeting “{title}” has changes that are not saved yet.").format(title=session.title),
                          parent=self)  # fmt: skip
        save = box.addButton(_("Save"), QMessageBox.AcceptRole)
        discard = box.addButton(_("Don't save"), QMessageBox.DestructiveRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        self._asking = True
        try:
            box.exec()
            if box.clickedButton() is save:
                if self.details.changed() and not self._store_details():
                    self.tabs.setCurrentIndex(0)
                    return False
                if editor is not None and not editor.commit_pending():
                    self.tabs.setCurrentIndex(1)
                    return False
                return True
            if box.clickedButton() is discard:
                if editor is not None:
                    editor.discard_pending()
                self.details.show_session(session)
                return True
            return False
        finally:
            self._asking = False
            if self._refresh_after:
                self._refresh_after = False
                QTimer.singleShot(0, lambda: self._on_change({"session": set()}))

    def _agenda_left(self, index: int) -> None:
        """Leaving the agenda tab applies the step being edited; a refused edit stays in view."""
        if self.agenda_editor is not None and index != 1 and not self.agenda_editor.commit_pending():
            QTimer.singleShot(0, lambda: self.tabs.setCurrentIndex(1))

    def hideEvent(self, event) -> None:  # noqa: N802
        if self.agenda_editor is not None:
            self.agenda_editor.commit_pending()  # another page: keep the step being edited
        super().hideEvent(event)

    def _select_neighbourhood_row(self, neighbourhood_id: str | None) -> None:
        for row in range(self.neighbourhoods.rowCount()):
            if self.neighbourhoods.record(row).id == neighbourhood_id:
                self.neighbourhood_view.setCurrentIndex(self.neighbourhoods.index(row, 0))
                return

    def _on_change(self, changes: dict) -> None:
        if self._asking:  # saving while leaving a meeting: refresh once the choice is made
            self._refresh_after = True
            return
        if changes.keys() & {"neighbourhood", "session"}:
            self._chosen_before = self.current_neighbourhood()  # stay on it, also on 'all meetings'
            self.neighbourhoods.refresh()
            self._chosen_before = None
        elif "step" in changes and self.agenda_editor is not None:
            self.agenda_editor.model.refresh()

    # -- actions -------------------------------------------------------------------

    def new_neighbourhood(self) -> None:
        dialog = NeighbourhoodDialog(self.kit, parent=self)
        if dialog.exec():
            self._select_neighbourhood(dialog.neighbourhood_id)

    def _select_neighbourhood(self, neighbourhood_id: str | None) -> None:
        self.neighbourhoods.refresh()
        self._select_neighbourhood_row(neighbourhood_id)

    def edit_neighbourhood(self) -> None:
        chosen = self.current_neighbourhood()
        if chosen and chosen is not ALL and NeighbourhoodDialog(self.kit, chosen, parent=self).exec():
            self._select_neighbourhood(chosen.id)

    def toggle_archived(self) -> None:
        chosen = self.current_neighbourhood()
        if chosen and chosen is not ALL:
            self.kit.neighbourhoods.set_archived(chosen.id, not chosen.archived)

    def new_meeting(self) -> str | None:
        chosen = self.current_neighbourhood()
        dialog = NewMeetingDialog(self.kit, chosen.id if chosen else None, self.clock(), parent=self)
        if not dialog.exec():
            return None
        self.session_id = dialog.session_id
        self._select_neighbourhood(self.kit.sessions.get(dialog.session_id).neighbourhood_id)
        self.select_session(dialog.session_id)
        return dialog.session_id

    def open_templates(self) -> None:
        from .templates_dialog import TemplatesDialog

        TemplatesDialog(self.kit, self).exec()

    def save_details(self) -> bool:
        if not self._store_details():
            return False
        self.saved_note.setText(_("Saved."))
        self.select_session(self.session_id)
        return True

    def _store_details(self) -> bool:
        if not self.session_id:
            return False
        try:
            values = self.details.values()
            if not self._may_move(values):
                return False
            self.kit.sessions.edit(self.session_id, **values)
        except KitError as error:
            self.details.form.show_error(error)
            return False
        self.details.form.clear_errors()
        self.details.mark_saved()
        return True

    def _may_move(self, values: dict) -> bool:
        """A new date or time after invitations went out: ask first, and suggest a correction."""
        sent = self.kit.preparation.sent(self.session_id)
        if not sent or not self.kit.sessions.moves_time(self.session_id, values):
            return True
        text = _("Invitations for this meeting already went out ({channels}) with the old date and time. "
                 "Save the new time anyway? Then send a correction through the same channels.")  # fmt: skip
        answer = QMessageBox.question(self, _("Move the meeting"), text.format(channels=", ".join(i.label for i in sent)),
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # fmt: skip
        return answer == QMessageBox.Yes

    def ask_delete(self) -> None:
        """Delete a meeting planned by mistake, after a confirmation; a held one only says why not."""
        if not self.session_id:
            return
        session = self.kit.sessions.get(self.session_id)
        try:
            self.kit.sessions.check_deletable(session.id)
        except KitError as error:
            QMessageBox.information(self, _("Delete meeting"), error.localized())
            return
        title = session.title if len(session.title) <= 80 else session.title[:79] + "…"
        text = _("Delete the meeting “{title}” of {day}, with its agenda, invitations and checklist? "
                 "This cannot be undone.").format(title=title, day=dates.short_date(session.starts_at))  # fmt: skip
        if QMessageBox.question(self, _("Delete meeting"), text, QMessageBox.Yes | QMessageBox.No,
                                QMessageBox.No) == QMessageBox.Yes:  # fmt: skip
            self.kit.sessions.delete(session.id)
            self.session_id = None
            self.series.refresh()
            self.select_session(None)

    def ask_ics(self) -> None:
        session = self.kit.sessions.get(self.session_id)
        name = safe_name(session.title, _("meeting")) + ".ics"  # "Wijk 3: wat nu?" is no name on Windows
        path, _filter = save_file_name(self, _("Calendar file"), name, _("Calendar (*.ics)"))
        if path:
            self.write_ics(Path(path))

    def write_ics(self, path: Path) -> None:
        from wijkkit import ics

        session = self.kit.sessions.get(self.session_id)
        try:
            ics.write_meeting(session, self.kit.sessions.steps(session.id), path)
        except OSError as error:
            self.saved_note.setText(_("The file could not be written: {reason}").format(reason=error.strerror or error))
            return
        self.saved_note.setText(_("Saved as {path}.").format(path=path))

    def ask_replace_agenda(self) -> None:
        names = [t.name for t in templates.available(templates.own_dir(self.kit))]
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getItem(self, _("Start again from a template"), _("Template"), names, 0, False)
        if ok and QMessageBox.question(self, _("Start again from a template"),
                                       _("The current agenda is replaced. Continue?")) == QMessageBox.Yes:  # fmt: skip
            self.replace_agenda(name)

    def replace_agenda(self, template_name: str) -> None:
        template = next(t for t in templates.available(templates.own_dir(self.kit)) if t.name == template_name)
        self.kit.sessions.replace_agenda(self.session_id, template)
        self._session_chosen()
