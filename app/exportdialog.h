// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <views/timelinewidget.h>

#include <QDialog>
#include <QString>

class QButtonGroup;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace loopscope::app {

// File ▸ Export image: where, which format (from the suffix), what size and scale, and whether
// the whole run or only the visible window.
class ExportDialog : public QDialog
{
  Q_OBJECT

public:
  explicit ExportDialog(QWidget* parent = nullptr);

  void setDirectory(const QString& dir);
  [[nodiscard]] QString path() const;
  [[nodiscard]] views::TimelineWidget::ExportOptions options() const;

  void accept() override;

private:
  void browse();

  QLineEdit* m_path;
  QSpinBox* m_width;
  QSpinBox* m_height;
  QComboBox* m_scale;
  QButtonGroup* m_range;
};

}  // namespace loopscope::app
