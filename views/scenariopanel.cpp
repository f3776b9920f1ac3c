// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/scenariopanel.h"

#include <views/timelinestyle.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace loopscope::views {

namespace {

using engine::scenarios::Param;

constexpr double kSecondsStep = 0.05;

int toInt(double v)
{
  constexpr double lo = std::numeric_limits<int>::min();
  constexpr double hi = std::numeric_limits<int>::max();
  return static_cast<int>(std::lround(std::clamp(v, lo, hi)));
}

// Enough decimals to show the default and the bounds exactly (at least the step's two).
int decimalsFor(const Param& p)
{
  for (int d = 2; d < 4; ++d) {
    const double scale = std::pow(10.0, d);
    const std::array<double, 3> shown{p.value, p.min, p.max};
    const bool exact = std::all_of(shown.begin(), shown.end(), [scale](double v) {
      return std::abs(v * scale - std::round(v * scale)) < 1e-6;
    });
    if (exact) {
      return d;
    }
  }
  return 4;
}

QString richTooltip(const std::string& text)
{
  // Rich text wraps long lines; escaping keeps the scenario's text literal.
  return text.empty() ? QString()
                      : QStringLiteral("<p>") + QString::fromStdString(text).toHtmlEscaped() +
                            QStringLiteral("</p>");
}

}  // namespace

void ScenarioPanel::styleNotice()
{
  const Theme& theme = Theme::forPalette(palette());
  m_notice->setStyleSheet(QStringLiteral("background: %1; color: %2;")
                              .arg(theme.noticeBackground.name(), theme.noticeText.name()));
}

void ScenarioPanel::changeEvent(QEvent* event)
{
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) {
    styleNotice();  // light or dark
  }
}

ScenarioPanel::ScenarioPanel(QWidget* parent)
    : QWidget(parent)
    , m_notice(new QLabel(this))
    , m_title(new QLabel(this))
    , m_description(new QLabel(this))
    , m_form(new QWidget(this))
    , m_formLayout(new QFormLayout(m_form))
    , m_reset(new QPushButton(tr("Reset to defaults"), this))
{
  auto* layout = new QVBoxLayout(this);
  m_notice->setObjectName(QStringLiteral("scenarioNotice"));
  m_notice->setTextFormat(Qt::PlainText);
  m_notice->setWordWrap(true);
  m_notice->setFrameShape(QFrame::StyledPanel);
  m_notice->setMargin(6);
  styleNotice();
  m_notice->hide();
  layout->addWidget(m_notice);
  m_title->setTextFormat(Qt::PlainText);
  m_title->setWordWrap(true);
  QFont bold = m_title->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.15);
  m_title->setFont(bold);
  m_description->setTextFormat(Qt::PlainText);
  m_description->setWordWrap(true);
  m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_formLayout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_title);
  layout->addWidget(m_description);
  layout->addWidget(m_form);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(m_reset);
  layout->addLayout(buttons);
  layout->addStretch(1);
  connect(m_reset, &QPushButton::clicked, this, &ScenarioPanel::resetToDefaults);
  setScenario(nullptr);
}

ScenarioPanel::~ScenarioPanel() = default;

void ScenarioPanel::clearForm()
{
  m_fields.clear();
  while (m_formLayout->rowCount() > 0) {
    m_formLayout->removeRow(0);  // deletes the label and the editor
  }
}

void ScenarioPanel::setNotice(const QString& text)
{
  m_notice->setText(text);
  m_notice->setVisible(!text.isEmpty());
}

QString ScenarioPanel::notice() const
{
  return m_notice->text();
}

void ScenarioPanel::setScenario(const engine::scenarios::Scenario* scenario)
{
  clearForm();
  if (scenario == nullptr) {
    m_title->setText(tr("No scenario"));
    m_description->setText(tr("Choose a scenario to see what it shows and edit its parameters."));
    m_reset->setEnabled(false);
    return;
  }
  m_title->setText(QString::fromStdString(scenario->title));
  m_description->setText(QString::fromStdString(scenario->description));
  m_reset->setEnabled(!scenario->params.empty());

  m_fields.reserve(scenario->params.size());
  for (const Param& p : scenario->params) {
    QWidget* editor = nullptr;
    switch (p.type) {
      case Param::Type::Int: {
        auto* spin = new QSpinBox(m_form);
        spin->setKeyboardTracking(false);  // one change per edit, not per keystroke
        spin->setRange(toInt(p.min),
                       p.max >= p.min ? toInt(p.max) : std::numeric_limits<int>::max());
        connect(spin, &QSpinBox::valueChanged, this, &ScenarioPanel::valuesChanged);
        editor = spin;
        break;
      }
      case Param::Type::Seconds: {
        auto* spin = new QDoubleSpinBox(m_form);
        spin->setKeyboardTracking(false);
        spin->setDecimals(decimalsFor(p));
        spin->setSingleStep(kSecondsStep);
        spin->setSuffix(QStringLiteral(" s"));
        spin->setRange(p.min, p.max >= p.min ? p.max : std::numeric_limits<double>::max());
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ScenarioPanel::valuesChanged);
        editor = spin;
        break;
      }
      case Param::Type::Bool: {
        auto* box = new QCheckBox(m_form);
        connect(box, &QCheckBox::toggled, this, &ScenarioPanel::valuesChanged);
        editor = box;
        break;
      }
    }
    if (editor == nullptr) {
      continue;
    }
    editor->setObjectName(QString::fromStdString(p.key));
    const QString tip = richTooltip(p.tooltip);
    editor->setToolTip(tip);
    m_formLayout->addRow(QString::fromStdString(p.label) + QLatin1Char(':'), editor);
    if (QWidget* label = m_formLayout->labelForField(editor)) {
      label->setToolTip(tip);
    }
    m_fields.push_back({p, editor});
    setFieldValue(m_fields.back(), p.value);
  }
}

double ScenarioPanel::fieldValue(const Field& field) const
{
  if (const auto* spin = qobject_cast<const QSpinBox*>(field.editor)) {
    return spin->value();
  }
  if (const auto* spin = qobject_cast<const QDoubleSpinBox*>(field.editor)) {
    return spin->value();
  }
  if (const auto* box = qobject_cast<const QCheckBox*>(field.editor)) {
    return box->isChecked() ? 1.0 : 0.0;
  }
  return field.param.value;
}

bool ScenarioPanel::setFieldValue(const Field& field, double value)
{
  const double before = fieldValue(field);
  const QSignalBlocker blocker(field.editor);
  if (auto* spin = qobject_cast<QSpinBox*>(field.editor)) {
    spin->setValue(toInt(value));
  } else if (auto* spin = qobject_cast<QDoubleSpinBox*>(field.editor)) {
    spin->setValue(value);
  } else if (auto* box = qobject_cast<QCheckBox*>(field.editor)) {
    box->setChecked(value != 0);
  }
  return fieldValue(field) != before;
}

engine::scenarios::Values ScenarioPanel::values() const
{
  engine::scenarios::Values out;
  for (const Field& f : m_fields) {
    out[f.param.key] = fieldValue(f);
  }
  return out;
}

void ScenarioPanel::setValues(const engine::scenarios::Values& values)
{
  bool changed = false;
  for (const Field& f : m_fields) {
    const auto it = values.find(f.param.key);
    changed |= setFieldValue(f, it != values.end() ? it->second : f.param.value);
  }
  if (changed) {
    emit valuesChanged();
  }
}

void ScenarioPanel::resetToDefaults()
{
  setValues({});
}

}  // namespace loopscope::views
