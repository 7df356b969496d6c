"""Help > User guide (F1): the Dutch guide opens inside the app, without internet; its
links between chapters, its screenshots and its back button work by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from tests.ui.modal import answer_modal
from wijkkit import assets

from ui import guide as guide_module


def _images(browser) -> list[str]:
    names, block = [], browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def _open_guide(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key_F1)
    guide = window._guide
    qtbot.waitExposed(guide)
    return guide


def test_f1_opens_the_guide_in_dutch(window, qtbot):
    assert window.actions["guide"].text() == "&Handleiding"
    guide = _open_guide(window, qtbot)
    assert guide.isVisible()
    assert guide.browser.source().fileName() == "index.md"
    assert "Handleiding" in guide.browser.document().toPlainText()
    qtbot.keyClick(window, Qt.Key_F1)  # a second F1 raises the same window
    assert window._guide is guide


def test_every_chapter_shows_its_screenshots(window, qtbot):
    guide = _open_guide(window, qtbot)
    shown = 0
    for chapter in sorted(p.name for p in assets.guide_dir().glob("*.md")):
        guide.open_chapter(chapter)
        assert guide.browser.source().fileName() == chapter
        assert guide.browser.document().toPlainText().strip(), chapter
        for name in _images(guide.browser):
            url = guide.browser.source().resolved(QUrl(name))
            image = guide.browser.document().resource(QTextDocument.ImageResource, url)
            assert image is not None and not image.isNull(), f"{chapter}: {name}"
            shown += 1
    assert shown >= 8


def test_a_link_followed_by_keyboard_and_back_again(window, qtbot):
    guide = _open_guide(window, qtbot)
    guide.browser.setFocus()
    qtbot.keyClick(guide.browser, Qt.Key_Tab)  # the first link of the contents
    qtbot.keyClick(guide.browser, Qt.Key_Return)
    chapter = guide.browser.source().fileName()
    assert chapter.endswith(".md") and chapter != "index.md"
    assert guide.back.isEnabled()
    guide.back.trigger()
    assert guide.browser.source().fileName() == "index.md"
    guide.forward.trigger()
    assert guide.browser.source().fileName() == chapter
    guide.home.trigger()
    assert guide.browser.source().fileName() == "index.md"


def test_a_missing_guide_is_said_plainly(window, qtbot, monkeypatch):
    monkeypatch.setattr(guide_module.assets, "guide_dir", lambda: None)
    messages = []

    def read(box):
        messages.append(box.text())
        box.accept()

    answer_modal(lambda: window.actions["guide"].trigger(), read)
    assert "handleiding" in messages[0].lower()
    assert getattr(window, "_guide", None) is None
