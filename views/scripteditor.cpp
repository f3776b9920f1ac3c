// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/scripteditor.h"

#include <views/pythonhighlighter.h>

#include <QAction>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStyle>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolTip>
#include <QVBoxLayout>
#include <QVariantAnimation>
#include <QWheelEvent>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace loopscope::views {

namespace {

constexpr int kIndent = 4;      // spaces per indentation level
constexpr int kMinDigits = 2;   // the gutter has room for at least 99 lines
constexpr int kGutterLeft = 3;  // gutter: | left | markers | gap | digits | right |
constexpr int kGutterGap = 4;
constexpr int kGutterRight = 6;
constexpr int kFlashMs = 1400;  // revealLine's flash: held, then fading
constexpr int kSizeHintColumns = 80;
constexpr int kSizeHintLines = 25;

QColor mix(const QColor& a, const QColor& b, qreal t)
{
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

int digitCount(int n)
{
  int digits = 1;
  while (n >= 10) {
    n /= 10;
    ++digits;
  }
  return digits;
}

// Leading blanks of `text`, in characters.
int leadingBlanks(QStringView text)
{
  int i = 0;
  while (i < text.size() && (text[i] == u' ' || text[i] == u'\t')) {
    ++i;
  }
  return static_cast<int>(i);
}

// The display column of index `index` of `text`, tabs counting to the next multiple of kIndent.
int visualColumn(QStringView text, int index)
{
  int column = 0;
  for (int i = 0; i < index && i < text.size(); ++i) {
    column = text[i] == u'\t' ? (column / kIndent + 1) * kIndent : column + 1;
  }
  return column;
}

// `line` without its comment (a '#' outside quotes on this line).
QStringView withoutComment(QStringView line)
{
  QChar quote;
  for (qsizetype i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (!quote.isNull()) {
      if (c == u'\\') {
        ++i;
      } else if (c == quote) {
        quote = QChar();
      }
    } else if (c == u'\'' || c == u'"') {
      quote = c;
    } else if (c == u'#') {
      return line.left(i);
    }
  }
  return line;
}

// The statement is return, pass, raise, break or continue: the next line leaves the block.
bool endsBlock(QStringView code)
{
  for (const QStringView word :
       {QStringView(u"return"), QStringView(u"pass"), QStringView(u"raise"), QStringView(u"break"),
        QStringView(u"continue")}) {
    if (code.startsWith(word) &&
        (code.size() == word.size() || !(code[word.size()].isLetterOrNumber() ||
                                         code[word.size()] == u'_' || code[word.size()] == u'.'))) {
      return true;
    }
  }
  return false;
}

// The blocks a cursor's selection touches (a selection ending at the start of a line leaves
// that line out), or the cursor's block.
std::pair<QTextBlock, QTextBlock> touchedBlocks(const QTextCursor& cursor)
{
  QTextDocument* doc = cursor.document();
  const QTextBlock first = doc->findBlock(cursor.selectionStart());
  QTextBlock last = doc->findBlock(cursor.selectionEnd());
  if (cursor.hasSelection() && last != first && cursor.selectionEnd() == last.position()) {
    last = last.previous();
  }
  return {first, last};
}

// Enter: a new line indented like this one, one level deeper after ':', one level shallower
// after a statement that leaves the block.
void newlineWithIndent(QPlainTextEdit* edit)
{
  QTextCursor c = edit->textCursor();
  c.beginEditBlock();
  c.removeSelectedText();
  const QString line = c.block().text();
  const int column = c.positionInBlock();
  const QStringView before = QStringView(line).left(column);
  const int blanks = std::min(leadingBlanks(line), column);
  int indent = visualColumn(line, blanks);
  const QStringView code = withoutComment(before).trimmed();
  if (code.endsWith(u':')) {
    indent += kIndent;
  } else if (endsBlock(code)) {
    indent = std::max(0, indent - kIndent);
  }
  // The text after the cursor moves to the new line without its own leading blanks.
  const int after = leadingBlanks(QStringView(line).mid(column));
  for (int k = 0; k < after; ++k) {
    c.deleteChar();
  }
  // A line of blanks only keeps none.
  if (blanks == column && column > 0) {
    c.movePosition(QTextCursor::StartOfBlock, QTextCursor::KeepAnchor);
    c.removeSelectedText();
  }
  c.insertText(QLatin1Char('\n') + QString(indent, u' '));
  c.endEditBlock();
  edit->setTextCursor(c);
  edit->ensureCursorVisible();
}

// Tab without a selection: spaces up to the next multiple of kIndent.
void insertSoftTab(QPlainTextEdit* edit)
{
  QTextCursor c = edit->textCursor();
  const int column = visualColumn(c.block().text(), c.positionInBlock());
  c.insertText(QString(kIndent - column % kIndent, u' '));
  edit->setTextCursor(c);
}

// Tab / Shift+Tab: every touched non-empty line one level deeper / shallower.
void shiftLines(QPlainTextEdit* edit, bool deeper)
{
  QTextCursor c = edit->textCursor();
  const auto [first, last] = touchedBlocks(c);
  const QString indent(kIndent, u' ');
  c.beginEditBlock();
  for (QTextBlock b = first; b.isValid(); b = b.next()) {
    const QString text = b.text();
    QTextCursor at(b);
    if (deeper) {
      if (!text.trimmed().isEmpty()) {
        at.insertText(indent);
      }
    } else {
      int remove = 0;
      if (text.startsWith(u'\t')) {
        remove = 1;
      } else {
        while (remove < kIndent && remove < text.size() && text[remove] == u' ') {
          ++remove;
        }
      }
      at.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor, remove);
      at.removeSelectedText();
    }
    if (b == last) {
      break;
    }
  }
  c.endEditBlock();
}

// Ctrl+/: comments the touched lines out ("# " at their smallest indentation) unless every
// non-blank one is a comment already, then takes the comment marks out.
void toggleComment(QPlainTextEdit* edit)
{
  QTextCursor c = edit->textCursor();
  const auto [first, last] = touchedBlocks(c);
  bool allComments = true;
  bool any = false;
  int minIndent = std::numeric_limits<int>::max();
  for (QTextBlock b = first; b.isValid(); b = b.next()) {
    const QString text = b.text();
    const int blanks = leadingBlanks(text);
    if (blanks < text.size()) {
      any = true;
      allComments = allComments && text[blanks] == u'#';
      minIndent = std::min(minIndent, blanks);
    }
    if (b == last) {
      break;
    }
  }
  if (!any) {
    return;
  }
  c.beginEditBlock();
  for (QTextBlock b = first; b.isValid(); b = b.next()) {
    const QString text = b.text();
    const int blanks = leadingBlanks(text);
    if (blanks < text.size()) {
      QTextCursor at(b);
      if (allComments) {
        const bool space = blanks + 1 < text.size() && text[blanks + 1] == u' ';
        at.setPosition(b.position() + blanks);
        at.setPosition(b.position() + blanks + (space ? 2 : 1), QTextCursor::KeepAnchor);
        at.removeSelectedText();
      } else {
        at.setPosition(b.position() + minIndent);
        at.insertText(QStringLiteral("# "));
      }
    }
    if (b == last) {
      break;
    }
  }
  c.endEditBlock();
}

// Backspace in a line's indentation: back to the previous multiple of kIndent. False when it
// does not apply (a selection, or text before the cursor).
bool softBackspace(QPlainTextEdit* edit)
{
  QTextCursor c = edit->textCursor();
  if (c.hasSelection()) {
    return false;
  }
  const QString text = c.block().text();
  const int column = c.positionInBlock();
  if (column == 0 || leadingBlanks(text) < column || text.left(column).contains(u'\t')) {
    return false;
  }
  const int remove = column % kIndent == 0 ? kIndent : column % kIndent;
  c.movePosition(QTextCursor::PreviousCharacter, QTextCursor::KeepAnchor, remove);
  c.removeSelectedText();
  return true;
}

// A key that would change the text.
bool isEditingKey(const QKeyEvent* e)
{
  switch (e->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Backspace:
    case Qt::Key_Delete:
    case Qt::Key_Tab:
    case Qt::Key_Backtab:
      return true;
    default:
      break;
  }
  if (e->matches(QKeySequence::Paste) || e->matches(QKeySequence::Cut) ||
      e->matches(QKeySequence::Undo) || e->matches(QKeySequence::Redo)) {
    return true;
  }
  if (e->key() == Qt::Key_Slash && (e->modifiers() & Qt::ControlModifier) != 0) {
    return true;
  }
  const QString text = e->text();
  return !text.isEmpty() && text[0].isPrint() &&
         (e->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) == 0;
}

QString taskRow(const SuspendedTask& t)
{
  const QString name = t.name.isEmpty() ? QStringLiteral("task #%1").arg(t.taskId) : t.name;
  return t.state.isEmpty() ? name : name + QStringLiteral(" \u2014 ") + t.state;
}

}  // namespace

// --- The text area ---

class ScriptEditor::Edit : public QPlainTextEdit
{
public:
  explicit Edit(ScriptEditor* owner) : QPlainTextEdit(owner), m_owner(owner) {}

  // The gutter follows the text's geometry.
  [[nodiscard]] QTextBlock firstVisible() const { return firstVisibleBlock(); }
  [[nodiscard]] QRectF geometryOf(const QTextBlock& block) const
  {
    return blockBoundingGeometry(block).translated(contentOffset());
  }
  [[nodiscard]] qreal heightOf(const QTextBlock& block) const
  {
    return blockBoundingRect(block).height();
  }
  void setGutterWidth(int width)
  {
    if (viewportMargins().left() != width) {
      setViewportMargins(width, 0, 0, 0);
    }
  }
  void wheelFromGutter(QWheelEvent* e) { wheelEvent(e); }
  // Whether `line` (1-based) is wholly in the viewport; and how many lines are.
  [[nodiscard]] int visibleLines() const
  {
    const QTextBlock first = document()->firstBlock();
    const qreal h = std::max<qreal>(1, heightOf(first));
    return std::max(1, static_cast<int>(viewport()->height() / h));
  }
  [[nodiscard]] bool isLineVisible(int line) const
  {
    const int top = verticalScrollBar()->value();
    return line - 1 >= top && line - 1 < top + visibleLines();
  }
  void centreOn(int line) { verticalScrollBar()->setValue(line - 1 - visibleLines() / 2); }
  void leave(bool next) { QWidget::focusNextPrevChild(next); }

protected:
  void keyPressEvent(QKeyEvent* e) override;
  void mouseDoubleClickEvent(QMouseEvent* e) override
  {
    QPlainTextEdit::mouseDoubleClickEvent(e);
    if (e->button() == Qt::LeftButton) {
      emit m_owner->lineActivated(cursorForPosition(e->position().toPoint()).blockNumber() + 1);
    }
  }
  void resizeEvent(QResizeEvent* e) override
  {
    QPlainTextEdit::resizeEvent(e);
    m_owner->updateGutterWidth();
  }
  void changeEvent(QEvent* e) override
  {
    QPlainTextEdit::changeEvent(e);
    if (e->type() == QEvent::PaletteChange) {
      m_owner->applyPalette();
    } else if (e->type() == QEvent::FontChange) {
      m_owner->applyFont();
    }
  }
  bool viewportEvent(QEvent* e) override
  {
    if (e->type() == QEvent::ToolTip) {
      const auto* help = static_cast<QHelpEvent*>(e);
      const QTextBlock block = cursorForPosition(help->pos()).block();
      const QRectF r = geometryOf(block);
      const int line =
          r.top() <= help->pos().y() && help->pos().y() < r.bottom() ? block.blockNumber() + 1 : -1;
      m_owner->showLineTooltip(line, help->globalPos(), viewport());
      return true;
    }
    return QPlainTextEdit::viewportEvent(e);
  }
  void contextMenuEvent(QContextMenuEvent* e) override;

private:
  ScriptEditor* m_owner;
};

void ScriptEditor::Edit::keyPressEvent(QKeyEvent* e)
{
  const Qt::KeyboardModifiers mods = e->modifiers() & ~Qt::KeypadModifier;
  const int key = e->key();
  const bool enter = key == Qt::Key_Return || key == Qt::Key_Enter;
  const bool tab = key == Qt::Key_Tab || key == Qt::Key_Backtab;

  // Reading and navigation, also while read-only.
  if (key == Qt::Key_F8 && (mods & ~Qt::ShiftModifier) == 0) {
    m_owner->gotoMarker((mods & Qt::ShiftModifier) != 0 ? -1 : 1);
    return;
  }
  if (enter && mods == Qt::ControlModifier) {
    emit m_owner->lineActivated(textCursor().blockNumber() + 1);
    return;
  }
  if (tab && ((mods & Qt::ControlModifier) != 0 || isReadOnly())) {
    leave(key == Qt::Key_Tab && (mods & Qt::ShiftModifier) == 0);
    return;
  }
  if (isReadOnly()) {
    if (isEditingKey(e)) {
      QToolTip::showText(viewport()->mapToGlobal(cursorRect().bottomLeft()),
                         tr("Read-only while the script runs"), viewport());
      return;
    }
    QPlainTextEdit::keyPressEvent(e);
    return;
  }

  if (enter && (mods & ~Qt::ShiftModifier) == 0) {
    newlineWithIndent(this);
    return;
  }
  if (key == Qt::Key_Tab && mods == Qt::NoModifier) {
    if (textCursor().hasSelection()) {
      shiftLines(this, true);
    } else {
      insertSoftTab(this);
    }
    return;
  }
  if (key == Qt::Key_Backtab || (key == Qt::Key_Tab && mods == Qt::ShiftModifier)) {
    shiftLines(this, false);
    return;
  }
  if (key == Qt::Key_Backspace && mods == Qt::NoModifier && softBackspace(this)) {
    return;
  }
  if (key == Qt::Key_Slash && (mods & Qt::ControlModifier) != 0) {
    toggleComment(this);
    return;
  }
  QPlainTextEdit::keyPressEvent(e);
}

void ScriptEditor::Edit::contextMenuEvent(QContextMenuEvent* e)
{
  QMenu* menu = createStandardContextMenu(e->pos());
  menu->addSeparator();
  const bool editable = !isReadOnly();
  const auto add = [&](const QString& text, bool enabled, auto slot) {
    QAction* a = menu->addAction(text);
    a->setEnabled(enabled);
    connect(a, &QAction::triggered, this, slot);
  };
  add(tr("Indent\tTab"), editable, [this] { shiftLines(this, true); });
  add(tr("Dedent\tShift+Tab"), editable, [this] { shiftLines(this, false); });
  add(tr("Toggle Comment\tCtrl+/"), editable, [this] { toggleComment(this); });
  menu->addSeparator();
  const bool markers = !m_owner->markerLines().isEmpty();
  add(tr("Next Suspended Task\tF8"), markers, [this] { m_owner->gotoMarker(1); });
  add(tr("Previous Suspended Task\tShift+F8"), markers, [this] { m_owner->gotoMarker(-1); });
  menu->exec(e->globalPos());
  delete menu;
}

// --- The gutter ---

class ScriptEditor::Gutter : public QWidget
{
public:
  Gutter(ScriptEditor* owner, Edit* edit) : QWidget(edit), m_owner(owner), m_edit(edit)
  {
    setMouseTracking(true);
    setObjectName(QStringLiteral("scriptGutter"));
    setAccessibleName(tr("Line numbers and task markers"));
  }

  // Sizes from the text's font.
  void setMetrics(const QFont& font)
  {
    setFont(font);
    m_bold = font;
    m_bold.setBold(true);
    const QFontMetrics fm(font);
    m_digit = fm.horizontalAdvance(QLatin1Char('9'));
    m_diameter = std::max(9, fm.height() - 1);
    m_count = font;
    m_count.setBold(true);
    m_count.setPixelSize(std::max(7, m_diameter * 4 / 5));
    m_markerColumn =
        std::max(m_diameter, QFontMetrics(m_count).horizontalAdvance(QStringLiteral("99")) + 4);
  }

  [[nodiscard]] int widthFor(int lines) const
  {
    return kGutterLeft + m_markerColumn + kGutterGap +
           std::max(kMinDigits, digitCount(lines)) * m_digit + kGutterRight;
  }
  [[nodiscard]] QSize sizeHint() const override
  {
    return {widthFor(m_edit->document()->blockCount()), 0};
  }

protected:
  void paintEvent(QPaintEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override
  {
    const int line = lineAt(e->position().toPoint().y());
    if (e->button() != Qt::LeftButton || line < 1) {
      return;
    }
    if (const LineMarker* m = m_owner->markerAt(line)) {
      emit m_owner->taskClicked(m->firstTask);
      return;
    }
    QTextCursor c(m_edit->document()->findBlockByNumber(line - 1));
    m_edit->setTextCursor(c);
    m_edit->setFocus(Qt::MouseFocusReason);
  }
  void mouseDoubleClickEvent(QMouseEvent* e) override
  {
    const int line = lineAt(e->position().toPoint().y());
    if (e->button() == Qt::LeftButton && line >= 1) {
      emit m_owner->lineActivated(line);
    }
  }
  void mouseMoveEvent(QMouseEvent* e) override
  {
    const bool marker = m_owner->markerAt(lineAt(e->position().toPoint().y())) != nullptr;
    if (marker != m_pointing) {
      m_pointing = marker;
      setCursor(marker ? Qt::PointingHandCursor : Qt::ArrowCursor);
    }
  }
  void wheelEvent(QWheelEvent* e) override { m_edit->wheelFromGutter(e); }
  bool event(QEvent* e) override
  {
    if (e->type() == QEvent::ToolTip) {
      const auto* help = static_cast<QHelpEvent*>(e);
      const int line = lineAt(help->pos().y());
      QString text = m_owner->tooltipForLine(line);
      if (const LineMarker* m = m_owner->markerAt(line)) {
        text += tr("\n\nClick to select %1.").arg(firstName(*m));
      } else if (line >= 1 && text.isEmpty()) {
        text = tr("Line %1").arg(line);
      }
      if (text.isEmpty()) {
        QToolTip::hideText();
      } else {
        QToolTip::showText(help->globalPos(), Qt::convertFromPlainText(text, Qt::WhiteSpaceNoWrap),
                           this);
      }
      return true;
    }
    return QWidget::event(e);
  }

private:
  [[nodiscard]] QString firstName(const LineMarker& m) const
  {
    for (const SuspendedTask& t : m_owner->m_tasks) {
      if (t.taskId == m.firstTask) {
        return t.name.isEmpty() ? QStringLiteral("task #%1").arg(t.taskId) : t.name;
      }
    }
    return {};
  }
  // The 1-based line at gutter height `y`, or -1.
  [[nodiscard]] int lineAt(int y) const
  {
    QTextBlock block = m_edit->firstVisible();
    qreal top = block.isValid() ? m_edit->geometryOf(block).top() : 0;
    while (block.isValid() && top <= y) {
      const qreal bottom = top + m_edit->heightOf(block);
      if (block.isVisible() && y < bottom) {
        return block.blockNumber() + 1;
      }
      block = block.next();
      top = bottom;
    }
    return -1;
  }
  // The text of line number `line`, made once.
  const QString& numberText(int line)
  {
    while (m_numbers.size() < line) {
      m_numbers.append(QString::number(m_numbers.size() + 1));
    }
    return m_numbers[line - 1];
  }

  ScriptEditor* m_owner;
  Edit* m_edit;
  QFont m_bold;
  QFont m_count;
  int m_digit = 8;
  int m_diameter = 10;
  int m_markerColumn = 12;
  bool m_pointing = false;
  QVector<QString> m_numbers;
};

void ScriptEditor::Gutter::paintEvent(QPaintEvent* e)
{
  const Colours& colours = m_owner->m_colours;
  QPainter p(this);
  p.fillRect(e->rect(), colours.gutter);
  p.setPen(mix(colours.gutter, colours.lineNumber, 0.35));
  p.drawLine(width() - 1, e->rect().top(), width() - 1, e->rect().bottom());

  QTextBlock block = m_edit->firstVisible();
  if (!block.isValid()) {
    return;
  }
  const int current = m_edit->textCursor().blockNumber() + 1;
  const int error = m_owner->errorLine();
  const QVector<LineMarker>& markers = m_owner->m_markers;
  auto marker = std::lower_bound(markers.begin(), markers.end(), block.blockNumber() + 1,
                                 [](const LineMarker& m, int line) { return m.line < line; });
  const int numbersLeft = kGutterLeft + m_markerColumn + kGutterGap;
  const int numbersWidth = width() - numbersLeft - kGutterRight;
  const QFont& normal = font();
  bool bold = false;
  p.setFont(normal);

  qreal top = m_edit->geometryOf(block).top();
  while (block.isValid() && top <= e->rect().bottom()) {
    const qreal height = m_edit->heightOf(block);
    const int line = block.blockNumber() + 1;
    if (block.isVisible() && top + height >= e->rect().top()) {
      const QRectF row(0, top, width(), height);
      // The line number; the error line's in a red box.
      const QRectF number(numbersLeft, top, numbersWidth, height);
      const bool isCurrent = line == current;
      if (line == error) {
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(colours.error);
        p.drawRoundedRect(number.adjusted(-kGutterGap + 1, 1, kGutterRight - 2, -1), 3, 3);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(colours.errorText);
      } else {
        p.setPen(isCurrent ? colours.currentLineNumber : colours.lineNumber);
      }
      const bool wantBold = isCurrent || line == error;
      if (wantBold != bold) {
        p.setFont(wantBold ? m_bold : normal);
        bold = wantBold;
      }
      p.drawText(number, Qt::AlignRight | Qt::AlignVCenter, numberText(line));

      while (marker != markers.end() && marker->line < line) {
        ++marker;
      }
      if (marker != markers.end() && marker->line == line) {
        const qreal cy = row.center().y();
        const qreal cx = kGutterLeft + m_markerColumn / 2.0;
        const qreal d = std::min<qreal>(m_diameter, height - 1);
        qreal w = d;
        if (!marker->countText.isEmpty()) {
          p.setFont(m_count);
          bold = true;  // a font to reset
          w = std::max<qreal>(d, p.fontMetrics().horizontalAdvance(marker->countText) + 4);
        }
        const QRectF pill(cx - w / 2, cy - d / 2, w, d);
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(colours.marker);
        p.drawRoundedRect(pill, d / 2, d / 2);
        if (marker->selected) {
          // A ring on the edge, inside the row, so that neighbouring markers stay apart.
          p.setPen(QPen(colours.markerRing, 1.5));
          p.setBrush(Qt::NoBrush);
          p.drawRoundedRect(pill.adjusted(0.75, 0.75, -0.75, -0.75), d / 2 - 0.75, d / 2 - 0.75);
        }
        p.setRenderHint(QPainter::Antialiasing, false);
        if (!marker->countText.isEmpty()) {
          p.setPen(colours.markerText);
          p.drawText(pill, Qt::AlignCenter, marker->countText);
        }
      }
    }
    block = block.next();
    top += height;
  }
}

// --- ScriptEditor ---

ScriptEditor::ScriptEditor(QWidget* parent)
    : QWidget(parent)
    , m_edit(new Edit(this))
    , m_flash(new QVariantAnimation(this))
{
  m_gutter = new Gutter(this, m_edit);
  m_highlighter = new PythonHighlighter(m_edit->document());

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_edit);
  setFocusProxy(m_edit);

  m_edit->setObjectName(QStringLiteral("scriptText"));
  m_edit->setAccessibleName(tr("Script"));
  m_edit->setWhatsThis(
      tr("The script. Enter keeps the indentation, Tab / Shift+Tab indent / dedent the selected "
         "lines, Ctrl+/ comments them out or in. F8 / Shift+F8: next / previous line where tasks "
         "are suspended. Ctrl+Enter activates the line. Ctrl+Tab leaves the editor."));
  m_edit->setPlaceholderText(tr("Open a Python asyncio script to see it here."));
  m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_edit->setWordWrapMode(QTextOption::NoWrap);
  m_edit->setTabChangesFocus(false);
  m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

  m_flash->setDuration(kFlashMs);
  m_flash->setStartValue(1.0);
  m_flash->setKeyValueAt(0.4, 1.0);
  m_flash->setEndValue(0.0);
  connect(m_flash, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
    m_flashStrength = v.toReal();
    updateExtraSelections();
  });
  connect(m_flash, &QVariantAnimation::finished, this, [this] {
    m_flashLine = -1;
    updateExtraSelections();
  });

  QTextDocument* doc = m_edit->document();
  connect(doc, &QTextDocument::modificationChanged, this, [this](bool modified) {
    if (!m_loading) {
      reportModified(modified);
    }
  });
  connect(doc, &QTextDocument::blockCountChanged, this, [this] {
    updateGutterWidth();
    m_gutter->update();
  });
  connect(m_edit, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
    if (dy != 0) {
      m_gutter->scroll(0, dy);
    } else {
      m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    }
  });
  connect(m_edit, &QPlainTextEdit::cursorPositionChanged, this, [this] {
    updateExtraSelections();
    m_gutter->update();
  });

  applyFont();
  applyPalette();
}

ScriptEditor::~ScriptEditor()
{
  // The text area goes with QWidget's destructor, after this one: nothing of it may call back.
  m_flash->stop();
  m_edit->document()->disconnect(this);
  m_edit->disconnect(this);
}

void ScriptEditor::applyPalette()
{
  const QPalette palette = m_edit->palette();
  const QColor base = palette.color(QPalette::Base);
  const QColor text = palette.color(QPalette::Text);
  const bool dark = base.lightness() < 128;
  Colours& c = m_colours;
  c.gutter = mix(base, text, dark ? 0.06 : 0.04);
  c.lineNumber = mix(base, text, 0.5);
  c.currentLineNumber = text;
  c.currentLine = mix(base, text, dark ? 0.08 : 0.05);
  // Okabe-Ito blue (sky blue on dark), as the timeline's colours, readable for colour-blind users.
  c.marker = dark ? QColor(0x56, 0xB4, 0xE9) : QColor(0x00, 0x72, 0xB2);
  c.markerText = dark ? QColor(0x0B, 0x1A, 0x26) : QColor(Qt::white);
  c.markerRing = text;
  c.selectedBand = mix(base, c.marker, dark ? 0.35 : 0.22);
  c.flash = mix(base, QColor(0xE6, 0x9F, 0x00), dark ? 0.35 : 0.4);
  c.error = dark ? QColor(0xF1, 0x4C, 0x4C) : QColor(0xD3, 0x2F, 0x2F);
  c.errorText = QColor(Qt::white);
  m_highlighter->setPalette(palette);
  updateExtraSelections();
  m_gutter->update();
}

void ScriptEditor::applyFont()
{
  const QFontMetricsF fm(m_edit->font());
  m_edit->setTabStopDistance(kIndent * fm.horizontalAdvance(QLatin1Char(' ')));
  m_gutter->setMetrics(m_edit->font());
  updateGutterWidth();
  m_gutter->update();
}

void ScriptEditor::updateGutterWidth()
{
  const int width = gutterWidth();
  m_edit->setGutterWidth(width);
  const QRect r = m_edit->contentsRect();
  m_gutter->setGeometry(r.left(), r.top(), width, r.height());
}

int ScriptEditor::gutterWidth() const
{
  return m_gutter->widthFor(lineCount());
}

QPlainTextEdit* ScriptEditor::textEdit() const
{
  return m_edit;
}

void ScriptEditor::setScript(const QString& text, const QString& fileName)
{
  m_tasks.clear();
  m_markers.clear();
  m_selectedTask = 0;
  m_selectedLine = -1;
  m_flash->stop();
  m_flashLine = -1;
  m_error = QTextCursor();
  m_errorMessage.clear();
  m_fileName = fileName;
  // Replacing the text marks the document modified for a moment; only the outcome is reported.
  m_loading = true;
  m_edit->setPlainText(text);
  m_edit->document()->setModified(false);
  m_loading = false;
  reportModified(false);
  m_edit->moveCursor(QTextCursor::Start);
  updateExtraSelections();
  m_gutter->update();
}

QString ScriptEditor::script() const
{
  return m_edit->toPlainText();
}

bool ScriptEditor::isModified() const
{
  return m_edit->document()->isModified();
}

void ScriptEditor::reportModified(bool modified)
{
  if (modified != m_reportedModified) {
    m_reportedModified = modified;
    emit modificationChanged(modified);
  }
}

void ScriptEditor::setModified(bool modified)
{
  m_edit->document()->setModified(modified);
}

void ScriptEditor::setReadOnly(bool readOnly)
{
  m_edit->setReadOnly(readOnly);
  if (readOnly) {
    // Still a cursor to move and select with by keyboard (QPlainTextEdit's read-only takes it).
    m_edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  }
}

bool ScriptEditor::isReadOnly() const
{
  return m_edit->isReadOnly();
}

int ScriptEditor::lineCount() const
{
  return m_edit->document()->blockCount();
}

int ScriptEditor::currentLine() const
{
  return m_edit->textCursor().blockNumber() + 1;
}

void ScriptEditor::setSuspendedTasks(const QVector<SuspendedTask>& tasks)
{
  if (tasks == m_tasks) {
    return;
  }
  const int before = m_selectedLine;
  m_tasks = tasks;
  rebuildMarkers();
  if (m_selectedLine != before) {
    if (selectedTaskLine() > 0) {
      scrollToLine(m_selectedLine);
    }
    updateExtraSelections();
  }
  m_gutter->update();
}

void ScriptEditor::clearSuspendedTasks()
{
  setSuspendedTasks({});
}

void ScriptEditor::rebuildMarkers()
{
  std::vector<const SuspendedTask*> byLine;
  byLine.reserve(static_cast<std::size_t>(m_tasks.size()));
  m_selectedLine = -1;
  for (const SuspendedTask& t : m_tasks) {
    if (t.line >= 1) {
      byLine.push_back(&t);
    }
    if (m_selectedTask != 0 && t.taskId == m_selectedTask && m_selectedLine < 0) {
      m_selectedLine = t.line >= 1 ? t.line : -1;
    }
  }
  std::stable_sort(
      byLine.begin(), byLine.end(),
      [](const SuspendedTask* a, const SuspendedTask* b) { return a->line < b->line; });
  m_markers.clear();
  for (const SuspendedTask* t : byLine) {
    if (m_markers.isEmpty() || m_markers.back().line != t->line) {
      LineMarker m;
      m.line = t->line;
      m.firstTask = t->taskId;
      m_markers.append(m);
    }
    LineMarker& m = m_markers.back();
    ++m.count;
    m.selected = m.selected || (m_selectedTask != 0 && t->taskId == m_selectedTask);
    if (!m.tooltip.isEmpty()) {
      m.tooltip += QLatin1Char('\n');
    }
    m.tooltip += taskRow(*t);
  }
  for (LineMarker& m : m_markers) {
    m.countText = m.count > 99  ? QStringLiteral("99+")
                  : m.count > 1 ? QString::number(m.count)
                                : QString();
  }
}

const ScriptEditor::LineMarker* ScriptEditor::markerAt(int line) const
{
  const auto it = std::lower_bound(m_markers.begin(), m_markers.end(), line,
                                   [](const LineMarker& m, int l) { return m.line < l; });
  return it != m_markers.end() && it->line == line && line <= lineCount() ? &*it : nullptr;
}

QVector<int> ScriptEditor::markerLines() const
{
  QVector<int> lines;
  const int count = lineCount();
  for (const LineMarker& m : m_markers) {
    if (m.line <= count) {
      lines.append(m.line);
    }
  }
  return lines;
}

void ScriptEditor::setSelectedTask(quint32 taskId)
{
  m_selectedTask = taskId;
  rebuildMarkers();
  if (selectedTaskLine() > 0) {
    scrollToLine(m_selectedLine);
  }
  updateExtraSelections();
  m_gutter->update();
}

int ScriptEditor::selectedTaskLine() const
{
  return m_selectedLine >= 1 && m_selectedLine <= lineCount() ? m_selectedLine : -1;
}

void ScriptEditor::scrollToLine(int line)
{
  if (!m_edit->isLineVisible(line)) {
    m_edit->centreOn(line);
  }
}

void ScriptEditor::revealLine(int line)
{
  line = std::clamp(line, 1, lineCount());
  const bool visible = m_edit->isLineVisible(line);
  const QTextBlock block = m_edit->document()->findBlockByNumber(line - 1);
  QTextCursor c(block);
  c.setPosition(block.position() + leadingBlanks(block.text()));
  m_edit->setTextCursor(c);
  if (!visible) {
    m_edit->centreOn(line);
  }
  m_flashLine = line;
  m_flashStrength = 1.0;
  m_flash->stop();
  m_flash->start();
  updateExtraSelections();
}

void ScriptEditor::gotoMarker(int direction)
{
  const QVector<int> lines = markerLines();
  if (lines.isEmpty()) {
    return;
  }
  const int current = currentLine();
  int target = 0;
  if (direction > 0) {
    const auto it = std::upper_bound(lines.begin(), lines.end(), current);
    target = it != lines.end() ? *it : lines.front();
  } else {
    const auto it = std::lower_bound(lines.begin(), lines.end(), current);
    target = it != lines.begin() ? *std::prev(it) : lines.back();
  }
  const bool visible = m_edit->isLineVisible(target);
  const QTextBlock block = m_edit->document()->findBlockByNumber(target - 1);
  QTextCursor c(block);
  c.setPosition(block.position() + leadingBlanks(block.text()));
  m_edit->setTextCursor(c);
  if (!visible) {
    m_edit->centreOn(target);
  }
  if (const LineMarker* m = markerAt(target)) {
    emit taskClicked(m->firstTask);
  }
  showLineTooltip(target, m_edit->viewport()->mapToGlobal(m_edit->cursorRect().bottomRight()),
                  m_edit->viewport());
}

void ScriptEditor::setErrorMarker(int line, int column, const QString& message)
{
  line = std::clamp(line, 1, lineCount());
  const QTextBlock block = m_edit->document()->findBlockByNumber(line - 1);
  const QString text = block.text();
  const int length = static_cast<int>(text.size());
  int start = column < 1 ? leadingBlanks(text) : std::min(column - 1, length);
  if (start >= length) {
    start = std::max(0, length - 1);  // past the end: underline the last character
  }
  m_error = QTextCursor(m_edit->document());
  m_error.setPosition(block.position() + start);
  m_error.setPosition(block.position() + length, QTextCursor::KeepAnchor);
  m_errorMessage = message;
  updateExtraSelections();
  m_gutter->update();
}

void ScriptEditor::clearErrorMarker()
{
  m_error = QTextCursor();
  m_errorMessage.clear();
  updateExtraSelections();
  m_gutter->update();
}

int ScriptEditor::errorLine() const
{
  if (m_error.isNull()) {
    return -1;
  }
  return m_edit->document()->findBlock(m_error.selectionStart()).blockNumber() + 1;
}

QString ScriptEditor::tooltipForLine(int line) const
{
  QString text;
  if (const LineMarker* m = markerAt(line)) {
    text = m->tooltip;
  }
  if (line >= 1 && line == errorLine() && !m_errorMessage.isEmpty()) {
    if (!text.isEmpty()) {
      text += QLatin1Char('\n');
    }
    text += m_errorMessage;
  }
  return text;
}

void ScriptEditor::showLineTooltip(int line, const QPoint& globalPos, QWidget* widget)
{
  const QString text = tooltipForLine(line);
  if (text.isEmpty()) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(globalPos, Qt::convertFromPlainText(text, Qt::WhiteSpaceNoWrap), widget);
}

void ScriptEditor::updateExtraSelections()
{
  QList<QTextEdit::ExtraSelection> selections;
  const auto band = [&](const QTextBlock& block, const QColor& colour) {
    QTextEdit::ExtraSelection s;
    s.format.setBackground(colour);
    s.format.setProperty(QTextFormat::FullWidthSelection, true);
    s.cursor = QTextCursor(block);
    selections.append(s);
  };
  QTextDocument* doc = m_edit->document();
  band(m_edit->textCursor().block(), m_colours.currentLine);
  if (const int line = selectedTaskLine(); line > 0) {
    band(doc->findBlockByNumber(line - 1), m_colours.selectedBand);
  }
  if (m_flashLine > 0 && m_flashLine <= lineCount() && m_flashStrength > 0) {
    QColor c = m_colours.flash;
    c.setAlphaF(static_cast<float>(m_flashStrength));
    band(doc->findBlockByNumber(m_flashLine - 1), c);
  }
  if (!m_error.isNull()) {
    QTextEdit::ExtraSelection s;
    s.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    s.format.setUnderlineColor(m_colours.error);
    s.cursor = m_error;
    selections.append(s);
  }
  m_edit->setExtraSelections(selections);
}

QSize ScriptEditor::sizeHint() const
{
  const QFontMetrics fm(m_edit->font());
  const int frame = 2 * m_edit->frameWidth();
  const int margin = 2 * static_cast<int>(m_edit->document()->documentMargin());
  const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this);
  return {kSizeHintColumns * fm.horizontalAdvance(QLatin1Char('M')) + gutterWidth() + frame +
              margin + scrollBar,
          kSizeHintLines * fm.lineSpacing() + frame + margin + scrollBar};
}

QSize ScriptEditor::minimumSizeHint() const
{
  const QFontMetrics fm(m_edit->font());
  return {20 * fm.horizontalAdvance(QLatin1Char('M')) + gutterWidth(), 4 * fm.lineSpacing()};
}

}  // namespace loopscope::views
