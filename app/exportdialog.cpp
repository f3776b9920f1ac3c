// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportdialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

namespace loopscope::app {

ExportDialog::ExportDialog(QWidget* parent)
    : QDialog(parent)
    , m_path(new QLineEdit(this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_scale(new QComboBox(this))
    , m_range(new QButtonGroup(this))
{
  setWindowTitle(tr("Export timeline image"));
  auto* form = new QFormLayout(this);

  auto* pathRow = new QHBoxLayout;
  m_path->setObjectName(QStringLiteral("exportPath"));
  m_path->setToolTip(tr("The format follows the suffix: .png, .jpg, .pdf or .svg"));
  auto* browse = new QPushButton(tr("Browse…"), this);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  pathRow->addWidget(m_path, 1);
  pathRow->addWidget(browse);
  form->addRow(tr("File:"), pathRow);

  auto* sizeRow = new QHBoxLayout;
  for (QSpinBox* spin : {m_width, m_height}) {
    spin->setRange(200, 16000);
    spin->setSuffix(QStringLiteral(" px"));
  }
  m_width->setValue(1600);
  m_height->setValue(900);
  sizeRow->addWidget(m_width);
  sizeRow->addWidget(m_height);
  form->addRow(tr("Size:"), sizeRow);

  m_scale->addItem(QStringLiteral("1×"), 1.0);
  m_scale->addItem(QStringLiteral("2× (sharp on high-DPI screens)"), 2.0);
  m_scale->addItem(QStringLiteral("3×"), 3.0);
  m_scale->setToolTip(tr("Pixels per point for PNG and JPG; PDF and SVG are vector graphics"));
  form->addRow(tr("Scale:"), m_scale);

  auto* whole = new QRadioButton(tr("The whole run"), this);
  auto* visible = new QRadioButton(tr("The visible window"), this);
  whole->setChecked(true);
  m_range->addButton(whole, 1);
  m_range->addButton(visible, 0);
  auto* rangeRow = new QHBoxLayout;
  rangeRow->addWidget(whole);
  rangeRow->addWidget(visible);
  form->addRow(tr("Time range:"), rangeRow);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
  form->addRow(buttons);
}

void ExportDialog::setDirectory(const QString& dir)
{
  m_path->setText(QDir(dir).filePath(QStringLiteral("loopscope-timeline.png")));
}

QString ExportDialog::path() const
{
  return m_path->text().trimmed();
}

views::TimelineWidget::ExportOptions ExportDialog::options() const
{
  views::TimelineWidget::ExportOptions o;
  o.format = views::TimelineWidget::formatForPath(path());
  o.size = QSize(m_width->value(), m_height->value());
  o.scale = m_scale->currentData().toDouble();
  o.wholeRun = m_range->checkedId() == 1;
  return o;
}

void ExportDialog::browse()
{
  const QString chosen =
      QFileDialog::getSaveFileName(this, tr("Export timeline image"), path(),
                                   tr("PNG image (*.png);;JPEG image (*.jpg *.jpeg);;PDF document "
                                      "(*.pdf);;SVG drawing (*.svg)"));
  if (!chosen.isEmpty()) {
    m_path->setText(chosen);
  }
}

void ExportDialog::accept()
{
  const QString suffix = QFileInfo(path()).suffix().toLower();
  static const QStringList known{QStringLiteral("png"), QStringLiteral("jpg"),
                                 QStringLiteral("jpeg"), QStringLiteral("pdf"),
                                 QStringLiteral("svg")};
  if (path().isEmpty() || !known.contains(suffix)) {
    QMessageBox::warning(this, windowTitle(),
                         tr("Name a file ending in .png, .jpg, .pdf or .svg (the format follows "
                            "the suffix)."));
    return;
  }
  QDialog::accept();
}

}  // namespace loopscope::app
